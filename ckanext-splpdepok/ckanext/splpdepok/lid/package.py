"""The publication package: what the IPPD enters by hand in the SPLP (WSO2) publisher portal
when the city has no REST access to it (SOP step 15, manual path).

Pure code. Each LID's part is built from the same ``lid.splp.mapping.map_lid`` payload the REST
path sends, so both paths publish the same API: name, description, endpoint, attributes,
output format, terbuka/terbatas (visibility), context and version, plus an OpenAPI 3.0
definition (the document the publisher portal's "Import OpenAPI" accepts).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from ckanext.splpdepok.lid.splp.mapping import LidMappingError, map_lid

OPENAPI_VERSION = "3.0.3"
_TYPES = {
    "string": ("string", None), "text": ("string", None), "integer": ("integer", None),
    "int": ("integer", None), "number": ("number", None), "float": ("number", None),
    "decimal": ("number", None), "boolean": ("boolean", None), "bool": ("boolean", None),
    "date": ("string", "date"), "datetime": ("string", "date-time"),
    "date-time": ("string", "date-time"),
}
_MEDIA = {"JSON": "application/json", "GEOJSON": "application/geo+json",
          "XML": "application/xml", "CSV": "text/csv", "XLSX":
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "PDF": "application/pdf", "HTML": "text/html", "TXT": "text/plain",
          "WSDL": "application/wsdl+xml", "SOAP": "application/soap+xml"}


def _schema_of(attributes: list[dict[str, Any]]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for attribute in attributes:
        kind, fmt = _TYPES.get(str(attribute.get("type") or "string").lower(), ("string", None))
        prop: dict[str, Any] = {"type": kind}
        if fmt:
            prop["format"] = fmt
        if attribute.get("description"):
            prop["description"] = str(attribute["description"])
        properties[str(attribute["name"]).strip()] = prop
    return {"type": "object", "properties": properties}


def openapi(entry: dict[str, Any], api: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI 3.0 definition of one LID (``api`` is its ``map_lid`` payload)."""
    fmt = str(entry.get("output_format") or "JSON").upper()
    media = _MEDIA.get(fmt, "application/octet-stream")
    item = _schema_of(list(entry.get("attributes") or []))
    body: dict[str, Any] = {"type": "array", "items": item} if media.endswith("json") else {
        "type": "string"}
    operations = {}
    for operation in api["operations"]:
        operations[operation["verb"].lower()] = {
            "summary": api["displayName"],
            "responses": {"200": {"description": "OK", "content": {media: {"schema": body}}}},
            "security": [{"default": []}],
        }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": api["displayName"], "description": api["description"],
                 "version": api["version"]},
        "servers": [{"url": api["endpointConfig"]["production_endpoints"]["url"]}],
        "paths": {"/*": operations},
        "components": {"securitySchemes": {"default": {
            "type": "oauth2", "flows": {"implicit": {
                "authorizationUrl": "https://test.com", "scopes": {}}}}}},
        "x-wso2-basePath": api["context"] + "/" + api["version"],
        "x-lid-output-format": fmt,
        "x-lid-classification": entry.get("classification"),
    }


def lid_part(entry: dict[str, Any]) -> dict[str, Any]:
    """One LID of the package (``problems`` lists what keeps it from SPLP, if anything)."""
    base = {
        "id": entry.get("id"), "name": entry.get("name"),
        "description": entry.get("description") or "",
        "endpoint_url": entry.get("endpoint_url"),
        "attributes": list(entry.get("attributes") or []),
        "output_format": str(entry.get("output_format") or "").upper(),
        "classification": entry.get("classification"),
        "context": entry.get("context"), "version": entry.get("version"),
        "tenant_domain": entry.get("tenant_domain") or "",
    }
    try:
        api = map_lid(entry)
    except LidMappingError as error:
        return dict(base, problems=list(error.problems), api=None, openapi=None)
    return dict(base, problems=[], context=api["context"], visibility=api["visibility"],
                api=api, openapi=openapi(entry, api))


def build(plan: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The package of a plan: its SPLP address and tenant, and one part per planned LID."""
    parts = [lid_part(e) for e in sorted(entries, key=lambda e: str(e.get("name") or ""))]
    return {
        "plan_id": plan["id"], "ippd_domain": plan["ippd_domain"],
        "splp_base_url": plan["splp_base_url"], "tenant_domain": plan["tenant_domain"],
        "lids": parts, "sha256": fingerprint(entries),
    }


def fingerprint(entries: list[dict[str, Any]]) -> str:
    """One hash of what a plan publishes (the dry-run gate and the manual record name it)."""
    text = json.dumps(sorted(entries, key=lambda e: str(e.get("id") or "")), sort_keys=True,
                      ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def as_text(package: dict[str, Any], labels: dict[str, str]) -> str:
    """The human-readable form (plain text, one block per LID); ``labels`` are translated."""
    lines = [f"{labels['splp']}: {package['splp_base_url']}",
             f"{labels['tenant']}: {package['tenant_domain']}", ""]
    for number, part in enumerate(package["lids"], 1):
        lines += [f"{number}. {part['name']}", f"   {labels['description']}: "
                  f"{part['description']}", f"   {labels['endpoint']}: {part['endpoint_url']}",
                  f"   {labels['context']}: {part['context']}",
                  f"   {labels['version']}: {part['version']}",
                  f"   {labels['output']}: {part['output_format']}",
                  f"   {labels['classification']}: {part['classification']}",
                  f"   {labels['attributes']}:"]
        lines += [f"     - {a['name']} ({a.get('type') or 'string'}): "
                  f"{a.get('description') or ''}" for a in part["attributes"]] or ["     -"]
        if part["problems"]:
            lines.append(f"   {labels['problems']}: " + "; ".join(part["problems"]))
        lines.append("")
    return "\n".join(lines)
