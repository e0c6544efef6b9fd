"""Registration and SOP records as spreadsheets (the SOP keeps them in Excel too).

The CSV is one row per registration event. The XLSX is the auditor's workbook: one sheet per
record kind ("Pendaftaran": registrations with every SOP event, "Rencana LID": connection plans
with their steps 11-18, "Standar Waktu": the time-standard report), translated headers and
labels instead of codes, times as real Excel datetimes in WIB, full SHA-256 hashes, filters,
a frozen header row and fitted column widths.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
import openpyxl
from ckan import model
from ckanext.splpdepok.lid.helpers import splpdepok_lid_plan_status_label
from ckanext.splpdepok.lid.model import Plan
from ckanext.splpdepok.lid.workflow import SUBJECT as PLAN_SUBJECT
from ckanext.splpdepok.registration.helpers import (
    splpdepok_registration_kind_label,
    splpdepok_registration_status_label,
)
from ckanext.splpdepok.registration.model import Registration
from ckanext.splpdepok.registration.workflow import SUBJECT
from ckanext.splpdepok.sop import helpers as sop_helpers
from ckanext.splpdepok.sop import model as events
from ckanext.splpdepok.sop import sla
from ckanext.splpdepok.sop.logic import standards
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIB = ZoneInfo("Asia/Jakarta")
WIB_FORMAT = "dd/mm/yyyy hh:mm:ss"
SHEET_REGISTRATIONS, SHEET_PLANS, SHEET_STANDARDS = "Pendaftaran", "Rencana LID", "Standar Waktu"
COLUMNS = (
    "registration_id", "kind", "status", "ippd_domain", "ippd_name", "username", "full_name",
    "email", "phone", "organization", "applicant", "registration_created",
    "event_seq", "event_time", "transition", "from_state", "to_state", "sop_step", "actor",
    "note", "elapsed_minutes", "standard_minutes", "within_standard", "documents",
)
# English msgids of the headers (translated with tk._; "WIB" says the time zone in the header).
HEADERS: dict[str, str] = {
    "registration_id": "Registration ID", "kind": "Registration kind", "status": "Status",
    "ippd_domain": "IPPD domain", "ippd_name": "IPPD name", "username": "Username",
    "full_name": "Full name", "email": "Email", "phone": "Phone",
    "organization": "Organization", "applicant": "Applicant",
    "registration_created": "Registered at (WIB)", "event_seq": "Event no.",
    "event_time": "Event time (WIB)", "transition": "SOP action", "from_state": "From status",
    "to_state": "To status", "sop_step": "SOP step", "step_activity": "SOP activity",
    "actor": "Done by", "note": "Note", "elapsed_minutes": "Working time (minutes)",
    "standard_minutes": "Time standard (minutes)", "within_standard": "Within the standard",
    "documents": "Documents (SHA-256)", "evidence": "Evidence reference",
    "plan_id": "Plan ID", "plan_status": "Plan status", "tenant_domain": "SPLP tenant",
    "plan_created": "Plan created at (WIB)", "guide": "Technical guide (SHA-256)",
    "activity": "Activity", "standard": "Standard", "count": "Count",
    "measured": "Measured", "median_minutes": "Median (working minutes)",
    "share_within": "Share within standard (%)",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60


def all_registrations() -> list[Registration]:
    return model.Session.query(Registration).order_by(Registration.created).all()


def all_plans() -> list[Plan]:
    return model.Session.query(Plan).order_by(Plan.created).all()


def wib(value: dt.datetime | None) -> dt.datetime | None:
    """An instant as naive Jakarta wall time (Excel has no time zones; the header says WIB)."""
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(WIB).replace(tzinfo=None)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (tk._("Yes") if value else tk._("No"))


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def document_text(reg: Registration) -> str:
    """Every document of a registration (replaced versions too) with its full SHA-256."""
    return "; ".join(f"{d.filename} sha256:{d.sha256}" for d in reg.documents())


def evidence_text(data: dict[str, Any] | None) -> str:
    """What an event's data points at (documents, evidence URL, check or run ids), as text."""
    parts = []
    for key, value in sorted((data or {}).items()):
        if key in ("clock", "fields") or value in (None, "", [], {}):
            continue
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def _event_base(subject_type: str, event: events.SopEvent) -> dict[str, Any]:
    return {
        "event_seq": event.seq,
        "event_time": event.created,
        "transition": sop_helpers.splpdepok_sop_label(subject_type, event.transition,
                                                      event.from_state),
        "sop_step": event.step,
        "step_activity": sop_helpers.splpdepok_sop_activity_label(event.step),
        "actor": event.actor_name, "note": event.note,
        "elapsed_minutes": _minutes(event.elapsed_minutes),
        "standard_minutes": event.standard_minutes,
        "within_standard": event.within_standard,
        "evidence": evidence_text(event.data),
    }


def event_rows(registrations: Iterable[Registration]) -> list[dict[str, Any]]:
    """One row per registration event, raw values (codes, UTC instants) for the CSV."""
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
            "registration_created_at": reg.created, "all_documents": document_text(reg),
        }
        for event in events.for_subject(SUBJECT, reg.id):
            rows.append({**base, **_event_base(SUBJECT, event), **{
                "event_time": event.created.isoformat(timespec="seconds"),
                "event_time_at": event.created,
                "transition_code": event.transition,
                "transition": event.transition, "from_state": event.from_state or "",
                "to_state": event.to_state,
                "documents": ", ".join((event.data or {}).get("documents") or []),
            }})
    return rows


def plan_rows(plans: Iterable[Plan]) -> list[dict[str, Any]]:
    """One row per connection-plan event (SOP steps 11-18), labelled, times as instants."""
    rows = []
    for plan in plans:
        guide = (f"{plan.guide_filename} sha256:{plan.guide_sha256}"
                 if plan.guide_filename else "")
        base = {"plan_id": plan.id, "ippd_domain": plan.ippd_domain,
                "tenant_domain": plan.tenant_domain, "plan_status": plan.status,
                "plan_created": plan.created, "guide": guide}
        for event in events.for_subject(PLAN_SUBJECT, plan.id):
            rows.append({**base, **_event_base(PLAN_SUBJECT, event)})
    return rows


def standard_rows() -> list[dict[str, Any]]:
    """The time-standard report: every SOP step, every event of every workflow counted."""
    figures = sla.compliance(events.measured_samples(), standards.all_standards())
    return [{
        "sop_step": r.step, "activity": sop_helpers.splpdepok_sop_activity_label(r.step),
        "standard": standards.standard_text(r.step), "standard_minutes": r.standard_minutes,
        "count": r.count, "measured": r.measured,
        "median_minutes": _minutes(r.median_minutes), "within_standard": r.within_standard,
        "share_within": None if r.share_within is None else round(r.share_within * 100, 1),
    } for r in figures]


def _csv_safe(value: Any) -> Any:
    """Spreadsheet formula injection guard (OWASP): text starting like a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(rows: list[dict[str, Any]]) -> str:
    """The registration events as CSV, translated headers over the raw values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([tk._(HEADERS[k]) for k in COLUMNS])
    for row in rows:
        writer.writerow([_csv_safe(row.get(k)) for k in COLUMNS])
    return out.getvalue()


Column = tuple[str, Callable[[dict[str, Any]], Any]]


def _key(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(name)


_REGISTRATION_SHEET: tuple[Column, ...] = (
    ("registration_id", _key("registration_id")),
    ("kind", lambda r: splpdepok_registration_kind_label(r["kind"])),
    ("status", lambda r: splpdepok_registration_status_label(r["status"])),
    ("ippd_domain", _key("ippd_domain")), ("ippd_name", _key("ippd_name")),
    ("username", _key("username")), ("full_name", _key("full_name")),
    ("email", _key("email")), ("phone", _key("phone")),
    ("organization", _key("organization")), ("applicant", _key("applicant")),
    ("registration_created", lambda r: wib(r["registration_created_at"])),
    ("event_seq", _key("event_seq")),
    ("event_time", lambda r: wib(r["event_time_at"])),
    ("sop_step", _key("sop_step")), ("step_activity", _key("step_activity")),
    ("transition", lambda r: sop_helpers.splpdepok_sop_label(
        SUBJECT, r["transition_code"], r["from_state"] or None, r["kind"])),
    ("from_state", lambda r: splpdepok_registration_status_label(r["from_state"])
     if r["from_state"] else ""),
    ("to_state", lambda r: splpdepok_registration_status_label(r["to_state"])),
    ("actor", _key("actor")), ("note", _key("note")),
    ("elapsed_minutes", _key("elapsed_minutes")),
    ("standard_minutes", _key("standard_minutes")),
    ("within_standard", lambda r: _yes_no(r["within_standard"])),
    ("documents", _key("all_documents")),
)
_PLAN_SHEET: tuple[Column, ...] = (
    ("plan_id", _key("plan_id")), ("ippd_domain", _key("ippd_domain")),
    ("tenant_domain", _key("tenant_domain")),
    ("plan_status", lambda r: splpdepok_lid_plan_status_label(r["plan_status"])),
    ("plan_created", lambda r: wib(r["plan_created"])),
    ("event_seq", _key("event_seq")), ("event_time", lambda r: wib(r["event_time"])),
    ("sop_step", _key("sop_step")), ("step_activity", _key("step_activity")),
    ("transition", _key("transition")), ("actor", _key("actor")), ("note", _key("note")),
    ("evidence", _key("evidence")), ("elapsed_minutes", _key("elapsed_minutes")),
    ("standard_minutes", _key("standard_minutes")),
    ("within_standard", lambda r: _yes_no(r["within_standard"])),
    ("guide", _key("guide")),
)
_STANDARD_SHEET: tuple[Column, ...] = tuple(
    (k, _key(k)) for k in ("sop_step", "activity", "standard", "standard_minutes", "count",
                           "measured", "median_minutes", "within_standard", "share_within"))


def _fill(sheet: Worksheet, columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> None:
    headers = [tk._(HEADERS[name]) for name, _get in columns]
    sheet.append(headers)
    widths = [len(h) for h in headers]
    for row in rows:
        sheet.append([None] * len(columns))
        for col, (_name, get) in enumerate(columns, start=1):
            value = get(row)
            cell = sheet.cell(row=sheet.max_row, column=col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the applicant typed
            elif isinstance(value, dt.datetime):
                cell.number_format = WIB_FORMAT
            shown = len(WIB_FORMAT) if isinstance(value, dt.datetime) else len(str(value or ""))
            widths[col - 1] = max(widths[col - 1], shown)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(width + 2, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"


def workbook(rows: list[dict[str, Any]], plans: list[dict[str, Any]] | None = None,
             report: list[dict[str, Any]] | None = None) -> openpyxl.Workbook:
    """The auditor's workbook; plans and report default to every plan and the live report."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None  # a new workbook always has its first sheet active
    first.title = SHEET_REGISTRATIONS
    _fill(first, _REGISTRATION_SHEET, rows)
    _fill(book.create_sheet(SHEET_PLANS), _PLAN_SHEET,
          plan_rows(all_plans()) if plans is None else plans)
    _fill(book.create_sheet(SHEET_STANDARDS), _STANDARD_SHEET,
          standard_rows() if report is None else report)
    return book


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    out = io.BytesIO()
    workbook(rows).save(out)
    return out.getvalue()
