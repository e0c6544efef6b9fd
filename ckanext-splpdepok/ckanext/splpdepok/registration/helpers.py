"""Template helpers of the registration pages."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok import config
from ckanext.splpdepok.common import timefmt
from ckanext.splpdepok.common.helpers import splpdepok_datetime
from ckanext.splpdepok.registration import guidance
from ckanext.splpdepok.registration.workflow import SUBMITTED, review_step
from ckanext.splpdepok.sop import sla
from ckanext.splpdepok.sop.logic import standards
from ckanext.splpdepok.sop.steps import ACTOR_LABELS

KIND_LABELS = {
    "ippd": "Penyelenggara SPL IPPD",
    "ippd_admin": "Admin Penyelenggara SPL IPPD",
    "lid": "Penyelenggara LID",
}
STATUS_LABELS = {
    "draft": "Draft", "submitted": "Submitted", "returned": "Returned (incomplete)",
    "approved": "Approved", "rejected": "Rejected",
}


def splpdepok_registration_kind_label(kind: str) -> str:
    return tk._(KIND_LABELS.get(kind, kind))


def splpdepok_registration_status_label(status: str) -> str:
    return tk._(STATUS_LABELS.get(status, status))


def splpdepok_ippd_domains_with_admin() -> list[str]:
    """Domains an LID registration can name (IPPDs with an active admin), for the form."""
    from ckanext.splpdepok.registration.model import Ippd

    return sorted(i.domain for i in Ippd.query_all() if i.has_active_admin())


def splpdepok_registration_organizations() -> list[tuple[str, str]]:
    """(id, title) of the organizations an IPPD application may choose, for the form's select
    (the walidata organization is not offered)."""
    from ckanext.splpdepok.registration.logic.applications import organization_options

    return [(org.id, org.title or org.name) for org in organization_options()]


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def splpdepok_standard_label(step: int) -> str:
    """The configured time standard of SOP ``step`` in words: "20 working minutes",
    "1 review session (8 working hours)"."""
    text = standards.standard_text(int(step))
    minutes = standards.standard_minutes(int(step))
    if not text.strip().lower().split()[-1].startswith("ses"):  # written in minutes
        return tk._("%(minutes)s working minutes") % {"minutes": _number(minutes)}
    return tk._("%(sessions)s review session(s) (%(hours)s working hours)") % {
        "sessions": _number(sla.parse_standard(text, 1.0)), "hours": _number(minutes / 60)}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def splpdepok_working_hours() -> str:
    """The SOP's working time: "Monday\u2013Friday, 08:00\u201316:00 WIB"."""
    calendar = standards.calendar()
    days = sorted(calendar.workdays)
    names = [tk._(_DAY_LABELS[d]) for d in days]
    consecutive = days == list(range(days[0], days[-1] + 1))
    day_text = (f"{names[0]}\u2013{names[-1]}" if consecutive and len(days) > 2
                else ", ".join(names))
    zone = timefmt.ZONE_LABELS.get(calendar.timezone, calendar.timezone)
    return (f"{day_text}, {calendar.start.strftime('%H:%M')}\u2013"
            f"{calendar.end.strftime('%H:%M')} {zone}")


def splpdepok_registration_guide() -> list[dict[str, Any]]:
    """Per kind, in the SOP's order: its steps (activity, who, standard), who reviews it and
    what must exist first; the texts are msgids translated here."""
    out = []
    for kind in guidance.ORDER:
        out.append({
            "kind": kind,
            "label": splpdepok_registration_kind_label(kind),
            "prerequisite": tk._(guidance.PREREQUISITES[kind]) if guidance.PREREQUISITES[kind]
            else "",
            "reviewers": [tk._(guidance.REVIEWER_LABELS[r]) for r in guidance.review_roles(kind)],
            "steps": [{"number": s.number, "activity": tk._(s.activity),
                       "actor": tk._(ACTOR_LABELS.get(s.actor, s.actor)),
                       "standard": splpdepok_standard_label(s.number)}
                      for s in guidance.path(kind)],
        })
    return out


def splpdepok_registration_documents_rule() -> dict[str, Any]:
    """The documents an application needs, the accepted types and the size limit (config)."""
    from ckanext.splpdepok.registration.logic.documents import ALLOWED

    types = [ext.lstrip(".").upper() for exts in ALLOWED.values() for ext in exts]
    return {"documents": [tk._(label) for label in guidance.DOCUMENT_LABELS.values()],
            "types": ", ".join(types),
            "max_mb": config.registration_max_document_bytes() // (1024 * 1024)}


def splpdepok_registration_document_label(kind: str) -> str:
    return tk._(guidance.DOCUMENT_LABELS.get(kind, kind))


def splpdepok_registration_review_due(registration: dict[str, Any]) -> dict[str, Any] | None:
    """For a submitted registration: who reviews it (by role) and by when, in the SOP's working
    time (its submission plus the review step's standard); None otherwise."""
    if registration.get("status") != SUBMITTED or not registration.get("submitted"):
        return None
    kind = registration["kind"]
    step = review_step(kind)
    submitted = dt.datetime.fromisoformat(registration["submitted"])
    due = guidance.add_working_minutes(standards.calendar(), submitted,
                                       standards.standard_minutes(step))
    return {"step": step, "standard": splpdepok_standard_label(step),
            "reviewers": [tk._(guidance.REVIEWER_LABELS[r]) for r in guidance.review_roles(kind)],
            "due": due.isoformat(), "due_text": splpdepok_datetime(due),
            "overdue": bool(registration.get("overdue"))}


def all_helpers() -> dict[str, Any]:
    return {
        "splpdepok_standard_label": splpdepok_standard_label,
        "splpdepok_working_hours": splpdepok_working_hours,
        "splpdepok_registration_guide": splpdepok_registration_guide,
        "splpdepok_registration_documents_rule": splpdepok_registration_documents_rule,
        "splpdepok_registration_document_label": splpdepok_registration_document_label,
        "splpdepok_registration_review_due": splpdepok_registration_review_due,
        "splpdepok_registration_kind_label": splpdepok_registration_kind_label,
        "splpdepok_registration_status_label": splpdepok_registration_status_label,
        "splpdepok_ippd_domains_with_admin": splpdepok_ippd_domains_with_admin,
        "splpdepok_registration_organizations": splpdepok_registration_organizations,
    }
