"""The connection check of SOP step 16 for a plan, and what follows it.

Every synced LID of the plan is read back from SPLP (present, same fields, published, deployed)
and called through the gateway with a token (status and latency recorded). Failure sends the
plan back to step 15 with the reasons; success records steps 17-18 and notifies the IPPD admin
and the LID operators by mail and on-site notice (``notify``).

No row lock is held while SPLP and the gateway answer: the check reads what it needs and ends
its transaction, calls out, then locks the plan, makes sure it did not move meanwhile (else
``Conflict``: check again) and records the outcome.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.errors import Conflict
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.lid import problems
from ckanext.splpdepok.lid.logic import adapter, messages, plans
from ckanext.splpdepok.lid.logic.publication import splp_entry
from ckanext.splpdepok.lid.model import (
    CHECK_FAILED,
    CHECKABLE,
    CONNECTED,
    Check,
    CheckResult,
    Lid,
    Plan,
    lid_table,
)
from ckanext.splpdepok.lid.splp import ConnectionReport, SplpError, check_connection
from ckanext.splpdepok.lid.workflow import MACHINE
from ckanext.splpdepok.notify.logic.mail import Message, send
from ckanext.splpdepok.notify.model import add_notice
from ckanext.splpdepok.sop.machine import TransitionError


@dataclass(frozen=True)
class Seen:
    """The plan and LIDs as read before calling out."""

    plan_id: str
    version: int
    base_url: str
    lids: list[tuple[str, str, dt.datetime]]  # id, name, modified
    entries: list[dict[str, Any]]


def _checkable(plan: Plan) -> None:
    try:
        MACHINE.find("check_pass", plan.status)
    except TransitionError:
        model.Session.rollback()
        raise Conflict(tk._("Synchronise the LID catalog first (SOP step 15); the plan is "
                            "'%(status)s'") % {"status": plan.status}) from None


def _read(plan_id: str) -> Seen:
    plan = Plan.get(plan_id)
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    _checkable(plan)
    lids = Lid.of_ids(plan.lid_ids or [], CHECKABLE)
    if not lids:
        model.Session.rollback()
        raise tk.ValidationError({"lid_ids": [tk._("No synchronised LID to check")]})
    return Seen(plan.id, plan.version, plan.splp_base_url,
                [(x.id, x.name, x.modified) for x in lids], [splp_entry(plan, x) for x in lids])


def _reports(seen: Seen) -> list[ConnectionReport]:
    settings = adapter.settings()
    try:
        client = adapter.publisher(seen.base_url)
        token: str | None = adapter.gateway_tokens(client).token()
    except SplpError as error:
        failed = []
        for entry in seen.entries:
            report = ConnectionReport(context=entry["context"], version=entry["version"])
            report.problems.append(problems.english(adapter.plain(error, "check")))
            failed.append(report)
        return failed
    return [check_connection(client, entry, gateway=settings.gateway_url, gateway_token=token,
                             resource_path=settings.resource_path, verify=settings.verify)
            for entry in seen.entries]


def run_check(plan_id: str, user: model.User | None, *, release: bool = True
              ) -> tuple[dict[str, Any], list[Message]]:
    """Check every synced LID of the plan; returns the check and the mails to send once
    committed (the caller commits). ``release=False`` (an action under ``defer_commit``) leaves
    the caller's transaction open across the calls: the caller then holds no lock it cares
    about."""
    seen = _read(plan_id)
    if release:
        model.Session.commit()  # nothing locked, no transaction open while SPLP answers
    return _record(seen, _reports(seen), user)


def _locked(seen: Seen) -> tuple[Plan, dict[str, Lid]]:
    plan = Plan.get(seen.plan_id, for_update=True)
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    if plan.version != seen.version:
        model.Session.rollback()
        raise Conflict(tk._("The connection plan changed while it was being checked; check it "
                            "again"))
    ids = [lid_id for lid_id, _name, _modified in seen.lids]
    lids = (model.Session.query(Lid).filter(lid_table.c.id.in_(ids))
            .with_for_update().populate_existing().all())
    return plan, {lid.id: lid for lid in lids}


def _store(check: Check, seen: tuple[str, str, dt.datetime], lid: Lid | None,
           report: ConnectionReport) -> CheckResult:
    lid_id, name, modified = seen
    gateway = report.gateway
    result = CheckResult(
        id=new_id(), check_id=check.id, lid_id=lid_id, lid_name=name,
        api_id=report.api_id, connected=report.connected, lifecycle=report.lifecycle,
        same_fields=report.same_fields, deployed=report.deployed,
        gateway_url=gateway.url if gateway else None,
        status_code=gateway.status_code if gateway else None,
        latency_ms=gateway.latency_ms if gateway else None, problems=list(report.problems))
    model.Session.add(result)
    if lid is not None and lid.modified == modified:  # not edited while it was checked
        lid.status = CONNECTED if report.connected else CHECK_FAILED
    return result


def _record(seen: Seen, reports: list[ConnectionReport], user: model.User | None
            ) -> tuple[dict[str, Any], list[Message]]:
    plan, lids = _locked(seen)
    check = Check(id=new_id(), plan_id=plan.id, connected=False,
                  triggered_by=user.name if user else "", created=now())
    model.Session.add(check)
    model.Session.flush()
    results = [_store(check, row, lids.get(row[0]), report)
               for row, report in zip(seen.lids, reports, strict=True)]
    check.connected = all(r.connected for r in results)
    plans.touch(plan)
    if check.connected:
        transition = MACHINE.find("check_pass", plan.status)
        plan.status = transition.target
        plans.record(plan, transition, user, data={"check_id": check.id})
        outbox = messages.on_connected(plan, [lids[i] for i, _n, _m in seen.lids if i in lids])
        notified, received = MACHINE.follow_ups(transition)
        plans.record(plan, notified, user, data={"recipients": len(outbox)})
        plans.record(plan, received, None, data={"notices": sum(bool(m.recipient.user_id)
                                                                 for m in outbox)})
    else:
        transition = MACHINE.find("check_fail", plan.status)
        plan.status = transition.target
        reasons = [f"{r.lid_name}: {'; '.join(r.problems)}" for r in results if not r.connected]
        plans.record(plan, transition, user, note="\n".join(reasons)[:4000],
                     data={"check_id": check.id, "back_to_step": 15})
        outbox = messages.on_check_failed(plan, reasons)
    for message in outbox:
        add_notice(message)
    model.Session.flush()
    return check.dictize(), outbox


def deliver(outbox: list[Message]) -> int:
    return sum(send(message) for message in outbox)
