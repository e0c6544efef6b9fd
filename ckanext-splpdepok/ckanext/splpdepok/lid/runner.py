"""Runs one LID synchronisation of a connection plan (SOP step 15) and records its outcome:
the ledger (LID -> national API id), each LID's state, the run row and, when every planned LID
went through, the plan's step-15 event. A dry run only reads SPLP and records what would change.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from ckan import model
from ckanext.splpdepok.lid import adapter
from ckanext.splpdepok.lid.model import (
    CONNECTED,
    SYNCABLE,
    SYNCED,
    LedgerEntry,
    Lid,
    lid_table,
)
from ckanext.splpdepok.lid.plan_model import Plan, SyncRun
from ckanext.splpdepok.lid.splp import SplpError, SyncOptions, sync_lids
from ckanext.splpdepok.lid.splp.sync import FAILED, UNCHANGED
from ckanext.splpdepok.lid.workflow import MACHINE
from ckanext.splpdepok.sop.machine import TransitionError
from ckanext.splpdepok.common import clock

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


def planned_lids(plan: Plan) -> tuple[list[Lid], list[Lid]]:
    """(LIDs handed to SPLP, planned LIDs still in draft)."""
    lids = (model.Session.query(Lid).filter(lid_table.c.id.in_(plan.lid_ids or []))
            .order_by(Lid.name, Lid.id).all())
    return [x for x in lids if x.status in SYNCABLE], [x for x in lids if x.status not in SYNCABLE]


def owner_label(lid: Lid) -> str:
    org = model.Group.get(lid.organization_id) if lid.organization_id else None
    return (org.title or org.name) if org is not None else lid.ippd_domain


def splp_entry(plan: Plan, lid: Lid) -> dict[str, Any]:
    """The adapter's entry of a planned LID, in the plan's SPLP tenant."""
    return dict(lid.as_splp_entry(owner_label(lid)[:120]), tenant_domain=plan.tenant_domain)


def _entries(plan: Plan, lids: list[Lid], progress: Progress | None
             ) -> Iterator[dict[str, Any]]:
    """The adapter's entries, reporting progress as the sync takes each one."""
    for done, lid in enumerate(lids):
        if progress:
            progress(done, len(lids))
        yield splp_entry(plan, lid)


def _ledger(lid: Lid, result: dict[str, Any]) -> None:
    entry = model.Session.get(LedgerEntry, lid.id)
    now = clock.now()
    if entry is None:
        entry = LedgerEntry(lid_id=lid.id, context=result["context"], version=result["version"],
                            modified=now)
        model.Session.add(entry)
    entry.context, entry.version, entry.modified = result["context"], result["version"], now
    entry.last_status, entry.last_error = result["status"], result["error"]
    if result["status"] != FAILED:
        entry.api_id = result["api_id"] or entry.api_id
        entry.lifecycle = result["lifecycle"]
        entry.synced = now
        if not (lid.status == CONNECTED and result["status"] == UNCHANGED):
            lid.status = SYNCED


def _finish(run: SyncRun, status: str, message: str) -> None:
    run.status, run.message, run.finished = status, message, clock.now()
    model.Session.commit()


def execute_sync(run_id: str, progress: Progress | None = None) -> dict[str, Any]:
    """Carry out a queued run (from the RQ job, the CLI or the action in the foreground); a
    crash leaves the run ``failed`` (never ``running``) and is raised again."""
    try:
        return _execute(run_id, progress)
    except Exception as error:
        model.Session.rollback()
        run = SyncRun.get(run_id)
        if run is not None and run.status in ("queued", "running"):
            _finish(run, "failed",
                    f"The synchronisation stopped unexpectedly ({type(error).__name__})")
        raise


def _execute(run_id: str, progress: Progress | None) -> dict[str, Any]:
    run = SyncRun.get(run_id)
    if run is None:
        raise LookupError(f"LID sync run {run_id} not found")
    plan = Plan.get(run.plan_id)
    assert plan is not None
    run.status, run.started = "running", clock.now()
    model.Session.commit()
    lids, drafts = planned_lids(plan)
    try:
        client = adapter.publisher(plan.splp_base_url)
    except SplpError as error:
        _finish(run, "failed", error.message)
        return run.dictize()
    results = [r.as_dict() for r in sync_lids(client, _entries(plan, lids, progress),
                                               SyncOptions(dry_run=run.dry_run))]
    if progress:
        progress(len(lids), len(lids))
    by_id = {lid.id: lid for lid in lids}
    for result in results:
        result["name"] = by_id[result["key"]].name
        if not run.dry_run:
            _ledger(by_id[result["key"]], result)
    counts = {s: sum(r["status"] == s for r in results)
              for s in ("created", "updated", "unchanged", "failed")}
    counts["skipped_drafts"] = len(drafts)
    run.results, run.counts = results, counts
    failed = counts["failed"] > 0 or not lids
    message = ("" if lids else "No planned LID is ready for SPLP")
    if not run.dry_run and not failed:
        message = _record_step(plan, run, counts)
    log.info("LID sync run %s of %s%s: %s", run.id, plan.ippd_domain,
             " (dry run)" if run.dry_run else "", counts)
    _finish(run, "failed" if failed else "succeeded", message)
    return run.dictize()


def _record_step(plan: Plan, run: SyncRun, counts: dict[str, int]) -> str:
    """Step 15 done: the plan moves to ``synced`` (also after a failed check: SOP loop)."""
    from ckanext.splpdepok.lid.logic.plans import record

    locked = Plan.get(plan.id, for_update=True)
    assert locked is not None
    try:
        transition = MACHINE.find("sync", locked.status)
    except TransitionError:
        return f"plan is {locked.status}; no SOP step recorded"
    actor = model.User.get(run.triggered_by) if run.triggered_by else None
    locked.status = transition.target
    locked.version += 1
    locked.modified = clock.now()
    record(locked, transition, actor, data={"run_id": run.id, "counts": counts})
    return ""
