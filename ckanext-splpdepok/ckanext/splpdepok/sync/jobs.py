"""Runs and connection checks as RQ jobs (queue ``splpdepok_sync``), and the schedule.

A sync run is a :class:`~ckanext.splpdepok.common.runs.RunKind` (``RUNS``): created with an
advisory lock per target, handed to the worker, kept alive by a heartbeat, and reaped when its
worker died. Reaping happens here only, from the scheduler (``enqueue_due``) and at the start of
each worker job; pages never write.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context
from ckanext.splpdepok import config
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.runs import AlreadyRunning, RunKind
from ckanext.splpdepok.sync.model import SyncRun, SyncTarget, run_table

QUEUE = "splpdepok_sync"


def execute_job(run_id: str) -> dict[str, Any]:
    """Entry point of the RQ job: marks dead runs failed first, then executes this one."""
    from ckanext.splpdepok.sync.logic.runner import execute_run

    try:
        RUNS.reap()
        return execute_run(run_id)
    finally:
        model.Session.remove()


RUNS = RunKind(name="sync", table=run_table, owner="target_id", queue=QUEUE, job=execute_job,
               timeout_seconds=config.sync_job_timeout_seconds,
               stale_after_seconds=config.sync_stale_after_seconds)


def new_run(context: Context, target: SyncTarget, *, triggered_by: str, dry_run: bool = False,
            only_failed: bool = False, confirm_withdrawal: bool = False) -> str:
    """A queued run of the target (``AlreadyRunning`` while another run of it is alive)."""
    return RUNS.create(context, target.id, {
        "triggered_by": triggered_by, "dry_run": dry_run, "only_failed": only_failed,
        "confirm_withdrawal": confirm_withdrawal, "counts": {}})


def enqueue(context: Context, target: SyncTarget, run_id: str) -> None:
    """Hands the run to ``ckan jobs worker splpdepok_sync``."""
    RUNS.enqueue(context, run_id, title=f"splpdepok sync {target.name}")


def due_targets(at: dt.datetime | None = None) -> list[SyncTarget]:
    """Active targets with a schedule whose last run is older than their interval."""
    at = at or now()
    due: list[SyncTarget] = []
    targets = model.Session.query(SyncTarget).filter(
        SyncTarget.active.is_(True), SyncTarget.schedule_minutes.isnot(None),
        SyncTarget.schedule_minutes > 0)
    for target in targets:
        last = (model.Session.query(sa.func.max(SyncRun.created))
                .filter(SyncRun.target_id == target.id, SyncRun.dry_run.is_(False)).scalar())
        if last is None or last + dt.timedelta(minutes=target.schedule_minutes) <= at:
            due.append(target)
    return due


def enqueue_due(at: dt.datetime | None = None) -> list[SyncRun]:
    """What cron (``ckan splpdepok sync schedule``) calls every few minutes: reap dead runs,
    then queue every due target."""
    RUNS.reap(at)
    context: Context = {"user": "schedule"}
    runs: list[SyncRun] = []
    for target in due_targets(at):
        try:
            run_id = new_run(context, target, triggered_by="schedule")
        except AlreadyRunning:
            continue
        enqueue(context, target, run_id)
        run = SyncRun.get(run_id)
        if run is not None:
            runs.append(run)
    return runs


def enqueue_check(target: SyncTarget) -> str:
    """Hands the check to ``ckan jobs worker splpdepok_sync``; returns the job id."""
    job = tk.enqueue_job(execute_check_job, [target.id], title=f"splpdepok check {target.name}",
                         queue=QUEUE, rq_kwargs={"timeout": config.sync_job_timeout_seconds()})
    return job.id


def execute_check_job(target_id: str) -> dict[str, Any]:
    """Entry point of the check job: the stored report (the target may be gone by then)."""
    from ckanext.splpdepok.sync.logic.checks import check_target

    try:
        target = SyncTarget.get(target_id)
        if target is None:
            return {"target_id": target_id, "ok": False, "detail": "target deleted"}
        return {"id": check_target(target).id}
    finally:
        model.Session.remove()


def check_pending(target: SyncTarget) -> bool:
    """Whether a check of the target (``enqueue_check``) waits in the queue or runs in a
    worker."""
    from ckan.lib import jobs as ckan_jobs

    queue = ckan_jobs.get_queue(QUEUE)
    ids = list(queue.job_ids) + list(queue.started_job_registry.get_job_ids())
    title = f"splpdepok check {target.name}"
    return any(job is not None and job.meta.get("title") == title
               for job in queue.job_class.fetch_many(ids, connection=queue.connection))
