"""Synchronisation (SOP step 15), connection check (16-18) and the check report actions."""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.lid import checking, jobs, runner, schema
from ckanext.splpdepok.lid.logic.entries import _actor
from ckanext.splpdepok.lid.logic.plans import Conflict
from ckanext.splpdepok.lid.plan_model import Plan, checks_for
from ckanext.splpdepok.lid.workflow import SYNC_FROM


def _plan(data_dict: dict[str, Any], action: str, context: Context) -> Plan:
    plan = Plan.get(str(data_dict.get("id") or ""))
    if plan is None:
        raise tk.ObjectNotFound(tk._("Connection plan not found"))
    tk.check_access(action, context, {"id": plan.id})
    return plan


@tk.validate(schema.sync_schema)
def lid_sync(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Synchronise the plan's LIDs with the national Katalog LID in SPLP (SOP step 15).

    Runs as an RQ job on the ``splpdepok_lid`` queue unless ``background`` is false.

    :param id: the plan (id or IPPD domain)
    :param dry_run: optional boolean: only read SPLP and report what would change
    :param background: optional boolean (default true)
    :returns: the run (``status`` queued, or its outcome with per-LID ``results``)
    """
    plan = _plan(data_dict, "splpdepok_lid_sync", context)
    user = _actor(context)
    dry_run = bool(data_dict["dry_run"])
    if not dry_run and plan.status not in SYNC_FROM:
        raise Conflict(tk._("SPLP has not instructed the synchronisation yet (SOP step 14); "
                            "the plan is '%(status)s'") % {"status": plan.status})
    try:
        run = jobs.create_run(plan, user=user.name, dry_run=dry_run)
    except jobs.AlreadyRunning:
        raise tk.ValidationError({"id": [tk._("A synchronisation of this plan is already "
                                              "queued or running")]}) from None
    if data_dict["background"]:
        return jobs.enqueue_run(run).dictize()
    return runner.execute_sync(run.id)


@tk.validate(schema.check_schema)
def lid_check(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Check the connection of every synchronised LID of the plan (SOP step 16); success
    notifies the IPPD admin and the LID operators (17-18), failure goes back to step 15.

    :param id: the plan (id or IPPD domain)
    :param background: optional boolean (default false): run it in the jobs worker (queue
        ``splpdepok_lid``) and return ``{"queued": true}`` at once
    :returns: the check with per-LID results (gateway status and latency, problems)
    """
    plan = _plan(data_dict, "splpdepok_lid_check", context)
    user = _actor(context)
    if data_dict["background"]:
        return {"queued": True, "plan_id": plan.id,
                "job_id": jobs.enqueue_check(plan.id, user.name)}
    check, outbox = checking.run_check(plan.id, user)
    if context.get("defer_commit"):
        # the outbox is our own key, unknown to ckan.types.Context
        cast(dict[str, Any], context).setdefault("splpdepok_outbox", []).extend(outbox)
        return check
    model.repo.commit()
    check["mails_sent"] = checking.deliver(outbox)
    return check


@tk.side_effect_free
@tk.validate(schema.report_schema)
def lid_check_report(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The history of connection checks (newest first), of one plan or of every plan the
    caller manages.

    :param id: optional plan (id or IPPD domain)
    :param limit: optional, default 100
    """
    plan = None
    if data_dict.get("id"):
        plan = _plan(data_dict, "splpdepok_lid_check_report", context)
    else:
        tk.check_access("splpdepok_lid_check_report", context, {})
    limit = int(data_dict["limit"])
    checks = checks_for(plan.id if plan else None, limit=limit)
    if plan is None:
        from ckanext.splpdepok.lid import access

        user = _actor(context)
        domains = set(access.managed_domains(user))
        plans = {p.id: p.ippd_domain for p in model.Session.query(Plan)}
        checks = [c for c in checks if plans.get(c.plan_id) in domains]
    domains_by_plan = {p.id: p.ippd_domain for p in model.Session.query(Plan)}
    return {"checks": [dict(c.dictize(), ippd_domain=domains_by_plan.get(c.plan_id))
                       for c in checks]}
