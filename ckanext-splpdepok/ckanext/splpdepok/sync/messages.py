"""The sentences sync shows the walidata, and network failures put in plain words (pure code).

Runs and checks store their messages as English text (jobs have no page language); every
template here is a msgid of part ``sync.po``, so ``helpers.splpdepok_sync_message`` finds the
template a stored text was made from and shows it translated. A raw network error
("[Errno -2] Name or service not known") never reaches a page: ``network_error`` names what
failed in a sentence and the caller logs the original.
"""
from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

NET_DNS = ("The address %(host)s could not be found (DNS): check the base address and the "
           "server's DNS settings.")
NET_REFUSED = ("%(host)s refused the connection: check the address and port, and that the "
               "service is running.")
NET_TIMEOUT = ("%(host)s did not answer in time: try again later or check the network path "
               "(firewall, proxy).")
NET_TLS = ("The secure connection (TLS) to %(host)s failed: its certificate is not valid or "
           "not trusted.")
NET_OTHER = "%(host)s cannot be reached over the network."
HTTP_AUTH = ("%(host)s refused the credential (HTTP %(status)s): check the API token named in "
             "the target's credential setting.")
HTTP_NOT_FOUND = "%(host)s has no such address (HTTP %(status)s): check the base address."
HTTP_CLIENT = "%(host)s rejected the request (HTTP %(status)s)."
HTTP_SERVER = "%(host)s had a server error (HTTP %(status)s): try again later."
RETRY_CKAN = ("The target did not answer %(action)s after %(attempts)s attempts (%(reason)s); "
              "the next run retries it.")
REFUSED_CKAN = ("The target refused %(action)s: the credential has no permission (check the "
                "token's user is an editor of the mapped organization).")
RETRY_JABAR = ("The Jabar endpoint did not answer after %(attempts)s attempts (%(reason)s); "
               "the next run retries it.")
JABAR_CREDENTIAL = ("The Jabar endpoint refused the credential (HTTP %(status)s); check the "
                    "token named on the target.")
NOT_HTTP = "'%(url)s' is not an http(s) address."
TCP_OK = "%(address)s accepts connections"
PLAIN_HTTP = "plain HTTP (no TLS): acceptable on a private network only."
TLS_OK = "%(version)s, certificate valid until %(until)s"
NO_CREDENTIAL = ("No credential configured: pushes need an API token of a user who can edit "
                 "the mapped organizations.")
TOKEN_REFUSED = ("The token was refused or its user may not create datasets in any "
                 "organization.")
TOKEN_OK = "The token may create datasets in %(count)s organization(s)."
NO_ORG_MAP = "No organization mapping: add local -> remote organizations."
UNEXPECTED = "Unexpected error (%(kind)s); the details are in the server log."
WITHDRAW_LIMIT = ("This run would withdraw %(count)s of %(live)s datasets (%(share)s), above the "
                  "limit of %(limit)s. Check the selection, then confirm the withdrawal to "
                  "continue.")

TEMPLATES: tuple[str, ...] = (
    NET_DNS, NET_REFUSED, NET_TIMEOUT, NET_TLS, NET_OTHER, HTTP_AUTH, HTTP_NOT_FOUND,
    HTTP_CLIENT, HTTP_SERVER, RETRY_CKAN, REFUSED_CKAN, RETRY_JABAR, JABAR_CREDENTIAL,
    NOT_HTTP, TCP_OK, PLAIN_HTTP, TLS_OK, NO_CREDENTIAL, TOKEN_REFUSED, TOKEN_OK, NO_ORG_MAP,
    WITHDRAW_LIMIT, UNEXPECTED,
)

_DNS_HINTS = ("name or service not known", "nodename nor servname", "temporary failure in name "
              "resolution", "getaddrinfo failed", "no address associated", "failed to resolve",
              "name resolution")
_REFUSED_HINTS = ("connection refused", "errno 111", "actively refused")
_TIMEOUT_HINTS = ("timed out", "timeout", "time-out")
_TLS_HINTS = ("certificate", "ssl", "tls", "handshake")


def host_of(url: str) -> str:
    return urlparse(url).hostname or url


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[Any] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or item in seen or len(seen) > 20:
            continue
        seen.append(item)
        todo.extend([item.__cause__, item.__context__, getattr(item, "reason", None),
                     *[a for a in item.args if isinstance(a, BaseException)]])
    return seen


def network_kind(exc: BaseException) -> str:
    """'dns', 'refused', 'timeout', 'tls' or 'other' for a failed connection."""
    chain = _chain(exc)
    text = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    if any(isinstance(e, socket.gaierror) for e in chain) or any(h in text for h in _DNS_HINTS):
        return "dns"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or any(
            h in text for h in _REFUSED_HINTS):
        return "refused"
    if any(isinstance(e, TimeoutError) for e in chain) or any(
            h in text for h in _TIMEOUT_HINTS):
        return "timeout"
    if any(isinstance(e, ssl.SSLError) for e in chain) or any(h in text for h in _TLS_HINTS):
        return "tls"
    return "other"


_BY_KIND = {"dns": NET_DNS, "refused": NET_REFUSED, "timeout": NET_TIMEOUT, "tls": NET_TLS,
            "other": NET_OTHER}


def network_error(exc: BaseException, host: str) -> str:
    """A failed connection to ``host`` as one sentence (no errno, no library text)."""
    return _BY_KIND[network_kind(exc)] % {"host": host}


def http_error(status: int, host: str) -> str:
    """An HTTP error status of ``host`` as one sentence."""
    if status in (401, 403):
        template = HTTP_AUTH
    elif status in (404, 410):
        template = HTTP_NOT_FOUND
    elif status >= 500:
        template = HTTP_SERVER
    else:
        template = HTTP_CLIENT
    return template % {"host": host, "status": status}


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(r"(?P<_prefix>[\w .\-]{1,60}: )?" + regex + r"$", re.S)


_PATTERNS = [(t, _pattern(t)) for t in TEMPLATES]


def translate(text: Any, gettext: Callable[[str], str]) -> str:
    """``text`` in the page's language when it was made from one of ``TEMPLATES``
    (nested reasons too; several messages joined with '; ' each); unchanged otherwise."""
    if not isinstance(text, str) or not text:
        return "" if text is None else str(text)
    for template, pattern in _PATTERNS:
        found = pattern.match(text)
        if found:
            values = {k: v for k, v in found.groupdict().items() if k != "_prefix"}
            if "reason" in values:
                values["reason"] = translate(values["reason"], gettext)
            return (found.group("_prefix") or "") + gettext(template) % values
    if "; " in text:
        pieces = text.split("; ")
        translated = [translate(p, gettext) for p in pieces]
        if translated != pieces:
            return "; ".join(translated)
    return text
