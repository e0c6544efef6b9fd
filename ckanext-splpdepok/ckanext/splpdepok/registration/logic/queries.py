"""Read side of registrations: show, list (the reviewer queue), the SLA report."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.common.roles import is_walidata, user_obj
from ckanext.splpdepok.common.text import LIKE_ESCAPE, like_contains
from ckanext.splpdepok.registration.logic import provision, schema
from ckanext.splpdepok.registration.logic.auth import (
    administered_domains,
    can_view,
    is_reviewer_of_kind,
    may_perform,
)
from ckanext.splpdepok.registration.model import Registration, registrations_table
from ckanext.splpdepok.registration.workflow import MACHINE, SUBJECT, SUBMITTED, review_step
from ckanext.splpdepok.sop import model as events
from ckanext.splpdepok.sop import sla
from ckanext.splpdepok.sop.logic import standards
from ckanext.splpdepok.sop.steps import STEPS

SEARCHED = ("ippd_domain", "ippd_name", "username", "full_name", "new_organization_title")


def age(reg: Registration, now: dt.datetime | None = None) -> dict[str, Any]:
    """Working minutes a submitted registration has waited, against its review standard."""
    if reg.status != SUBMITTED or reg.submitted is None:
        return {"age_minutes": None, "standard_minutes": None, "overdue": False}
    step = review_step(reg.kind)
    minutes = standards.calendar().working_minutes(reg.submitted, now or clock.now())
    standard = standards.standard_minutes(step)
    return {"age_minutes": round(minutes, 1), "standard_minutes": standard,
            "overdue": minutes > standard, "review_step": step}


def registration_dict(reg: Registration, user: model.User | None, *,
                      with_events: bool = False) -> dict[str, Any]:
    """The registration as ``user`` may see it: the account approval linked and the provisioning
    details of the history only for its reviewers (never for the applicant)."""
    reviewer = is_reviewer_of_kind(user, reg)
    data = reg.dictize(personal=can_view(user, reg), reviewer=reviewer)
    data.update(age(reg))
    data["actions"] = [name for name in MACHINE.allowed(reg.status, reg.kind)
                       if may_perform(user, reg, name)[0]]
    # a reviewer who may not review this one (separation of duties) is told why
    refusal = ""
    if reviewer and reg.status == SUBMITTED and not data["actions"]:
        refusal = tk._(may_perform(user, reg, "approve")[1])
    data["review_refusal"] = refusal
    if with_events:
        data["events"] = [_event(e.dictize(), reviewer)
                          for e in events.for_subject(SUBJECT, reg.id)]
    return data


# What the applicant sees of an event's data: its own documents (names, replacements);
# provisioning details (which account approval linked) stay with the reviewers.
APPLICANT_EVENT_DATA = ("documents", "replaced")


def _event(event: dict[str, Any], reviewer: bool) -> dict[str, Any]:
    if not reviewer:
        data = event.get("data") or {}
        event["data"] = {k: data[k] for k in APPLICANT_EVENT_DATA if k in data}
    return event


@tk.side_effect_free
@tk.validate(schema.show_schema)
def registration_show(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """One registration with its documents and its full event history.

    :param id: the registration
    """
    tk.check_access("splpdepok_registration_show", context, data_dict)
    reg = Registration.get(data_dict["id"])
    if reg is None:
        raise tk.ObjectNotFound(tk._("Registration not found"))
    return registration_dict(reg, user_obj(context.get("user")), with_events=True)


def visible_query(user: model.User, *, mine: bool = False) -> Any:
    """Registrations ``user`` may see: own ones; all for the walidata; LID ones of their IPPDs."""
    query = model.Session.query(Registration)
    if mine:
        return query.filter(Registration.creator_user_id == user.id)
    if is_walidata(user):
        return query
    domains = administered_domains(user)
    own = Registration.creator_user_id == user.id
    if domains:
        return query.filter(sa.or_(own, sa.and_(Registration.kind == "lid",
                                                registrations_table.c.ippd_domain.in_(domains))))
    return query.filter(own)


@tk.side_effect_free
@tk.validate(schema.list_schema)
def registration_list(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Registrations the caller may see, newest first.

    :param kind: optional filter (``ippd``, ``ippd_admin``, ``lid``)
    :param status: optional filter (draft, submitted, returned, approved, rejected)
    :param overdue: optional; true: only submitted ones past their review standard
    :param organization: optional filter: id of the organization the application names
    :param text: optional search in domain, IPPD name, user name, full name, new organization
    :param mine: optional; true: only the caller's own applications
    :param limit: page size (1-100, default 20); :param offset: default 0
    :returns: ``{"count": n, "results": [...]}``
    """
    tk.check_access("splpdepok_registration_list", context, data_dict)
    user = user_obj(context.get("user"))
    if user is None:
        raise tk.NotAuthorized(tk._("Sign in to see registrations"))
    query = visible_query(user, mine=bool(data_dict.get("mine")))
    for field in ("kind", "status"):
        if data_dict.get(field):
            query = query.filter(getattr(Registration, field) == data_dict[field])
    if data_dict.get("organization"):
        query = query.filter(
            registrations_table.c.requested_organization_id == data_dict["organization"])
    if data_dict.get("text"):
        pattern = like_contains(data_dict["text"])
        query = query.filter(sa.or_(*(
            getattr(Registration, f).ilike(pattern, escape=LIKE_ESCAPE) for f in SEARCHED)))
    query = query.order_by(registrations_table.c.created.desc(), Registration.id)
    limit, offset = data_dict["limit"], data_dict["offset"]
    if data_dict.get("overdue"):
        regs = [r for r in query.filter(Registration.status == SUBMITTED) if age(r)["overdue"]]
        count, page = len(regs), regs[offset:offset + limit]
    else:
        count, page = query.count(), query.offset(offset).limit(limit).all()
    return {"count": count, "results": [registration_dict(r, user) for r in page]}


@tk.side_effect_free
@tk.validate(schema.report_schema)
def sla_report(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Compliance with the SOP time standards, per step: count, median, share within standard.

    :param subject_type: optional (``registration``; the LID workflow adds its own)
    """
    tk.check_access("splpdepok_sla_report", context, data_dict)
    all_standards = standards.all_standards()
    rows = sla.compliance(events.measured_samples(data_dict.get("subject_type")), all_standards)
    return {"steps": [{
        "step": r.step,
        "activity": STEPS[r.step].activity if r.step in STEPS else "",
        "standard": standards.standard_text(r.step) if r.step in STEPS else "",
        "standard_minutes": r.standard_minutes,
        "count": r.count,
        "measured": r.measured,
        "median_minutes": None if r.median_minutes is None else round(r.median_minutes, 1),
        "within_standard": r.within_standard,
        "share_within": None if r.share_within is None else round(r.share_within, 3),
    } for r in rows]}


@tk.side_effect_free
@tk.validate(schema.show_schema)
def registration_plan(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """What approving the registration would do now, for its reviewers only: the user created
    or linked (which existing account), the organization created or linked, the role granted,
    or why it cannot be approved; ``fingerprint`` goes with the approval.

    :param id: the registration
    """
    tk.check_access("splpdepok_registration_plan", context, data_dict)
    reg = Registration.get(data_dict["id"])
    if reg is None:
        raise tk.ObjectNotFound(tk._("Registration not found"))
    result = provision.plan(reg).dictize()
    user = user_obj(context.get("user"))
    result["may_approve"], reason = may_perform(user, reg, "approve")
    result["refusal"] = tk._(reason) if reason else ""
    return result
