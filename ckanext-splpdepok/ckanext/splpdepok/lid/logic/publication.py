"""Publication of a connection plan's LIDs to SPLP (SOP step 15), as a ``common.runs`` run.

A run reads what it publishes, ends its transaction, calls SPLP with nothing locked (a heartbeat
keeps the run alive meanwhile), then records the outcome in one short transaction: the ledger
(LID -> national API id), each LID's state, the run row and, when every planned LID went
through, the plan's step-15 event. A dry run only reads SPLP and records what would change.
Dry runs are always allowed; real runs of a plan are exclusive.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ckan import model
from ckan.types import Context
from ckanext.splpdepok import config
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.runs import ACTIVE, FAILED, QUEUED, RunKind
from ckanext.splpdepok.lid import jobs, problems
from ckanext.splpdepok.lid import package as pkg
from ckanext.splpdepok.lid.logic import adapter, plans
from ckanext.splpdepok.lid.model import (
    CONNECTED,
    SYNCABLE,
    SYNCED,
    Lid,
    Plan,
    PublicationLedgerEntry,
    PublicationRun,
    publication_run_table,
)
from ckanext.splpdepok.lid.splp import SplpError, SyncOptions, sync_lids
from ckanext.splpdepok.lid.splp.sync import FAILED as LID_FAILED
from ckanext.splpdepok.lid.splp.sync import UNCHANGED
from ckanext.splpdepok.lid.workflow import MACHINE
from ckanext.splpdepok.sop.machine import TransitionError

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
SUCCEEDED = "succeeded"
CONFIRMED = "confirmed_without_dry_run"
CONTENT = "content_sha256"
# Result error kinds whose text names the LID's own fields (shown as they are).
FIELD_KINDS = ("invalid_entry", "invalid", "conflict")
OUTCOMES = ("created", "updated", "unchanged", "failed")

PUBLICATION = RunKind(
    name="lid_publication", table=publication_run_table, owner="plan_id", queue=jobs.QUEUE,
    job=jobs.publication_job, timeout_seconds=config.splp_job_timeout_seconds,
    stale_after_seconds=config.sync_stale_after_seconds, dry_runs_exclusive=False)


def create_publication_run(context: Context, plan_id: str, *, user: str = "",
                           dry_run: bool = False, confirmed: bool = False) -> str:
    """A queued run of the plan (``AlreadyRunning`` while a real one is alive, unless this is a
    dry run); committed unless the caller defers the commit. ``confirmed``: a real run the
    caller started without a successful dry run (said in the step's SOP event note)."""
    counts = {CONFIRMED: True} if confirmed and not dry_run else {}
    run_id = PUBLICATION.create(context, plan_id, {
        "dry_run": dry_run, "triggered_by": user, "counts": counts, "results": [],
        "message": ""})
    if not context.get("defer_commit"):
        model.Session.expire_all()  # runs it reaped changed by statement, not through the ORM
    return run_id


def run_dict(run_id: str) -> dict[str, Any]:
    """The run as stored now (its rows change through ``common.runs`` statements)."""
    run = (model.Session.query(PublicationRun).filter(PublicationRun.id == run_id)
           .populate_existing().one())
    return run.dictize()


def owner_label(lid: Lid) -> str:
    org = model.Group.get(lid.organization_id) if lid.organization_id else None
    return (org.title or org.name) if org is not None else lid.ippd_domain


def splp_entry(plan: Plan, lid: Lid) -> dict[str, Any]:
    """The adapter's entry of a planned LID, in the plan's SPLP tenant."""
    return dict(lid.as_splp_entry(owner_label(lid)[:120]), tenant_domain=plan.tenant_domain)


@dataclass(frozen=True)
class Planned:
    """What a run read before calling SPLP."""

    plan_id: str
    base_url: str
    entries: list[dict[str, Any]]
    names: dict[str, str]
    modified: dict[str, dt.datetime]
    drafts: int


def _read(plan: Plan) -> Planned:
    lids = Lid.of_ids(plan.lid_ids or [])
    ready = [x for x in lids if x.status in SYNCABLE]
    return Planned(plan.id, plan.splp_base_url, [splp_entry(plan, x) for x in ready],
                   {x.id: x.name for x in ready}, {x.id: x.modified for x in ready},
                   len(lids) - len(ready))


def _entries(entries: list[dict[str, Any]], progress: Progress | None
             ) -> Iterator[dict[str, Any]]:
    """The adapter's entries, reporting progress as the publication takes each one."""
    for done, entry in enumerate(entries):
        if progress:
            progress(done, len(entries))
        yield entry


def execute_publication(run_id: str, progress: Progress | None = None) -> dict[str, Any]:
    """Carry out a queued run (from the RQ job, the CLI or the action in the foreground); a
    crash leaves the run ``failed`` (never ``running``) and is raised again."""
    try:
        return _execute(run_id, progress)
    except Exception as error:
        model.Session.rollback()
        run = PublicationRun.get(run_id)
        if run is not None:
            model.Session.refresh(run)
        if run is not None and run.status in ACTIVE:
            _finish(run_id, FAILED,
                    f"The synchronisation stopped unexpectedly ({type(error).__name__})")
        raise


def _execute(run_id: str, progress: Progress | None) -> dict[str, Any]:
    run = model.Session.query(PublicationRun).filter(
        PublicationRun.id == run_id).populate_existing().one_or_none()
    if run is None:
        raise LookupError(f"LID publication run {run_id} not found")
    if run.status != QUEUED:  # reaped, or carried out already
        return run.dictize()
    plan = Plan.get(run.plan_id)
    assert plan is not None  # runs go with their plan (ON DELETE CASCADE)
    dry_run, triggered_by = run.dry_run, run.triggered_by
    PUBLICATION.start(run_id)
    planned = _read(plan)
    model.Session.commit()  # nothing locked, no transaction open while SPLP answers
    confirmed = bool((run.counts or {}).get(CONFIRMED))
    try:
        client = adapter.publisher(planned.base_url)
    except SplpError as error:
        found = adapter.plain(error, "publication")
        model.Session.execute(publication_run_table.update()
                              .where(publication_run_table.c.id == run_id)
                              .values(counts={"problem": found, CONTENT: pkg.fingerprint(
                                  planned.entries)}))
        return _finish(run_id, FAILED, problems.english(found))
    with PUBLICATION.heartbeat(run_id, every=config.sync_heartbeat_seconds()):
        results = [r.as_dict() for r in sync_lids(client, _entries(planned.entries, progress),
                                                   SyncOptions(dry_run=dry_run))]
    if progress:
        progress(len(planned.entries), len(planned.entries))
    return _record(run_id, planned, results, dry_run=dry_run, triggered_by=triggered_by,
                   confirmed=confirmed)


def _plain_error(result: dict[str, Any]) -> None:
    """Network and account failures in plain words (the raw text was logged by the adapter)."""
    if result.get("error") and result.get("error_kind") not in FIELD_KINDS:
        found = problems.problem(result.get("error_kind"))
        result["problem"] = found
        result["error"] = problems.english(found)


def _record(run_id: str, planned: Planned, results: list[dict[str, Any]], *, dry_run: bool,
            triggered_by: str, confirmed: bool = False) -> dict[str, Any]:
    """The outcome, in one transaction that takes its row locks only now."""
    for result in results:
        result["name"] = planned.names[result["key"]]
        _plain_error(result)
        if not dry_run:
            _ledger(result, planned.modified[result["key"]])
    counts = {s: sum(r["status"] == s for r in results) for s in OUTCOMES}
    counts["skipped_drafts"] = planned.drafts
    failed = counts["failed"] > 0 or not planned.entries
    message = "" if planned.entries else "No planned LID is ready for SPLP"
    if not dry_run and not failed:
        message = _record_step(planned.plan_id, run_id, triggered_by, counts, confirmed)
    stored: dict[str, Any] = {**counts, CONTENT: pkg.fingerprint(planned.entries)}
    if confirmed:
        stored[CONFIRMED] = True
    model.Session.execute(publication_run_table.update()
                          .where(publication_run_table.c.id == run_id)
                          .values(results=results, counts=stored))
    log.info("LID publication run %s of plan %s%s: %s", run_id, planned.plan_id,
             " (dry run)" if dry_run else "", counts)
    return _finish(run_id, FAILED if failed else SUCCEEDED, message)


def _finish(run_id: str, status: str, message: str) -> dict[str, Any]:
    PUBLICATION.finish(run_id, status, message)
    model.Session.commit()
    return run_dict(run_id)


def _ledger(result: dict[str, Any], seen_modified: dt.datetime) -> None:
    lid = Lid.get(result["key"], for_update=True)
    if lid is None:  # deleted while SPLP answered: its ledger row went with it
        return
    entry = model.Session.get(PublicationLedgerEntry, lid.id)
    stamp = now()
    if entry is None:
        entry = PublicationLedgerEntry(lid_id=lid.id, context=result["context"],
                                       version=result["version"], modified=stamp)
        model.Session.add(entry)
    entry.context, entry.version, entry.modified = result["context"], result["version"], stamp
    entry.last_status, entry.last_error = result["status"], result["error"]
    if result["status"] != LID_FAILED:
        entry.api_id = result["api_id"] or entry.api_id
        entry.lifecycle = result["lifecycle"]
        entry.synced = stamp
        edited = lid.modified != seen_modified  # changed while SPLP answered: publish again
        if not edited and not (lid.status == CONNECTED and result["status"] == UNCHANGED):
            lid.status = SYNCED


def _record_step(plan_id: str, run_id: str, triggered_by: str, counts: dict[str, int],
                 confirmed: bool = False) -> str:
    """Step 15 done: the plan moves to ``synced`` (also after a failed check: SOP loop)."""
    locked = Plan.get(plan_id, for_update=True)
    assert locked is not None
    try:
        transition = MACHINE.find("sync", locked.status)
    except TransitionError:
        return f"plan is {locked.status}; no SOP step recorded"
    actor = model.User.get(triggered_by) if triggered_by else None
    locked.status = transition.target
    plans.touch(locked)
    note = ("Synchronised without a successful dry run, confirmed by the user"
            if confirmed else "")
    plans.record(locked, transition, actor, note=note,
                 data={"run_id": run_id, "counts": counts, CONFIRMED: confirmed})
    return ""


def sync_gate(plan: Plan) -> str:
    """Whether a real run of the plan may start: ``""`` after a successful dry run of the
    plan's current content; ``"failed"`` when its latest finished dry run failed (that blocks,
    confirmation or not); ``"missing"`` otherwise (a confirmation lets it start)."""
    finished = [r for r in PublicationRun.recent(plan.id, limit=50)
                if r.dry_run and r.status in (SUCCEEDED, FAILED)]
    if not finished:
        return "missing"
    latest = finished[0]
    if latest.status == FAILED:
        return "failed"
    if (latest.counts or {}).get(CONTENT) == pkg.fingerprint(_read(plan).entries):
        return ""
    return "missing"
