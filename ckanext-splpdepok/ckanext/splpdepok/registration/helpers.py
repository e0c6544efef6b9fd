"""Template helpers of the registration pages."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

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


def splpdepok_minutes(value: Any) -> str:
    """Minutes as "2 h 5 min" for the queue and the report."""
    if value is None:
        return "—"
    minutes = int(round(float(value)))
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"


def splpdepok_ippd_domains_with_admin() -> list[str]:
    """Domains an LID registration can name (IPPDs with an active admin), for the form."""
    from ckanext.splpdepok.registration.model import Ippd

    return sorted(i.domain for i in Ippd.query_all() if i.has_active_admin())


def splpdepok_registration_organizations() -> list[tuple[str, str]]:
    """(id, title) of the organizations an IPPD application may choose, for the form's select
    (the walidata organization is not offered)."""
    from ckanext.splpdepok.registration.logic.applications import organization_options

    return [(org.id, org.title or org.name) for org in organization_options()]


def all_helpers() -> dict[str, Any]:
    return {
        "splpdepok_registration_kind_label": splpdepok_registration_kind_label,
        "splpdepok_registration_status_label": splpdepok_registration_status_label,
        "splpdepok_minutes": splpdepok_minutes,
        "splpdepok_ippd_domains_with_admin": splpdepok_ippd_domains_with_admin,
        "splpdepok_registration_organizations": splpdepok_registration_organizations,
    }
