"""Connection plans (SOP steps 11-14): their SOP events, the transition under the plan's row
lock, the planned LIDs, the technical guide and the plan as the API shows it.

Each step takes the plan's row lock, checks the transition table (``lid.workflow``) and records
an immutable SOP event through ``sop.model`` (the same mechanism as registrations).
"""
from __future__ import annotations

import hashlib
import os
from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import ContextValidator
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.errors import Conflict
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.lid.model import Lid, Plan, PublicationRun, checks_for
from ckanext.splpdepok.lid.workflow import MACHINE, SUBJECT
from ckanext.splpdepok.registration.logic import documents
from ckanext.splpdepok.sop import model as events
from ckanext.splpdepok.sop.machine import Transition, TransitionError


def record(plan: Plan, transition: Transition, user: model.User | None, note: str = "",
           data: dict[str, Any] | None = None, measured: bool = True) -> None:
    """One SOP event; whether it restarts the clock is the SOP table's (``restarts_clock``)."""
    events.record(SUBJECT, plan.id, transition,
                  actor_user_id=user.id if user else None,
                  actor_name=user.name if user else "system", note=note,
                  data=data, measured=measured)


def get(id_or_domain: str) -> Plan:
    plan = Plan.get(id_or_domain)
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    return plan


def locked(plan_id: str, name: str) -> tuple[Plan, Transition]:
    """The plan under its row lock, with transition ``name`` from its state (else Conflict)."""
    plan = Plan.get(plan_id, for_update=True)
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    try:
        transition = MACHINE.find(name, plan.status)
    except TransitionError as error:
        model.Session.rollback()
        from ckanext.splpdepok.lid.helpers import splpdepok_lid_plan_status_label

        allowed = [tk._(MACHINE.label(n, plan.status)) for n in error.allowed]
        raise Conflict(tk._("This step cannot be done now: the plan is at \"%(status)s\". "
                            "Possible now: %(allowed)s") % {
            "status": splpdepok_lid_plan_status_label(plan.status),
            "allowed": "; ".join(allowed) or "-"}) from None
    return plan, transition


def already_done(plan: Plan, name: str) -> bool:
    """Whether ``name`` is the plan's latest step done by a person and the plan is still where
    it left it: a second click on the same button records nothing (idempotent on state)."""
    automatic = {t.name for t in MACHINE.transitions if t.automatic}
    done = [e for e in events.for_subject(SUBJECT, plan.id) if e.transition not in automatic]
    return bool(done) and done[-1].transition == name and done[-1].to_state == plan.status


def locked_or_done(plan_id: str, name: str) -> tuple[Plan, Transition | None]:
    """As ``locked``; ``None`` for the transition when the same step was just done (the
    concurrent or repeated request waits for the row lock, then sees it done)."""
    plan = Plan.get(plan_id, for_update=True)
    if plan is not None and already_done(plan, name):
        return plan, None
    return locked(plan_id, name)


def insert(plan: Plan) -> None:
    """Write a new plan; one prepared meanwhile for the IPPD (a second click, the unique
    index) is a 409 and leaves only the first."""
    from sqlalchemy.exc import IntegrityError

    model.Session.add(plan)
    try:
        model.Session.flush()
    except IntegrityError:
        model.Session.rollback()
        raise Conflict(tk._("This IPPD already has a connection plan; open and edit it")
                       ) from None


def touch(plan: Plan) -> None:
    """A new version of the plan (pages and re-checks compare versions)."""
    plan.version += 1
    plan.modified = now()


def lid_ids(value: Any, domain: str) -> list[str]:
    """The planned LIDs: entries of this IPPD, each once."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list):
        raise tk.ValidationError({"lid_ids": [tk._("Must be a list of LID ids")]})
    found = {lid.id: lid for lid in Lid.of_ids([str(v) for v in value])}
    wrong = [str(v) for v in value if str(v) not in found or found[str(v)].ippd_domain != domain]
    if wrong:
        raise tk.ValidationError({"lid_ids": [tk._("Not LIDs of this IPPD: %(ids)s")
                                              % {"ids": ", ".join(wrong)}]})
    return list(dict.fromkeys(str(v) for v in value))


def tenant(value: Any) -> str:
    try:
        validator = cast(ContextValidator, tk.get_validator("splpdepok_domain"))
        return str(validator(value, {}) or "")
    except tk.Invalid as error:
        raise tk.ValidationError({"tenant_domain": [str(error.error)]}) from None


def _planned_lid(lid: Lid) -> dict[str, Any]:
    ledger = lid.ledger()
    return {"id": lid.id, "name": lid.name, "status": lid.status, "context": lid.context,
            "version": lid.version, "national_api_id": ledger.api_id if ledger else None}


def plan_dict(plan: Plan, *, detail: bool = True) -> dict[str, Any]:
    data = plan.dictize()
    data["allowed"] = MACHINE.allowed(plan.status)
    if detail:
        lids = sorted(Lid.of_ids(plan.lid_ids or []), key=lambda lid: lid.name)
        data["lids"] = [_planned_lid(lid) for lid in lids]
        data["events"] = [e.dictize() for e in events.for_subject(SUBJECT, plan.id)]
        data["runs"] = [r.dictize() for r in PublicationRun.recent(plan.id, limit=10)]
        data["checks"] = [c.dictize() for c, _domain in checks_for(plan.id, limit=10)]
    return data


def store_guide(plan: Plan, upload: Any) -> dict[str, Any]:
    """Keep the technical guide received from SPLP (step 13) in the storage path."""
    try:
        checked = documents.check_upload("guide", upload)
    except ValueError as error:
        raise tk.ValidationError({"guide_upload": [tk._(str(error))]}) from None
    if checked is None:
        raise tk.ValidationError({"guide_upload": [tk._(
            "Upload the technical guide received from SPLP (PDF, DOCX or ODT)")]})
    folder = os.path.join(tk.config["ckan.storage_path"], "splpdepok", "lid", "plans", plan.id)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, new_id())
    with open(path, "wb") as handle:
        handle.write(checked.content)
    plan.guide_filename, plan.guide_mimetype = checked.filename, checked.mimetype
    plan.guide_size, plan.guide_path = len(checked.content), path
    plan.guide_sha256 = hashlib.sha256(checked.content).hexdigest()
    return {"guide": checked.filename, "sha256": plan.guide_sha256}
