"""RQ jobs of the Katalog LID (queue ``splpdepok_lid``: ``ckan jobs worker splpdepok_lid``):
the publication of a plan to SPLP (step 15) and the connection check (step 16)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok import config

QUEUE = "splpdepok_lid"


def publication_job(run_id: str) -> dict[str, Any]:
    """Entry point of the publication job: first mark failed the runs whose worker died."""
    from ckanext.splpdepok.lid.logic.publication import PUBLICATION, execute_publication

    try:
        PUBLICATION.reap()
        return execute_publication(run_id)
    finally:
        model.Session.remove()


def enqueue_check(plan_id: str, user_name: str) -> str:
    """Hands the connection check (SOP step 16) to the worker; pages never wait on SPLP."""
    job = tk.enqueue_job(check_job, [plan_id, user_name],
                         title=f"splpdepok LID check {plan_id}", queue=QUEUE,
                         rq_kwargs={"timeout": config.splp_job_timeout_seconds()})
    return job.id


def check_job(plan_id: str, user_name: str) -> dict[str, Any]:
    """Entry point of the check job: the check, its SOP events, then the notifications."""
    from ckanext.splpdepok.lid.logic import checking

    try:
        check, outbox = checking.run_check(plan_id, model.User.get(user_name))
        model.repo.commit()
        check["mails_sent"] = checking.deliver(outbox)
        return check
    finally:
        model.Session.remove()
