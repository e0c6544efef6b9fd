"""Printable SOP records (the SOP keeps its records electronically or printed as evidence): one
page per registration and per connection plan, every event with who/when/step/note/working time
against the standard, the documents with their full SHA-256 and signature lines. Walidata only;
the pages carry no navigation and print on A4 (``public/splpdepok/print.css``)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.common.context import request_context
from ckanext.splpdepok.lid.model import Plan
from ckanext.splpdepok.lid.workflow import SUBJECT as PLAN_SUBJECT
from ckanext.splpdepok.registration.logic.export import wib
from ckanext.splpdepok.registration.model import Registration
from ckanext.splpdepok.registration.workflow import SUBJECT as REGISTRATION_SUBJECT
from ckanext.splpdepok.sop import model as events
from flask import Blueprint

blueprint = Blueprint("splpdepok_sop", __name__)
TEMPLATE = "splpdepok/sop/print.html"


def _denied() -> Any:
    """Sign in first; then only the walidata may print SOP records."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    try:
        tk.check_access("splpdepok_sop_record_print", request_context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the walidata may print SOP records"))
    return None


def wib_text(value: Any) -> str:
    """An instant (datetime or ISO text) as "02-12-2026 19:43 WIB"."""
    if isinstance(value, str):
        value = clock.aware(dt.datetime.fromisoformat(value))
    shown = wib(value)
    return f"{shown:%d-%m-%Y %H:%M} WIB" if shown else "—"


def _events(subject_type: str, subject_id: str, variant: str = "") -> list[dict[str, Any]]:
    """The subject's events with what the page shows (``variant``: a registration's kind)."""
    return [dict(e.dictize(), subject_type=subject_type, variant=variant,
                 created_wib=wib_text(e.created))
            for e in events.for_subject(subject_type, subject_id)]


@blueprint.route("/ckan-admin/pendaftaran/<id>/cetak")
def registration(id: str) -> Any:
    denied = _denied()
    if denied is not None:
        return denied
    if Registration.get(id) is None:  # the walidata may know that it does not exist
        return tk.abort(404, tk._("Registration not found"))
    try:
        found = tk.get_action("splpdepok_registration_show")(request_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Registration not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the walidata may print SOP records"))
    reg = Registration.get(found["id"])
    documents = [dict(d.dictize(), created_wib=wib_text(d.created))
                 for d in (reg.documents() if reg else [])]
    return tk.render(TEMPLATE, {
        "kind": "registration", "record": found, "record_id": found["id"],
        "events": _events(REGISTRATION_SUBJECT, found["id"], found["kind"]), "documents": documents,
        "generated": wib_text(clock.now())})


@blueprint.route("/katalog-lid/rencana/<id>/cetak")
def plan(id: str) -> Any:
    denied = _denied()
    if denied is not None:
        return denied
    if Plan.get(id) is None:
        return tk.abort(404, tk._("Connection plan not found"))
    try:
        found = tk.get_action("splpdepok_lid_plan_show")(request_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Connection plan not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the walidata may print SOP records"))
    guide = found.get("guide")
    documents = [dict(guide, kind="guide", created_wib="")] if guide else []
    return tk.render(TEMPLATE, {
        "kind": "plan", "record": found, "record_id": found["id"],
        "events": _events(PLAN_SUBJECT, found["id"]), "documents": documents,
        "generated": wib_text(clock.now())})
