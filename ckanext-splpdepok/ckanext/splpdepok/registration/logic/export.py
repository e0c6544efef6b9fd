"""Registration records as spreadsheets (the SOP keeps them in Excel too): one row per event."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import openpyxl
from ckan import model
from ckanext.splpdepok.registration.model import Registration
from ckanext.splpdepok.registration.workflow import SUBJECT
from ckanext.splpdepok.sop import model as events

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    "registration_id", "kind", "status", "ippd_domain", "ippd_name", "username", "full_name",
    "email", "phone", "organization", "applicant", "registration_created",
    "event_seq", "event_time", "transition", "from_state", "to_state", "sop_step", "actor",
    "note", "elapsed_minutes", "standard_minutes", "within_standard", "documents",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def all_registrations() -> list[Registration]:
    return model.Session.query(Registration).order_by(Registration.created).all()


def event_rows(registrations: Iterable[Registration]) -> list[dict[str, Any]]:
    rows = []
    for reg in registrations:
        creator = model.User.get(reg.creator_user_id)
        base = {
            "registration_id": reg.id, "kind": reg.kind, "status": reg.status,
            "ippd_domain": reg.ippd_domain, "ippd_name": reg.ippd_name,
            "username": reg.username, "full_name": reg.full_name, "email": reg.email,
            "phone": reg.phone, "organization": reg.organization_title(),
            "applicant": creator.name if creator else reg.creator_user_id,
            "registration_created": reg.created.isoformat(timespec="seconds"),
        }
        for event in events.for_subject(SUBJECT, reg.id):
            rows.append(dict(base, **{
                "event_seq": event.seq,
                "event_time": event.created.isoformat(timespec="seconds"),
                "transition": event.transition, "from_state": event.from_state or "",
                "to_state": event.to_state, "sop_step": event.step,
                "actor": event.actor_name, "note": event.note,
                "elapsed_minutes": (None if event.elapsed_minutes is None
                                    else round(event.elapsed_minutes, 1)),
                "standard_minutes": event.standard_minutes,
                "within_standard": event.within_standard,
                "documents": ", ".join((event.data or {}).get("documents") or []),
            }))
    return rows


def _csv_safe(value: Any) -> Any:
    """Spreadsheet formula injection guard (OWASP): text starting like a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_safe(row.get(k)) for k in COLUMNS})
    return out.getvalue()


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet active
    sheet.title = "events"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([None] * len(COLUMNS))
        for col, key in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=sheet.max_row, column=col)
            cell.value = row.get(key)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the applicant typed
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
