"""Pure mapping of a Katalog LID entry to a WSO2 publisher ``API`` payload, and the comparator
that tells whether the API in SPLP still has the same fields (sync and connection check).

An LID entry is a plain dict: ``name``, ``description``, ``endpoint_url`` (optional
``sandbox_url``), ``attributes`` ([{name, type, description}]), ``output_format`` (JSON, XML,
CSV...), ``classification`` (``terbuka``/``terbatas``), ``context``, ``version``,
``tenant_domain``, ``owner`` (optional ``owner_email``, ``tags``, ``visible_roles``,
``methods``).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from .errors import SplpError

CLASSIFICATIONS = ("terbuka", "terbatas")
# Permenkominfo 1/2023 standards, plus common feed formats.
OUTPUT_FORMATS = ("JSON", "XML", "CSV", "WSDL", "SOAP", "GEOJSON", "XLSX", "PDF", "HTML", "TXT")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
PROPERTY_PREFIX = "lid_"
# Top-level readOnly properties of the contract's API schema: never sent back in a PUT.
READ_ONLY_API_FIELDS = ("id", "wsdlUrl", "revisionedApiId", "keyManagers", "initiatedFromGateway")
# ``name`` is left out: PUT cannot change it; the LID name lives on in ``displayName``.
MANAGED_FIELDS = (
    "displayName", "description", "context", "version", "type", "transport", "tags",
    "policies", "visibility", "visibleRoles", "endpointConfig", "businessInformation",
    "additionalProperties", "operations",
)

_NAME_FORBIDDEN = re.compile(r"[~!@#;:%^*()+={}|\\<>\"',&$\[\]/]")
_VERSION_RE = re.compile(r"^[^~!@#;:%^*()+={}|\\<>\"',&/$\[\]\s]{1,30}$")
_CONTEXT_RE = re.compile(r"^[A-Za-z0-9_\-.]+(/[A-Za-z0-9_\-.]+)*$")
_TAG_RE = re.compile(r"[^a-z0-9\-_. ]")


class LidMappingError(SplpError):
    """The LID entry cannot become an SPLP API; ``problems`` lists every field to fix."""

    kind = "invalid_entry"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("LID entry is not ready for SPLP: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MappingOptions:
    """Tenant-wide choices that are not part of an LID entry (set by the portal settings)."""

    subscription_tiers: tuple[str, ...] = ("Unlimited",)
    operation_throttling: str = "Unlimited"
    restricted_roles: tuple[str, ...] = ("Internal/subscriber",)
    transports: tuple[str, ...] = ("https",)
    base_tags: tuple[str, ...] = ("satudata-depok", "lid")
    auth_type: str = "Application & Application User"


@dataclass(frozen=True)
class FieldDiff:
    """One managed field whose value in SPLP differs from the LID entry."""

    field: str
    expected: Any
    actual: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "expected": self.expected, "actual": self.actual}


@dataclass(frozen=True)
class Comparison:
    same: bool
    differences: list[FieldDiff] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        return [d.field for d in self.differences]


def clean_context(context: str) -> str:
    """``"/kependudukan/"`` -> ``"kependudukan"`` (no slashes at the ends)."""
    return (context or "").strip().strip("/")


def normalize_context(context: str, version: str = "", tenant_domain: str = "") -> str:
    """Context as the LID entry writes it, whatever SPLP adds around it.

    WSO2 stores tenant APIs as ``/t/{tenant}/{context}`` and may append ``/{version}``.
    """
    parts = clean_context(context).split("/")
    if len(parts) >= 2 and parts[0] == "t" and (not tenant_domain or parts[1] == tenant_domain):
        parts = parts[2:]
    if version and len(parts) > 1 and parts[-1] in (version, "{version}"):
        parts = parts[:-1]
    return "/" + "/".join(parts)


def safe_api_name(name: str) -> str:
    """The display name with the characters WSO2 forbids in API names replaced by spaces."""
    return re.sub(r"\s+", " ", _NAME_FORBIDDEN.sub(" ", name or "")).strip()


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _identity_problems(lid: dict[str, Any]) -> list[str]:
    """Name, context and version: what names the API in the tenant."""
    problems: list[str] = []
    name = lid.get("name")
    if not isinstance(name, str) or not safe_api_name(name):
        problems.append("name is required")
    context = clean_context(lid.get("context") or "")
    if not context:
        problems.append("context is required (e.g. 'kependudukan')")
    elif len(context) > 200 or not _CONTEXT_RE.match(context):
        problems.append("context may use only letters, digits, '-', '_', '.' and '/'")
    elif context.split("/")[0] == "t":
        problems.append("context must not start with 't/' (SPLP adds the tenant prefix)")
    if not _VERSION_RE.match(str(lid.get("version") or "")):
        problems.append("version is required, without spaces or special characters (e.g. 1.0.0)")
    return problems


def _valid_attributes(attributes: Any) -> bool:
    return isinstance(attributes, list) and all(
        isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()
        for a in attributes)


def _content_problems(lid: dict[str, Any]) -> list[str]:
    """Addresses, classification, format, fields, lengths and methods."""
    checks = (
        (not _is_http_url(lid.get("endpoint_url")),
         "endpoint_url must be an absolute http(s) URL"),
        (bool(lid.get("sandbox_url")) and not _is_http_url(lid.get("sandbox_url")),
         "sandbox_url must be an absolute http(s) URL"),
        (lid.get("classification") not in CLASSIFICATIONS,
         "classification must be 'terbuka' or 'terbatas'"),
        (str(lid.get("output_format") or "").upper() not in OUTPUT_FORMATS,
         "output_format must be one of " + ", ".join(OUTPUT_FORMATS)),
        (not _valid_attributes(lid.get("attributes") or []),
         "attributes must be a list of {name, type, description} with a name"),
        (len(str(lid.get("description") or "")) > 32766,
         "description is longer than SPLP accepts (32766 characters)"),
        (len(str(lid.get("owner") or "")) > 120,
         "owner is longer than SPLP accepts (120 characters)"),
        (any(str(m).upper() not in METHODS for m in lid.get("methods") or ["GET"]),
         "methods must be HTTP methods (GET, POST...)"),
    )
    return [message for failed, message in checks if failed]


def _problems(lid: dict[str, Any]) -> list[str]:
    return _identity_problems(lid) + _content_problems(lid)


def _attributes(lid: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "name": a["name"].strip(),
            "type": str(a.get("type") or "string"),
            "description": str(a.get("description") or ""),
        }
        for a in lid.get("attributes") or []
    ]


def lid_properties(lid: dict[str, Any]) -> dict[str, str]:
    """The ``lid_*`` additional properties that carry what WSO2 has no field for."""
    return {
        "lid_output_format": str(lid["output_format"]).upper(),
        "lid_classification": str(lid["classification"]),
        "lid_attributes": json.dumps(_attributes(lid), ensure_ascii=False, sort_keys=True),
        "lid_tenant_domain": str(lid.get("tenant_domain") or ""),
    }


def _tags(lid: dict[str, Any], options: MappingOptions) -> list[str]:
    raw = [*options.base_tags, str(lid["classification"]), str(lid["output_format"])]
    raw += [str(t) for t in lid.get("tags") or []]
    cleaned = {_TAG_RE.sub("", t.lower()).strip() for t in raw}
    return sorted(t for t in cleaned if t)


def map_lid(lid: dict[str, Any], options: MappingOptions | None = None) -> dict[str, Any]:
    """The WSO2 ``API`` object for an LID entry (raises :class:`LidMappingError`)."""
    options = options or MappingOptions()
    problems = _problems(lid)
    if problems:
        raise LidMappingError(problems)
    production = str(lid["endpoint_url"])
    restricted = lid["classification"] == "terbatas"
    payload: dict[str, Any] = {
        "name": safe_api_name(lid["name"]),
        "displayName": str(lid["name"]).strip(),
        "description": str(lid.get("description") or "").strip(),
        "context": "/" + clean_context(lid["context"]),
        "version": str(lid["version"]),
        "type": "HTTP",
        "transport": sorted(options.transports),
        "tags": _tags(lid, options),
        "policies": sorted(options.subscription_tiers),
        # terbatas: only users who registered (hold a role) see and subscribe to it.
        "visibility": "RESTRICTED" if restricted else "PUBLIC",
        "visibleRoles": sorted(lid.get("visible_roles") or options.restricted_roles)
        if restricted else [],
        "endpointConfig": {
            "endpoint_type": "http",
            "production_endpoints": {"url": production},
            "sandbox_endpoints": {"url": str(lid.get("sandbox_url") or production)},
        },
        "businessInformation": {"businessOwner": str(lid.get("owner") or "").strip()},
        "additionalProperties": [
            {"name": k, "value": v, "display": k != "lid_attributes"}
            for k, v in sorted(lid_properties(lid).items())
        ],
        "operations": [
            {
                "target": "/*",
                "verb": str(m).upper(),
                "authType": options.auth_type,
                "throttlingPolicy": options.operation_throttling,
            }
            for m in sorted({str(m).upper() for m in lid.get("methods") or ["GET"]})
        ],
    }
    if lid.get("owner_email"):
        payload["businessInformation"]["businessOwnerEmail"] = str(lid["owner_email"])
    return payload


def update_body(remote: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """PUT body: the remote API (read-only fields dropped) with the managed fields replaced.

    PUT replaces the whole API, so fields SPLP or its operators set stay as they are.
    """
    body = {k: v for k, v in remote.items() if k not in READ_ONLY_API_FIELDS}
    body.update(desired)
    # name, context and version cannot change through PUT: keep SPLP's spelling.
    for key in ("name", "context", "version"):
        if key in remote:
            body[key] = remote[key]
    return body


def _remote_properties(remote: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in remote.get("additionalProperties") or []:
        if isinstance(item, dict) and str(item.get("name", "")).startswith(PROPERTY_PREFIX):
            found[str(item["name"])] = str(item.get("value") or "")
    for name, item in (remote.get("additionalPropertiesMap") or {}).items():
        if str(name).startswith(PROPERTY_PREFIX) and name not in found and isinstance(item, dict):
            found[str(name)] = str(item.get("value") or "")
    return found


def _endpoints(config: Any) -> dict[str, Any]:
    config = config if isinstance(config, dict) else {}

    def url(key: str) -> Any:
        value = config.get(key)
        return value.get("url") if isinstance(value, dict) else value

    return {
        "endpoint_type": config.get("endpoint_type"),
        "production": url("production_endpoints"),
        "sandbox": url("sandbox_endpoints"),
    }


def _texts(value: Any) -> list[str]:
    return sorted(str(v) for v in value or [])


def _business(value: Any) -> dict[str, str]:
    info = value if isinstance(value, dict) else {}
    return {k: str(info.get(k) or "") for k in ("businessOwner", "businessOwnerEmail")}


def _operations(value: Any) -> list[tuple[str, str]]:
    return sorted((str(o.get("target") or ""), str(o.get("verb") or "").upper())
                  for o in value or [] if isinstance(o, dict))


# How each compared field reads, whatever form SPLP or the portal wrote it in.
_NORMALIZE: dict[str, Callable[[Any], Any]] = {
    "description": lambda v: str(v or "").strip(),
    "displayName": lambda v: str(v or "").strip(),
    "name": lambda v: str(v or "").strip(),
    "version": lambda v: str(v or "").strip(),
    "type": lambda v: str(v or "HTTP").upper(),
    "transport": _texts,
    "policies": _texts,
    "visibleRoles": _texts,
    "tags": lambda v: sorted(str(t).lower() for t in v or []),
    "visibility": lambda v: str(v or "PUBLIC"),
    "businessInformation": _business,
    "operations": _operations,
}


def _normalized(name: str, payload: dict[str, Any], version: str, tenant: str) -> Any:
    value = payload.get(name)
    if name == "context":
        return normalize_context(str(value or ""), version, tenant)
    if name == "endpointConfig":
        return _endpoints(value)
    if name == "additionalProperties":
        return _remote_properties(payload)
    normalize = _NORMALIZE.get(name)
    return normalize(value) if normalize else value


def compare(desired: dict[str, Any], remote: dict[str, Any], tenant_domain: str = "") -> Comparison:
    """Whether ``remote`` (GET /apis/{id}) carries the managed fields of ``desired``."""
    version = str(desired.get("version") or "")
    differences: list[FieldDiff] = []
    for name in MANAGED_FIELDS:
        if name == "visibleRoles" and desired.get("visibility") != "RESTRICTED":
            continue
        expected = _normalized(name, desired, version, tenant_domain)
        actual = _normalized(name, remote, version, tenant_domain)
        if expected != actual:
            differences.append(FieldDiff(name, _plain(expected), _plain(actual)))
    return Comparison(same=not differences, differences=differences)


def compare_lid(
    lid: dict[str, Any], remote: dict[str, Any], options: MappingOptions | None = None
) -> Comparison:
    """Comparator for the connection check: LID entry against the API read back from SPLP."""
    return compare(map_lid(lid, options), remote, str(lid.get("tenant_domain") or ""))


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [list(v) if isinstance(v, tuple) else v for v in value]
    return value
