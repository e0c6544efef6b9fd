"""Connection plan actions (SOP steps 11-14): prepare, edit, send, guide received, instruction.

Each step takes the plan's row lock, checks the transition table (lid.workflow) and records an
immutable SOP event through ``sop.events`` (the same mechanism as registrations).
"""
from __future__ import annotations

import hashlib
import os
from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, ContextValidator
from ckanext.splpdepok import config
from ckanext.splpdepok.lid import access, schema
from ckanext.splpdepok.lid.logic.entries import _actor, _commit
from ckanext.splpdepok.lid.model import DRAFT, Lid, lid_table, make_id
from ckanext.splpdepok.lid.plan_model import Plan, SyncRun, checks_for, run_table
from ckanext.splpdepok.lid.workflow import ADVANCE, MACHINE, SUBJECT
from ckanext.splpdepok.registration import documents
from ckanext.splpdepok.registration.model import Ippd
from ckanext.splpdepok.sop import events
from ckanext.splpdepok.sop.machine import NEW, Transition, TransitionError
from ckanext.splpdepok.common import clock


class Conflict(tk.ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__({"conflict": [message]}, error_summary={"Conflict": message})


def record(plan: Plan, transition: Transition, user: model.User | None, note: str = "",
           data: dict[str, Any] | None = None, measured: bool = True) -> None:
    neutral = transition.name == "update"
    events.record(SUBJECT, plan.id, transition,
                  actor_user_id=user.id if user else None,
                  actor_name=user.name if user else "system", note=note,
                  data=dict(data or {}, clock=not neutral), measured=measured and not neutral)


def locked(plan_id: str, name: str) -> tuple[Plan, Transition]:
    plan = Plan.get(plan_id, for_update=True)
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    try:
        transition = MACHINE.find(name, plan.status)
    except TransitionError as error:
        model.Session.rollback()
        raise Conflict(tk._("The plan is '%(status)s'; allowed now: %(allowed)s") % {
            "status": plan.status, "allowed": ", ".join(error.allowed) or "-"}) from None
    return plan, transition


def _lid_ids(value: Any, domain: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list):
        raise tk.ValidationError({"lid_ids": [tk._("Must be a list of LID ids")]})
    found = {lid.id: lid for lid in model.Session.query(Lid).filter(
        lid_table.c.id.in_([str(v) for v in value]))}
    wrong = [str(v) for v in value if str(v) not in found or found[str(v)].ippd_domain != domain]
    if wrong:
        raise tk.ValidationError({"lid_ids": [tk._("Not LIDs of this IPPD: %(ids)s")
                                              % {"ids": ", ".join(wrong)}]})
    return list(dict.fromkeys(str(v) for v in value))


def _tenant(value: Any) -> str:
    try:
        validator = cast(ContextValidator, tk.get_validator("splpdepok_domain"))
        return str(validator(value, {}) or "")
    except tk.Invalid as error:
        raise tk.ValidationError({"tenant_domain": [str(error.error)]}) from None


def plan_dict(plan: Plan, *, detail: bool = True) -> dict[str, Any]:
    data = plan.dictize()
    data["allowed"] = MACHINE.allowed(plan.status)
    if detail:
        lids = model.Session.query(Lid).filter(lid_table.c.id.in_(plan.lid_ids or [])).all()
        data["lids"] = [{"id": lid.id, "name": lid.name, "status": lid.status,
                         "context": lid.context, "version": lid.version,
                         "national_api_id": (lid.ledger().api_id if lid.ledger() else None)}
                        for lid in sorted(lids, key=lambda lid: lid.name)]
        data["events"] = [e.dictize() for e in events.for_subject(SUBJECT, plan.id)]
        runs = (model.Session.query(SyncRun).filter(SyncRun.plan_id == plan.id)
                .order_by(run_table.c.created.desc()).limit(10).all())
        data["runs"] = [r.dictize() for r in runs]
        data["checks"] = [c.dictize() for c in checks_for(plan.id, limit=10)]
    return data


@tk.validate(schema.plan_create_schema)
def plan_create(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Prepare the connection plan of an IPPD with SPLP (SOP step 11).

    :param ippd_domain: the IPPD (default: the caller's own, as LID operator or admin)
    :param splp_base_url: optional, default the configured SPLP (it must be that one)
    :param tenant_domain: optional, default the IPPD's tenant
    :param lid_ids: the LIDs planned for the connection (entries of this IPPD)
    """
    tk.check_access("splpdepok_lid_plan_create", context, data_dict)
    user = _actor(context)
    domain = str(data_dict.get("ippd_domain") or "")
    if not domain:
        registration = access.operator_registration(user)
        managed = access.managed_domains(user)
        domain = registration.ippd_domain if registration else (managed[0] if managed else "")
    ippd = Ippd.by_domain(domain)
    if ippd is None or not access.can_prepare_plan(user, domain):
        raise tk.ValidationError({"ippd_domain": [tk._("Not an IPPD you may plan for")]})
    if Plan.get(domain) is not None:
        raise tk.ValidationError({"ippd_domain": [tk._(
            "This IPPD already has a connection plan; open and edit it")]})
    base_url = str(data_dict.get("splp_base_url") or config.splp_base_url()).rstrip("/")
    if not base_url or base_url != config.splp_base_url():
        raise tk.ValidationError({"splp_base_url": [tk._(
            "Use the SPLP address configured for this portal: %(url)s")
            % {"url": config.splp_base_url() or "-"}]})
    tenant = _tenant(data_dict.get("tenant_domain") or ippd.tenant_domain
                     or config.splp_tenant_domain() or domain)
    now = clock.now()
    plan = Plan(id=make_id(), ippd_domain=domain, splp_base_url=base_url, tenant_domain=tenant,
                lid_ids=_lid_ids(data_dict.get("lid_ids"), domain), status="draft", version=1,
                creator_user_id=user.id, created=now, modified=now)
    model.Session.add(plan)
    model.Session.flush()
    record(plan, MACHINE.find("create", NEW), user, measured=False,
           data={"lid_ids": plan.lid_ids})
    _commit(context)
    return plan_dict(plan)


@tk.validate(schema.plan_update_schema)
def plan_update(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Edit a draft plan (step 11): the LIDs planned, the tenant domain.

    :param id: the plan (id or IPPD domain)
    :param lid_ids, tenant_domain: optional
    """
    tk.check_access("splpdepok_lid_plan_update", context, data_dict)
    user = _actor(context)
    plan, transition = locked(str(data_dict.get("id")), "update")
    if "lid_ids" in data_dict:
        plan.lid_ids = _lid_ids(data_dict["lid_ids"], plan.ippd_domain)
    if data_dict.get("tenant_domain"):
        plan.tenant_domain = _tenant(data_dict["tenant_domain"])
    plan.version += 1
    plan.modified = clock.now()
    record(plan, transition, user, data={"lid_ids": plan.lid_ids})
    _commit(context)
    return plan_dict(plan)


@tk.side_effect_free
@tk.validate(schema.id_schema)
def plan_show(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """A plan with its LIDs, SOP events, recent sync runs and checks.

    :param id: the plan (id or IPPD domain)
    """
    plan = Plan.get(str(data_dict.get("id") or ""))
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    tk.check_access("splpdepok_lid_plan_show", context, {"id": plan.id})
    return plan_dict(plan)


def _store_guide(plan: Plan, upload: Any) -> dict[str, Any]:
    try:
        checked = documents.check_upload("guide", upload)
    except ValueError as error:
        raise tk.ValidationError({"guide_upload": [tk._(str(error))]}) from None
    if checked is None:
        raise tk.ValidationError({"guide_upload": [tk._(
            "Upload the technical guide received from SPLP (PDF, DOCX or ODT)")]})
    folder = os.path.join(tk.config["ckan.storage_path"], "splpdepok", "lid", "plans", plan.id)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, make_id())
    with open(path, "wb") as handle:
        handle.write(checked.content)
    plan.guide_filename, plan.guide_mimetype = checked.filename, checked.mimetype
    plan.guide_size, plan.guide_path = len(checked.content), path
    plan.guide_sha256 = hashlib.sha256(checked.content).hexdigest()
    return {"guide": checked.filename, "sha256": plan.guide_sha256}


@tk.validate(schema.plan_advance_schema)
def plan_advance(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Carry out step 12 (``send``), 13 (``receive_guide``, with ``guide_upload``) or 14
    (``instruct_sync``) of the plan. SPLP's steps are recorded by the walidata or IPPD admin.

    :param id: the plan (id or IPPD domain)
    :param transition: ``send``, ``receive_guide`` or ``instruct_sync``
    :param note: optional
    :param guide_upload: the technical guide (receive_guide only)
    """
    name = str(data_dict.get("transition") or "")
    if name not in ADVANCE:
        raise tk.ValidationError({"transition": [tk._("Choose one of: %(names)s")
                                                 % {"names": ", ".join(ADVANCE)}]})
    plan = Plan.get(str(data_dict.get("id") or ""))
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    tk.check_access("splpdepok_lid_plan_advance", context, {"id": plan.id})
    user = _actor(context)
    plan, transition = locked(plan.id, name)
    data: dict[str, Any] = {}
    if name == "send":
        lids = model.Session.query(Lid).filter(lid_table.c.id.in_(plan.lid_ids or [])).all()
        if not lids or any(lid.status == DRAFT for lid in lids):
            model.Session.rollback()
            raise tk.ValidationError({"lid_ids": [tk._(
                "Plan at least one LID, and mark every planned LID ready first")]})
        data = {"lid_ids": plan.lid_ids, "splp_base_url": plan.splp_base_url,
                "tenant_domain": plan.tenant_domain}
    elif name == "receive_guide":
        data = _store_guide(plan, data_dict.get("guide_upload"))
    plan.status = transition.target
    plan.version += 1
    plan.modified = clock.now()
    record(plan, transition, user, note=str(data_dict.get("note") or "")[:2000], data=data)
    _commit(context)
    return plan_dict(plan)
