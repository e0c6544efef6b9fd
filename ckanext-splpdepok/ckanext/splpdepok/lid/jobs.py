"""LID sync runs as RQ jobs (queue ``splpdepok_lid``: ``ckan jobs worker splpdepok_lid``)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok import config
from ckanext.splpdepok.lid.model import make_id
from ckanext.splpdepok.lid.plan_model import Plan, SyncRun, run_table
from ckanext.splpdepok.common import clock

QUEUE = "splpdepok_lid"
ACTIVE = ("queued", "running")


class AlreadyRunning(Exception):
    """A run of this plan is queued or running."""


def reap_stale_runs(plan_id: str) -> None:
    """Runs older than the job time-out that never finished (worker killed) become failed."""
    limit = clock.now() - dt.timedelta(seconds=config.splp_job_timeout_seconds())
    for run in (model.Session.query(SyncRun)
                .filter(SyncRun.plan_id == plan_id, run_table.c.status.in_(ACTIVE),
                        SyncRun.created < limit)):
        run.status, run.finished = "failed", clock.now()
        run.message = "The run stopped answering (worker killed or crashed)"
    model.Session.flush()  # CKAN's session does not autoflush


def create_run(plan: Plan, *, user: str = "", dry_run: bool = False) -> SyncRun:
    """A queued run row; refused while another real run of the plan is alive (the plan's row
    lock serialises two requests arriving together)."""
    Plan.get(plan.id, for_update=True)
    reap_stale_runs(plan.id)
    if not dry_run:
        busy = (model.Session.query(SyncRun)
                .filter(SyncRun.plan_id == plan.id, run_table.c.status.in_(ACTIVE),
                        run_table.c.dry_run.is_(False)).first())
        if busy is not None:
            model.Session.rollback()
            raise AlreadyRunning(plan.ippd_domain)
    run = SyncRun(id=make_id(), plan_id=plan.id, dry_run=dry_run, status="queued",
                  triggered_by=user, counts={}, results=[], message="", created=clock.now())
    model.Session.add(run)
    model.Session.commit()
    return run


def enqueue_run(run: SyncRun) -> SyncRun:
    job = tk.enqueue_job(sync_job, [run.id], title=f"splpdepok LID sync {run.plan_id}",
                         queue=QUEUE, rq_kwargs={"timeout": config.splp_job_timeout_seconds()})
    run.job_id = job.id
    model.Session.commit()
    return run


def sync_job(run_id: str) -> dict[str, Any]:
    """Entry point of the RQ job."""
    from ckanext.splpdepok.lid.runner import execute_sync

    try:
        return execute_sync(run_id)
    finally:
        model.Session.remove()


def enqueue_check(plan_id: str, user_name: str) -> str:
    """Hands the connection check (SOP step 16) to the worker; pages never wait on SPLP."""
    job = tk.enqueue_job(check_job, [plan_id, user_name],
                         title=f"splpdepok LID check {plan_id}", queue=QUEUE,
                         rq_kwargs={"timeout": config.splp_job_timeout_seconds()})
    return job.id


def check_job(plan_id: str, user_name: str) -> dict[str, Any]:
    """Entry point of the RQ job: the check, its SOP events, then the notifications."""
    from ckanext.splpdepok.lid import checking

    try:
        check, outbox = checking.run_check(plan_id, model.User.get(user_name))
        model.repo.commit()
        check["mails_sent"] = checking.deliver(outbox)
        return check
    finally:
        model.Session.remove()
