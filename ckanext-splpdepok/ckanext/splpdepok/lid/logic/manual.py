"""The manual path of SOP steps 15-18, for a city without REST access to the SPLP publisher:
the publication package, the manual publication and the manual connection check.

Both manual records are SOP events of the plan (``plans.record``, the same event path as every
other step), with their evidence in the event's ``data``: an uploaded document (checked and kept
like the registration documents and the technical guide, under ``ckan.storage_path``) or a URL.
"""
from __future__ import annotations

import hashlib
import os
from typing import Any
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.lid import package as pkg
from ckanext.splpdepok.lid.logic import messages, plans
from ckanext.splpdepok.lid.logic.publication import splp_entry
from ckanext.splpdepok.lid.model import (
    CHECK_FAILED,
    CHECKABLE,
    CONNECTED,
    SYNCABLE,
    SYNCED,
    Lid,
    Plan,
    lid_table,
    plan_table,
)
from ckanext.splpdepok.lid.workflow import CHECK_MANUAL, MACHINE, PUBLISH_MANUAL
from ckanext.splpdepok.notify.logic.mail import Message
from ckanext.splpdepok.notify.model import add_notice
from ckanext.splpdepok.registration.logic import documents
from ckanext.splpdepok.sop import model as events
from ckanext.splpdepok.sop.machine import Transition

MANUAL = (PUBLISH_MANUAL, *CHECK_MANUAL.values())


def entries(plan: Plan) -> list[dict[str, Any]]:
    """What the plan publishes: its planned LIDs that are ready for SPLP, as the adapter maps
    them (the REST path reads exactly these, ``publication._read``)."""
    return [splp_entry(plan, lid) for lid in Lid.of_ids(plan.lid_ids or [])
            if lid.status in SYNCABLE]


def package(plan: Plan) -> dict[str, Any]:
    return pkg.build(plan.dictize(), entries(plan))


def _folder(plan_id: str) -> str:
    root = tk.config.get("ckan.storage_path")
    if not root:
        raise RuntimeError("ckan.storage_path is not set: evidence documents need it")
    return os.path.join(root, "splpdepok", "lid", "plans", plan_id, "evidence")


def evidence_path(plan_id: str, evidence_id: str) -> str:
    return os.path.join(_folder(plan_id), evidence_id)


def _url(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    parsed = urlparse(text)
    if len(text) > 2000 or parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise tk.ValidationError({"evidence_url": [tk._(
            "Enter a web address starting with http:// or https://")]})
    return text


def evidence(plan: Plan, upload: Any, url: Any) -> dict[str, Any]:
    """The evidence of a manual record: a checked document stored like the registration
    documents, or a URL (one of them is required)."""
    address = _url(url)
    try:
        checked = documents.check_upload("evidence", upload)
    except ValueError as error:
        raise tk.ValidationError({"evidence_upload": [tk._(str(error))]}) from None
    if checked is None and not address:
        raise tk.ValidationError({"evidence_upload": [tk._(
            "Attach the evidence: a document (PDF, DOCX or ODT) or a web address")]})
    found: dict[str, Any] = {"url": address} if address else {}
    if checked is not None:
        evidence_id = new_id()
        os.makedirs(_folder(plan.id), mode=0o750, exist_ok=True)
        with open(evidence_path(plan.id, evidence_id), "wb") as handle:
            handle.write(checked.content)
        found.update(id=evidence_id, filename=checked.filename, mimetype=checked.mimetype,
                     size=len(checked.content),
                     sha256=hashlib.sha256(checked.content).hexdigest())
    return found


def _lids(plan: Plan, states: tuple[str, ...]) -> list[Lid]:
    ids = plan.lid_ids or []
    return (model.Session.query(Lid).filter(lid_table.c.id.in_(ids),
                                            lid_table.c.status.in_(states))
            .with_for_update().all()) if ids else []


def publish(plan: Plan, transition: Transition, user: model.User, found: dict[str, Any],
            note: str) -> None:
    """Step 15 by hand: the planned ready LIDs count as synchronised."""
    current = package(plan)
    if not current["lids"] or any(p["problems"] for p in current["lids"]):
        model.Session.rollback()
        raise tk.ValidationError({"lid_ids": [tk._(
            "Every planned LID must be ready and complete before it is published")]})
    for lid in _lids(plan, SYNCABLE):
        lid.status = SYNCED
    plan.status = transition.target
    plans.touch(plan)
    plans.record(plan, transition, user, note=note, data={
        "manual": True, "evidence": found, "lid_ids": [p["id"] for p in current["lids"]],
        "package_sha256": current["sha256"]})


def check(plan: Plan, transition: Transition, user: model.User, found: dict[str, Any],
          note: str) -> list[Message]:
    """Step 16 by hand; a pass records 17-18 and notifies as the automatic check does."""
    passed = transition.name == CHECK_MANUAL["passed"]
    lids = _lids(plan, CHECKABLE)
    for lid in lids:
        lid.status = CONNECTED if passed else CHECK_FAILED
    plan.status = transition.target
    plans.touch(plan)
    data = {"manual": True, "evidence": found, "outcome": "passed" if passed else "failed"}
    if not passed:
        data["back_to_step"] = 15
    plans.record(plan, transition, user, note=note, data=data)
    if passed:
        outbox = messages.on_connected(plan, lids)
        notified, received = MACHINE.follow_ups(transition)
        plans.record(plan, notified, user, data={"recipients": len(outbox)})
        plans.record(plan, received, None, data={"notices": sum(bool(m.recipient.user_id)
                                                                 for m in outbox)})
    else:
        outbox = messages.on_check_failed(plan, [note])
    for message in outbox:
        add_notice(message)
    model.Session.flush()
    return outbox


def records(plan_ids: list[str] | None) -> list[dict[str, Any]]:
    """The manual publications and checks (oldest first), of some plans or of all."""
    query = model.Session.query(events.SopEvent).filter(
        events.events_table.c.subject_type == "lid_plan",
        events.events_table.c.transition.in_(MANUAL))
    if plan_ids is not None:
        if not plan_ids:
            return []
        query = query.filter(events.events_table.c.subject_id.in_(plan_ids))
    found = []
    for event in query.order_by(events.events_table.c.created, events.events_table.c.seq):
        plan = Plan.get(event.subject_id)
        found.append(dict(event.dictize(), plan_id=event.subject_id,
                          ippd_domain=plan.ippd_domain if plan else ""))
    return found


def plan_ids_of(domains: list[str]) -> list[str]:
    if not domains:
        return []
    query = model.Session.query(plan_table.c.id)
    return [i for (i,) in query.filter(plan_table.c.ippd_domain.in_(domains))]
