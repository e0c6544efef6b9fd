"""The connection check of SOP step 16 for a plan, and what follows it.

Every synced LID of the plan is read back from SPLP (present, same fields, published, deployed)
and called through the gateway with a token (status and latency recorded). Failure sends the
plan back to step 15 with the reasons; success records steps 17-18 and notifies the IPPD admin
and the LID operators by mail and on-site notice (``notify``).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok.lid import adapter, messages
from ckanext.splpdepok.lid.logic.plans import Conflict, record
from ckanext.splpdepok.lid.model import (
    CHECK_FAILED,
    CONNECTED,
    SYNCED,
    Lid,
    lid_table,
    make_id,
)
from ckanext.splpdepok.lid.plan_model import Check, CheckResult, Plan
from ckanext.splpdepok.lid.runner import splp_entry
from ckanext.splpdepok.lid.splp import ConnectionReport, SplpError, check_connection
from ckanext.splpdepok.lid.workflow import MACHINE
from ckanext.splpdepok.notify.mail import Message, add_notice, send
from ckanext.splpdepok.sop.machine import TransitionError
from ckanext.splpdepok.common import clock

CHECKABLE = (SYNCED, CONNECTED, CHECK_FAILED)


def _reports(plan: Plan, lids: list[Lid]) -> list[ConnectionReport]:
    settings = adapter.settings()
    try:
        client = adapter.publisher(plan.splp_base_url)
        token: str | None = adapter.gateway_tokens(client).token()
    except SplpError as error:
        failed = []
        for lid in lids:
            report = ConnectionReport(context=lid.context, version=lid.version)
            report.problems.append(f"SPLP could not be reached: {error.message}")
            failed.append(report)
        return failed
    return [check_connection(client, splp_entry(plan, lid),
                             gateway=settings.gateway_url, gateway_token=token,
                             resource_path=settings.resource_path, verify=settings.verify)
            for lid in lids]


def _store(check: Check, lid: Lid, report: ConnectionReport) -> CheckResult:
    gateway = report.gateway
    result = CheckResult(
        id=make_id(), check_id=check.id, lid_id=lid.id, lid_name=lid.name,
        api_id=report.api_id, connected=report.connected, lifecycle=report.lifecycle,
        same_fields=report.same_fields, deployed=report.deployed,
        gateway_url=gateway.url if gateway else None,
        status_code=gateway.status_code if gateway else None,
        latency_ms=gateway.latency_ms if gateway else None, problems=list(report.problems))
    model.Session.add(result)
    lid.status = CONNECTED if report.connected else CHECK_FAILED
    return result


def run_check(plan_id: str, user: model.User | None) -> tuple[dict[str, Any], list[Message]]:
    """Check every synced LID of the plan; returns the check and the mails to send once
    committed (the caller commits)."""
    plan = Plan.get(plan_id, for_update=True)
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    try:
        MACHINE.find("check_pass", plan.status)
    except TransitionError:
        model.Session.rollback()
        raise Conflict(tk._("Synchronise the LID catalog first (SOP step 15); the plan is "
                            "'%(status)s'") % {"status": plan.status}) from None
    lids = (model.Session.query(Lid).filter(lid_table.c.id.in_(plan.lid_ids or []),
                                            lid_table.c.status.in_(CHECKABLE))
            .order_by(Lid.name, Lid.id).all())
    if not lids:
        model.Session.rollback()
        raise tk.ValidationError({"lid_ids": [tk._("No synchronised LID to check")]})
    check = Check(id=make_id(), plan_id=plan.id, connected=False,
                  triggered_by=user.name if user else "", created=clock.now())
    model.Session.add(check)
    model.Session.flush()
    results = [_store(check, lid, report) for lid, report in zip(lids, _reports(plan, lids),
                                                                 strict=True)]
    check.connected = all(r.connected for r in results)
    plan.version += 1
    plan.modified = clock.now()
    outbox: list[Message] = []
    if check.connected:
        transition = MACHINE.find("check_pass", plan.status)
        plan.status = transition.target
        record(plan, transition, user, data={"check_id": check.id})
        outbox = messages.on_connected(plan, lids)
        follow = MACHINE.following(transition)
        record(plan, follow[0], user, data={"recipients": len(outbox)})
        record(plan, follow[1], None, data={"notices": sum(bool(m.recipient.user_id)
                                                           for m in outbox)})
    else:
        transition = MACHINE.find("check_fail", plan.status)
        plan.status = transition.target
        reasons = [f"{r.lid_name}: {'; '.join(r.problems)}" for r in results if not r.connected]
        record(plan, transition, user, note="\n".join(reasons)[:4000],
               data={"check_id": check.id, "back_to_step": 15})
        outbox = messages.on_check_failed(plan, reasons)
    for message in outbox:
        add_notice(message)
    model.Session.flush()
    return check.dictize(), outbox


def deliver(outbox: list[Message]) -> int:
    return sum(send(message) for message in outbox)
