"""What the LID pages' forms read and show, as pure code: the attribute lines, the field labels
errors are shown with (never a raw key such as ``ippd_domain`` or ``context``), the CSV cell
guard and the labels of the publication package's text form. The labels are English msgids;
the pages translate them.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

FORM_FIELDS = ("name", "description", "endpoint_url", "output_format", "classification",
               "context", "version")
FIELD_LABELS = {
    "name": "Name", "description": "Description", "endpoint_url": "Endpoint address",
    "output_format": "Output format", "classification": "Classification",
    "context": "Context path", "version": "Version", "attributes": "Attributes",
    "datasets": "Datasets served", "ready": "Ready for SPLP", "ippd_domain": "IPPD",
    "lid_ids": "Planned LIDs", "tenant_domain": "Tenant domain",
    "splp_base_url": "SPLP address", "guide_upload": "Technical guide",
    "evidence_upload": "Evidence", "evidence_url": "Evidence address", "note": "Note",
    "outcome": "Result", "transition": "SOP step", "id": "Connection plan",
}
# Keys whose messages say it all (a Conflict's, a step's own).
UNLABELLED = ("conflict", "message")
PACKAGE_LABELS = {
    "splp": "SPLP address", "tenant": "Tenant domain", "description": "Description",
    "endpoint": "Endpoint address", "context": "Context path", "version": "Version",
    "output": "Output format", "classification": "Classification",
    "attributes": "Attributes", "problems": "Problems",
}


def field_label(key: str, translate: Callable[[str], str]) -> str:
    """The translated label of form field ``key`` (a humanised key when it has none)."""
    return translate(FIELD_LABELS[key]) if key in FIELD_LABELS else key.replace("_", " ")


def error_lines(errors: dict[str, Any], translate: Callable[[str], str]) -> list[str]:
    """``Label: message; message`` per field, for the pages and flash messages."""
    lines = []
    for key, value in errors.items():
        texts = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        if key in UNLABELLED:
            lines.append("; ".join(texts))
            continue
        lines.append(f"{field_label(str(key), translate)}: {'; '.join(texts)}")
    return lines


def attributes_text(attributes: list[dict[str, str]]) -> str:
    return "\n".join(f"{a['name']} | {a['type']} | {a['description']}" for a in attributes)


def parse_attributes(text: str) -> list[dict[str, str]]:
    """One field per line: ``name | type | description`` (type and description optional)."""
    rows = []
    for line in (text or "").splitlines():
        if line.strip():
            parts = [p.strip() for p in line.split("|", 2)] + ["", ""]
            rows.append({"name": parts[0], "type": parts[1] or "string",
                         "description": parts[2]})
    return rows


def cell(value: Any) -> Any:
    """No spreadsheet formulas from user text (CSV injection)."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
