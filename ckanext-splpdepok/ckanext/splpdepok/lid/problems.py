"""Plain-language problems of the SPLP publication and check, for the pages and the API.

Pure code. An adapter failure becomes a ``{"msgid": ..., "args": {...}}`` pair: an English msgid
(translated where it is shown, ``helpers.splpdepok_lid_problem``) naming the setting to fix or
saying in plain words what the network did. The raw error text goes to the log only.
"""
from __future__ import annotations

from typing import Any

Problem = dict[str, Any]

MISSING_SETTING = ("The SPLP setting %(setting)s is empty: the walidata must set it in the "
                   "portal configuration. Without REST access to SPLP, use the publication "
                   "package and record the publication manually.")
MISSING_CREDENTIALS = ("The SPLP credentials are not set: the environment variables "
                       "%(variables)s (named by the settings %(settings)s) are empty on the "
                       "server. Without REST access to SPLP, use the publication package and "
                       "record the publication manually.")
OTHER_ADDRESS = ("The connection plan names %(plan_url)s, but the setting "
                 "ckanext.splpdepok.splp.base_url is %(url)s: create the plan again with the "
                 "configured address.")
BY_KIND = {
    "dns": "The SPLP server name could not be found. Check the SPLP address in the settings "
           "or the server's network.",
    "tcp": "The SPLP server refused the connection or is unreachable. Try again later or ask "
           "the walidata to check the SPLP address.",
    "tls": "The secure (HTTPS) connection to SPLP failed. Ask the walidata to check the SPLP "
           "address and certificate.",
    "timeout": "SPLP did not answer in time. Try again later.",
    "connection": "SPLP could not be reached. Try again later.",
    "credentials": "SPLP refused the portal's credentials. Ask the walidata to check them, or "
                   "use the publication package and record the publication manually.",
    "scopes": "The portal's SPLP account may not publish APIs (no REST access). Use the "
              "publication package and record the publication manually.",
    "not_found": "The API was not found in SPLP.",
    "conflict": "SPLP already has an API with this context and version.",
    "invalid": "SPLP refused the LID's data; check the LID's fields.",
    "invalid_entry": "The LID is not complete enough for SPLP; check its fields.",
    "rate_limited": "SPLP is receiving too many requests. Try again later.",
    "server": "SPLP failed on its side. Try again later or report it to the SPLP operator.",
    "protocol": "SPLP answered something unexpected. Report it to the SPLP operator.",
}
UNKNOWN = "The synchronisation with SPLP failed. Try again later."
KINDS = tuple(BY_KIND)


def problem(kind: str | None, network_kind: str | None = None, *,
            setting: str = "", variables: tuple[str, ...] = (),
            settings: tuple[str, ...] = (), plan_url: str = "", url: str = "") -> Problem:
    """The plain problem for an adapter failure of ``kind`` (``SplpError.kind``)."""
    if kind == "configuration":
        if variables:
            return {"msgid": MISSING_CREDENTIALS, "args": {
                "variables": ", ".join(variables), "settings": ", ".join(settings)}}
        if plan_url:
            return {"msgid": OTHER_ADDRESS, "args": {"plan_url": plan_url, "url": url}}
        return {"msgid": MISSING_SETTING,
                "args": {"setting": setting or "ckanext.splpdepok.splp.base_url"}}
    return {"msgid": BY_KIND.get(network_kind or "") or BY_KIND.get(kind or "") or UNKNOWN,
            "args": {}}


def english(found: Problem) -> str:
    return str(found["msgid"]) % found["args"] if found["args"] else str(found["msgid"])
