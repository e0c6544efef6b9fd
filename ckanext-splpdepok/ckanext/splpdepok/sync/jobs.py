"""Runs as RQ jobs (queue ``splpdepok_sync``), the schedule, and the watchdog for dead runs."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckanext.splpdepok import config
from ckanext.splpdepok.sync.model import SyncRun, SyncTarget, now
from sqlalchemy.engine import CursorResult

log = logging.getLogger(__name__)
QUEUE = "splpdepok_sync"
ACTIVE = ("queued", "running")


class AlreadyRunning(Exception):
    """A run of this target is queued or running."""


def reap_stale_runs(at: dt.datetime | None = None) -> int:
    """Marks failed the runs that stopped heartbeating (killed worker, crashed machine)."""
    at = at or now()
    stale = at - dt.timedelta(seconds=config.sync_stale_after_seconds())
    queued_limit = at - dt.timedelta(seconds=config.sync_job_timeout_seconds())
    t = SyncRun.__table__
    # an UPDATE gives a CursorResult (it has the row count)
    result = cast(CursorResult, model.Session.execute(
        t.update()
        .where(sa.or_(
            sa.and_(t.c.status == "running",
                    sa.func.coalesce(t.c.heartbeat, t.c.started, t.c.created) < stale),
            sa.and_(t.c.status == "queued", t.c.created < queued_limit),
        ))
        .values(status="failed", finished=at,
                message="The run stopped answering (worker killed or crashed); the next run "
                        "resumes from the ledger.")
    ))
    model.Session.commit()
    model.Session.expire_all()  # CKAN's session does not expire on commit
    if result.rowcount:
        log.warning("marked %s stale sync run(s) failed", result.rowcount)
    return result.rowcount


def active_run(target_id: str) -> SyncRun | None:
    return (model.Session.query(SyncRun)
            .filter(SyncRun.target_id == target_id, SyncRun.status.in_(ACTIVE))
            .order_by(SyncRun.created.desc()).first())


def create_run(target: SyncTarget, *, user: str = "", dry_run: bool = False,
               only_failed: bool = False, confirm_withdrawal: bool = False) -> SyncRun:
    """A queued run row (refused while another run of the target is alive)."""
    reap_stale_runs()
    if active_run(target.id) is not None:
        raise AlreadyRunning(target.name)
    run = SyncRun(target_id=target.id, status="queued", dry_run=dry_run,
                  only_failed=only_failed, confirm_withdrawal=confirm_withdrawal,
                  triggered_by=user, counts={})
    model.Session.add(run)
    model.Session.commit()
    return run


def enqueue_run(target: SyncTarget, **kwargs: Any) -> SyncRun:
    """Creates the run and hands it to ``ckan jobs worker splpdepok_sync``."""
    run = create_run(target, **kwargs)
    job = tk.enqueue_job(execute_job, [run.id], title=f"splpdepok sync {target.name}",
                         queue=QUEUE, rq_kwargs={"timeout": config.sync_job_timeout_seconds()})
    run.job_id = job.id
    model.Session.commit()
    return run


def execute_job(run_id: str) -> dict[str, Any]:
    """Entry point of the RQ job."""
    from ckanext.splpdepok.sync.runner import execute_run

    try:
        return execute_run(run_id)
    finally:
        model.Session.remove()


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
    """What cron (or a scheduler) calls every few minutes."""
    reap_stale_runs(at)
    runs: list[SyncRun] = []
    for target in due_targets(at):
        try:
            runs.append(enqueue_run(target, user="schedule"))
        except AlreadyRunning:
            continue
    return runs



def check_pending(target: SyncTarget) -> bool:
    """Whether a check of the target (``sync.checks.enqueue_check``) waits in the queue or
    runs in a worker."""
    from ckan.lib import jobs as ckan_jobs

    queue = ckan_jobs.get_queue(QUEUE)
    ids = list(queue.job_ids) + list(queue.started_job_registry.get_job_ids())
    title = f"splpdepok check {target.name}"
    return any(job is not None and job.meta.get("title") == title
               for job in queue.job_class.fetch_many(ids, connection=queue.connection))
