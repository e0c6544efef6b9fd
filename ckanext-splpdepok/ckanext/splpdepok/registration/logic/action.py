"""Registration actions: create, update, submit, approve, return, reject (SOP steps 1-10).

Each transition takes the registration's row lock (SELECT ... FOR UPDATE), checks the transition
table and the optional ``version``, and records an immutable SOP event in the same transaction.
A second reviewer acting at the same moment waits for the lock, then finds the state changed
and gets a conflict (HTTP 409), so nothing is done twice. Mails go out after the commit.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, cast

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, ErrorDict
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.common.context import actor, commit_unless_deferred
from ckanext.splpdepok.common.errors import Conflict
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.notify.logic.mail import Message, send
from ckanext.splpdepok.notify.model import add_notice
from ckanext.splpdepok.registration.logic import documents, messages, provision, queries, schema
from ckanext.splpdepok.registration.logic.applications import (
    bind_organization,
    field_errors,
    order_errors,
)
from ckanext.splpdepok.registration.model import Ippd, Registration
from ckanext.splpdepok.registration.workflow import MACHINE, SUBJECT
from ckanext.splpdepok.sop import model as events
from ckanext.splpdepok.sop.machine import NEW, Transition, TransitionError
from sqlalchemy import exc

FIELDS = ("ippd_domain", "ippd_name", "username", "full_name", "email", "phone")
ORG_FIELDS = ("organization", "new_organization")


def _deliver(context: Context, outbox: list[Message]) -> dict[str, int]:
    """Mails leave only once the transition is committed (never for a rolled-back change).

    Returns how many went out, failed, or wait in the caller's outbox (``defer_commit``): the
    pages tell the reviewer the truth about the mail.
    """
    mailable = [m for m in outbox if m.recipient.email]
    if context.get("defer_commit"):
        # the outbox is our own key, unknown to ckan.types.Context
        cast(dict[str, Any], context).setdefault("splpdepok_outbox", []).extend(outbox)
        return {"sent": 0, "failed": 0, "queued": len(mailable)}
    sent = sum(1 for message in mailable if send(message))
    return {"sent": sent, "failed": len(mailable) - sent, "queued": 0}


def _record(reg: Registration, transition: Transition, user: model.User, note: str = "",
            data: dict[str, Any] | None = None, measured: bool = True) -> None:
    """One SOP event; whether it restarts the clock is the SOP table's (``restarts_clock``)."""
    events.record(SUBJECT, reg.id, transition, actor_user_id=user.id, actor_name=user.name,
                  note=note, data=data, measured=measured)


def _store_uploads(reg: Registration, data_dict: dict[str, Any],
                   user: model.User) -> tuple[list[str], list[dict[str, str]]]:
    """Stores the documents the schema checked (``splpdepok_registration_document``): the file
    names stored, and for each one that replaced a current document, the kind and both names
    (the old one stays in the record, marked superseded)."""
    current = reg.current_documents()
    stored: list[str] = []
    replaced: list[dict[str, str]] = []
    for field in documents.UPLOAD_FIELDS.values():
        upload = data_dict.get(field)
        if not isinstance(upload, documents.CheckedUpload):
            continue
        old = current.get(upload.kind)
        doc = documents.store(reg.id, upload, user.id, replaces=old)
        stored.append(doc.filename)
        if old is not None:
            replaced.append({"kind": upload.kind, "old": old.filename, "old_id": old.id,
                             "new": doc.filename, "new_id": doc.id})
    return stored, replaced


@tk.validate(schema.create_schema)
def registration_create(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Prepare a registration (SOP step 1, 5 or 7), as a draft.

    :param kind: ``ippd``, ``ippd_admin`` or ``lid``
    :param ippd_domain, ippd_name, username, full_name, email, phone: the SOP's fields
        (``ippd_name`` is taken from the IPPD for ``lid``)
    :param organization: ``ippd`` only: id or name of the applicant's organization (OPD), one
        of the portal's organizations (not the walidata's); admin and LID registrations are
        bound to their IPPD's organization
    :param new_organization: ``ippd`` only, instead of ``organization``: the title of a new
        organization, created when the registration is approved
    :param letter_upload, kajian_upload: the registration letter and the kajian document
        (PDF, DOCX or ODT; multipart upload)
    """
    tk.check_access("splpdepok_registration_create", context, data_dict)
    user = actor(context)
    kind = data_dict["kind"]
    org_id = new_org = None
    errors = dict(field_errors(kind, data_dict), **order_errors(kind, data_dict["ippd_domain"]))
    if not errors:
        org_id, new_org, org_errors = bind_organization(kind, data_dict["ippd_domain"], data_dict)
        errors.update(org_errors)
    if errors:
        raise tk.ValidationError(cast(ErrorDict, errors))
    now = clock.now()
    reg = Registration(id=new_id(), kind=kind, status="draft", version=1,
                       creator_user_id=user.id, created=now, modified=now,
                       requested_organization_id=org_id, new_organization_title=new_org,
                       **{f: data_dict.get(f) or "" for f in FIELDS})
    if kind == "lid":
        ippd = Ippd.by_domain(reg.ippd_domain)
        reg.ippd_name = ippd.name if ippd else ""
    model.Session.add(reg)
    model.Session.flush()
    stored, _replaced = _store_uploads(reg, data_dict, user)
    _record(reg, MACHINE.find("create", NEW, kind), user, data={"documents": stored},
            measured=False)
    commit_unless_deferred(context)
    return queries.registration_dict(reg, user)


def _locked(data_dict: dict[str, Any], name: str) -> tuple[Registration, Transition]:
    reg = Registration.get(data_dict["id"], for_update=True)
    if reg is None:
        raise tk.ObjectNotFound(tk._("Registration not found"))
    try:
        transition = MACHINE.find(name, reg.status, reg.kind)
    except TransitionError:
        model.Session.rollback()
        raise Conflict(tk._(
            "This registration is now '%(status)s': someone acted on it first. Reload it and "
            "try again.") % {"status": reg.status}) from None
    expected = data_dict.get("version")
    if expected is not None and expected != reg.version:
        model.Session.rollback()
        raise Conflict(tk._("This registration was changed by someone else in the meantime. "
                            "Reload it and try again."))
    return reg, transition


def _bump(reg: Registration, now: dt.datetime) -> None:
    reg.version += 1
    reg.modified = now


@tk.validate(schema.update_schema)
def registration_update(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Edit a draft or returned registration (fields given replace the old values).

    :param id: the registration
    :param version: optional, the version you edited (conflict when it changed)
    :param ippd_domain, ippd_name, username, full_name, email, phone, organization,
        new_organization, letter_upload, kajian_upload: as for create (giving
        ``organization`` or ``new_organization`` replaces the previous choice)
    """
    tk.check_access("splpdepok_registration_update", context, data_dict)
    user = actor(context)
    reg, transition = _locked(data_dict, "update")
    changed = [f for f in FIELDS if f in data_dict and data_dict[f] != getattr(reg, f)]
    for field in changed:
        setattr(reg, field, data_dict[field] or "")
    errors = field_errors(reg.kind, {"ippd_name": reg.ippd_name})
    if "ippd_domain" in changed:
        errors.update(order_errors(reg.kind, reg.ippd_domain))
    if not errors and (reg.kind != "ippd" or any(f in data_dict for f in ORG_FIELDS)):
        org_id, new_org, org_errors = bind_organization(reg.kind, reg.ippd_domain, data_dict)
        errors.update(org_errors)
        if (org_id, new_org) != (reg.requested_organization_id, reg.new_organization_title):
            reg.requested_organization_id, reg.new_organization_title = org_id, new_org
            changed.append("organization")
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(cast(ErrorDict, errors))
    _bump(reg, clock.now())
    stored, replaced = _store_uploads(reg, data_dict, user)
    _record(reg, transition, user,
            data={"fields": changed, "documents": stored, "replaced": replaced})
    commit_unless_deferred(context)
    return queries.registration_dict(reg, user)


@tk.validate(schema.transition_schema)
def registration_submit(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Submit (SOP step 2, 5 or 8), or resubmit a returned registration ("back to step 2").

    :param id: the registration
    :param note: optional note for the reviewer
    :param version: optional expected version
    """
    tk.check_access("splpdepok_registration_submit", context, data_dict)
    user = actor(context)
    reg, transition = _locked(data_dict, "submit")
    missing = [k for k in documents.UPLOAD_FIELDS if k not in reg.current_documents()]
    errors = {documents.UPLOAD_FIELDS[k]: [tk._("Upload this document before submitting")]
              for k in missing}
    errors.update(order_errors(reg.kind, reg.ippd_domain))
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(cast(ErrorDict, errors))
    now = clock.now()
    reg.status, reg.submitted = transition.target, now
    _bump(reg, now)
    evidence = [f"{doc.filename} sha256:{doc.sha256[:16]}"
                for doc in reg.current_documents().values()]
    _record(reg, transition, user, note=data_dict.get("note", ""),
            data={"documents": evidence})
    outbox = messages.on_submit(reg)
    for message in outbox:
        add_notice(message)
    commit_unless_deferred(context)
    mail = _deliver(context, outbox)
    return dict(queries.registration_dict(reg, user), mail=mail)


def _lock_domain(domain: str) -> None:
    """Serialises approvals of IPPD registrations for one domain (transaction-scoped lock):
    the second waits, then finds the IPPD the first created and gets a conflict."""
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                          {"key": f"splpdepok-ippd:{domain}"})


def _approval_plan(reg: Registration, data_dict: dict[str, Any]) -> provision.Plan:
    """The plan made under the lock; refused when blocked or not the one the reviewer saw."""
    chosen = provision.plan(reg)
    if chosen.blocked:
        model.Session.rollback()
        raise Conflict("; ".join(tk._(b) for b in chosen.blocked))
    expected = data_dict.get("plan")
    if expected is not None and expected != chosen.fingerprint:
        model.Session.rollback()
        raise Conflict(tk._("What approval will do has changed since you opened the page. "
                            "Reload it, check the new plan and confirm again."))
    return chosen


def _decide(context: Context, data_dict: dict[str, Any], name: str) -> dict[str, Any]:
    tk.check_access(f"splpdepok_registration_{name}", context, data_dict)
    user = actor(context)
    reg, transition = _locked(data_dict, name)
    note = data_dict.get("note", "")
    if transition.note_required and not note:
        model.Session.rollback()
        raise tk.ValidationError({"note": [tk._("A note is required to return or reject")]})
    now = clock.now()
    outbox: list[Message] = []
    chosen: provision.Plan | None = None
    if name == "approve":
        if reg.kind == "ippd":
            _lock_domain(reg.ippd_domain)
        errors = order_errors(reg.kind, reg.ippd_domain)
        if errors:
            model.Session.rollback()
            raise tk.ValidationError(cast(ErrorDict, errors))
        chosen = _approval_plan(reg, data_dict)
    reg.status, reg.decided, reg.last_note = transition.target, now, note
    _bump(reg, now)
    _record(reg, transition, user, note=note)
    if chosen is not None:
        outcome = provision.provision(reg, chosen)
        for follow in MACHINE.follow_ups(transition, reg.kind):
            _record(reg, follow, user, data=outcome.as_event_data())
        outbox += messages.on_account(reg, outcome)
    outbox += messages.on_decision(reg, name, note)
    for message in outbox:
        add_notice(message)
    try:
        commit_unless_deferred(context)
    except exc.IntegrityError:  # the database's own guard (one IPPD per domain)
        model.Session.rollback()
        raise Conflict(tk._("Another approval for this IPPD domain went through first. "
                            "Reload the registration.")) from None
    mail = _deliver(context, outbox)
    return dict(queries.registration_dict(reg, user), mail=mail)


@tk.validate(schema.transition_schema)
def registration_approve(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Approve a submitted registration (SOP step 3, 6 or 9) and do the work of step 4, 6 or 10:
    create or link the user and organization, set memberships, record the IPPD / tenant.

    :param id: the registration
    :param note: optional
    :param version: optional expected version
    :param plan: optional fingerprint of the plan the reviewer confirmed
        (``splpdepok_registration_plan``); 409 when approval would now do something else
    :returns: the registration, with ``mail``: how many notifications were sent / failed
    """
    return _decide(context, data_dict, "approve")


@tk.validate(schema.transition_schema)
def registration_return(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Return a submitted registration as incomplete (back to SOP step 2).

    :param id: the registration
    :param note: required: what is missing
    :param version: optional expected version
    """
    return _decide(context, data_dict, "return")


@tk.validate(schema.transition_schema)
def registration_reject(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Reject a submitted registration.

    :param id: the registration
    :param note: required: why
    :param version: optional expected version
    """
    return _decide(context, data_dict, "reject")

