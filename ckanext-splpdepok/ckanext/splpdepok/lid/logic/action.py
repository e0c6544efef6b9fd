"""Actions of the Katalog LID: entries, connection plans (SOP steps 11-14), publication to SPLP
(15), the connection check (16-18) and its report. The rules live in ``logic.entries``,
``logic.plans``, ``logic.publication`` and ``logic.checking``; who may act, in ``logic.auth``.
"""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context, ErrorDict
from ckanext.splpdepok import config
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.context import actor, commit_unless_deferred
from ckanext.splpdepok.common.errors import Conflict
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.common.roles import user_obj
from ckanext.splpdepok.common.runs import AlreadyRunning
from ckanext.splpdepok.lid import jobs
from ckanext.splpdepok.lid.logic import auth, checking, entries, manual, plans, publication, schema
from ckanext.splpdepok.lid.model import DRAFT, READY, SPLP_FIELDS, SYNCABLE, Lid, Plan
from ckanext.splpdepok.lid.model import checks_for as _checks_for
from ckanext.splpdepok.lid.workflow import ADVANCE, MACHINE, SYNC_FROM
from ckanext.splpdepok.registration.model import Ippd
from ckanext.splpdepok.sop.machine import NEW

Result = dict[str, Any]

# -- entries -----------------------------------------------------------------------------------


@validate(schema.create_schema)
def lid_create(context: Context, data_dict: dict[str, Any]) -> Result:
    """Add an entry to the Katalog LID (as a draft, or ``ready`` for SPLP).

    :param name, description, endpoint_url: the service
    :param attributes: list of {name, type, description} (or that list as JSON text)
    :param output_format: JSON, XML, CSV, ...
    :param classification: ``terbuka`` or ``terbatas``
    :param context, version: the API's path in the tenant (context unique in the tenant)
    :param datasets: optional list of dataset names or ids the LID serves
    :param ippd_domain: optional, for operators/admins of several IPPDs
    :param ready: optional boolean, mark it ready for synchronisation
    """
    tk.check_access("splpdepok_lid_create", context, data_dict)
    user, data = actor(context), data_dict
    domain, org_id = entries.domain_for(user, data.get("ippd_domain"))
    stamp = now()
    lid = Lid(id=new_id(), ippd_domain=domain, tenant_domain=entries.tenant_of(domain),
              organization_id=org_id, owner_user_id=user.id, status=DRAFT, created=stamp,
              modified=stamp, description=data.get("description") or "",
              attributes=data.get("attributes") or [],
              **{f: data[f] for f in entries.EDITABLE if f not in ("description", "attributes")})
    entries.check_unique(lid)
    entries.check_links(lid, data.get("datasets") or [], context)
    if data.get("ready"):
        errors = entries.ready_errors(lid)
        if errors:
            raise tk.ValidationError(cast(ErrorDict, errors))
        lid.status = READY
    model.Session.add(lid)
    entries.flush(lid)
    lid.set_datasets(data.get("datasets") or [])
    commit_unless_deferred(context)
    return entries.lid_dict(lid, context)


def _readiness(lid: Lid, data: dict[str, Any]) -> None:
    if "ready" in data:
        if data["ready"] and lid.status == DRAFT:
            lid.status = READY
        elif not data["ready"] and lid.status == READY:
            lid.status = DRAFT
    if lid.status != DRAFT:
        errors = entries.ready_errors(lid)
        if errors:
            model.Session.rollback()
            raise tk.ValidationError(cast(ErrorDict, errors))


@validate(schema.update_schema)
def lid_update(context: Context, data_dict: dict[str, Any]) -> Result:
    """Change an entry; fields not given stay. A change to a field SPLP carries sends a synced
    entry back to ``ready`` (it must be synchronised again).

    :param id: the entry
    :param ready: optional boolean: true marks a draft ready, false takes a ready one back
    (other parameters as for create)
    """
    tk.check_access("splpdepok_lid_update", context, data_dict)
    data = data_dict
    lid = entries.get(data["id"], for_update=True)
    changed = [f for f in entries.EDITABLE if f in data and data[f] != getattr(lid, f)]
    for field in changed:
        setattr(lid, field, data[field] if data[field] is not None else "")
    entries.check_unique(lid)
    _readiness(lid, data)
    if lid.status in SYNCABLE and lid.status != READY and set(changed) & set(SPLP_FIELDS):
        lid.status = READY
    if "datasets" in data:
        entries.check_links(lid, data["datasets"] or [], context)
        lid.set_datasets(data["datasets"] or [])
    elif "classification" in changed and lid.classification == "terbuka":
        entries.check_links(lid, lid.dataset_ids(), context)
    lid.modified = now()
    entries.flush(lid)
    commit_unless_deferred(context)
    return entries.lid_dict(lid, context)


@tk.side_effect_free
@validate(schema.id_schema)
def lid_show(context: Context, data_dict: dict[str, Any]) -> Result:
    """One entry (``terbatas`` ones only for signed-in users, drafts for their managers).

    :param id: the entry
    """
    lid = entries.get(data_dict["id"])
    tk.check_access("splpdepok_lid_show", context, data_dict)
    return entries.lid_dict(lid, context)


@validate(schema.id_schema)
def lid_delete(context: Context, data_dict: dict[str, Any]) -> Result:
    """Remove an entry (and its links and ledger row). An API already in SPLP stays there:
    the result names it so the IPPD can ask SPLP to retire it.

    :param id: the entry
    """
    tk.check_access("splpdepok_lid_delete", context, data_dict)
    lid = entries.get(data_dict["id"], for_update=True)
    ledger = lid.ledger()
    left = ledger.api_id if ledger else None
    for plan in model.Session.query(Plan).filter(Plan.ippd_domain == lid.ippd_domain):
        if lid.id in (plan.lid_ids or []):
            plan.lid_ids = [i for i in plan.lid_ids if i != lid.id]
    model.Session.delete(lid)
    commit_unless_deferred(context)
    return {"id": data_dict["id"], "deleted": True, "national_api_id": left}


@tk.side_effect_free
@validate(schema.list_schema)
def lid_list(context: Context, data_dict: dict[str, Any]) -> Result:
    """Search the Katalog LID. Anonymous callers see open (``terbuka``) entries only.

    :param q: optional text (name, description, context)
    :param organization: optional OPD (organization name or id)
    :param classification, output_format, status, ippd_domain: optional filters
    :param dataset: optional dataset name or id the LIDs serve
    :param mine: optional boolean: the caller's own entries (drafts included)
    :param limit: optional (default 20, at most 100); ``offset`` optional
    :returns: ``count``, ``results`` and ``facets`` (counts per OPD, classification, format,
        status over the matching entries)
    """
    tk.check_access("splpdepok_lid_list", context, data_dict)
    query = entries.search(data_dict, user_obj(context.get("user")), context)
    rows = (query.order_by(Lid.name, Lid.id).offset(data_dict["offset"])
            .limit(data_dict["limit"]).all())
    return {"count": query.count(), "results": [entries.lid_dict(x, context) for x in rows],
            "facets": entries.facets(query)}


# -- connection plans (SOP steps 11-14) --------------------------------------------------------


@validate(schema.plan_create_schema)
def plan_create(context: Context, data_dict: dict[str, Any]) -> Result:
    """Prepare the connection plan of an IPPD with SPLP (SOP step 11).

    :param ippd_domain: the IPPD (default: the caller's own, as LID operator or admin)
    :param splp_base_url: optional, default the configured SPLP (it must be that one)
    :param tenant_domain: optional, default the IPPD's tenant
    :param lid_ids: the LIDs planned for the connection (entries of this IPPD)
    """
    tk.check_access("splpdepok_lid_plan_create", context, data_dict)
    user = actor(context)
    domain = str(data_dict.get("ippd_domain") or "")
    if not domain:
        registration = auth.operator_registration(user)
        managed = auth.managed_domains(user)
        domain = registration.ippd_domain if registration else (managed[0] if managed else "")
    ippd = Ippd.by_domain(domain)
    if ippd is None or not auth.may_perform(user, domain, "create"):
        raise tk.ValidationError({"ippd_domain": [tk._("Not an IPPD you may plan for")]})
    if Plan.get(domain) is not None:
        raise tk.ValidationError({"ippd_domain": [tk._(
            "This IPPD already has a connection plan; open and edit it")]})
    base_url = str(data_dict.get("splp_base_url") or config.splp_base_url()).rstrip("/")
    if not base_url or base_url != config.splp_base_url():
        raise tk.ValidationError({"splp_base_url": [tk._(
            "Use the SPLP address configured for this portal: %(url)s")
            % {"url": config.splp_base_url() or "-"}]})
    tenant = plans.tenant(data_dict.get("tenant_domain") or ippd.tenant_domain
                          or config.splp_tenant_domain() or domain)
    stamp = now()
    plan = Plan(id=new_id(), ippd_domain=domain, splp_base_url=base_url, tenant_domain=tenant,
                lid_ids=plans.lid_ids(data_dict.get("lid_ids"), domain), status="draft",
                version=1, creator_user_id=user.id, created=stamp, modified=stamp)
    plans.insert(plan)
    plans.record(plan, MACHINE.find("create", NEW), user, measured=False,
                 data={"lid_ids": plan.lid_ids})
    commit_unless_deferred(context)
    return plans.plan_dict(plan)


@validate(schema.plan_update_schema)
def plan_update(context: Context, data_dict: dict[str, Any]) -> Result:
    """Edit a draft plan (step 11): the LIDs planned, the tenant domain.

    :param id: the plan (id or IPPD domain)
    :param lid_ids, tenant_domain: optional
    """
    tk.check_access("splpdepok_lid_plan_update", context, data_dict)
    user = actor(context)
    plan, transition = plans.locked(str(data_dict.get("id")), "update")
    before = (list(plan.lid_ids or []), plan.tenant_domain)
    if "lid_ids" in data_dict:
        plan.lid_ids = plans.lid_ids(data_dict["lid_ids"], plan.ippd_domain)
    if data_dict.get("tenant_domain"):
        plan.tenant_domain = plans.tenant(data_dict["tenant_domain"])
    if (list(plan.lid_ids or []), plan.tenant_domain) == before:  # nothing changed: no record
        model.Session.rollback()
        return plans.plan_dict(plans.get(str(data_dict.get("id"))))
    plans.touch(plan)
    plans.record(plan, transition, user, data={"lid_ids": plan.lid_ids})
    commit_unless_deferred(context)
    return plans.plan_dict(plan)


@tk.side_effect_free
@validate(schema.id_schema)
def plan_show(context: Context, data_dict: dict[str, Any]) -> Result:
    """A plan with its LIDs, SOP events, recent publication runs and checks.

    :param id: the plan (id or IPPD domain)
    """
    plan = plans.get(str(data_dict.get("id") or ""))
    tk.check_access("splpdepok_lid_plan_show", context, {"id": plan.id})
    return plans.plan_dict(plan)


def _step_data(plan: Plan, name: str, upload: Any) -> dict[str, Any]:
    if name == "send":
        lids = Lid.of_ids(plan.lid_ids or [])
        if not lids or any(lid.status == DRAFT for lid in lids):
            model.Session.rollback()
            raise tk.ValidationError({"lid_ids": [tk._(
                "Plan at least one LID, and mark every planned LID ready first")]})
        return {"lid_ids": plan.lid_ids, "splp_base_url": plan.splp_base_url,
                "tenant_domain": plan.tenant_domain}
    if name == "receive_guide":
        return plans.store_guide(plan, upload)
    return {}


@validate(schema.plan_advance_schema)
def plan_advance(context: Context, data_dict: dict[str, Any]) -> Result:
    """Carry out step 12 (``send``), 13 (``receive_guide``, with ``guide_upload``) or 14
    (``instruct_sync``) of the plan. SPLP's steps are recorded by the walidata or IPPD admin.

    :param id: the plan (id or IPPD domain)
    :param transition: ``send``, ``receive_guide`` or ``instruct_sync``
    :param note: optional
    :param guide_upload: the technical guide (receive_guide only)
    """
    name = str(data_dict.get("transition") or "")
    if name not in ADVANCE:
        raise tk.ValidationError({"transition": [tk._("Choose one of: %(names)s")
                                                 % {"names": ", ".join(ADVANCE)}]})
    plan = plans.get(str(data_dict.get("id") or ""))
    tk.check_access("splpdepok_lid_plan_advance", context, {"id": plan.id, "transition": name})
    user = actor(context)
    plan, transition = plans.locked_or_done(plan.id, name)
    if transition is None:  # the same step again (a second click): recorded once
        model.Session.rollback()
        return plans.plan_dict(plans.get(str(data_dict.get("id"))))
    data = _step_data(plan, name, data_dict.get("guide_upload"))
    plan.status = transition.target
    plans.touch(plan)
    plans.record(plan, transition, user, note=str(data_dict.get("note") or "")[:2000], data=data)
    commit_unless_deferred(context)
    return plans.plan_dict(plan)


# -- publication (15), check (16-18), report ---------------------------------------------------


def _plan(data_dict: dict[str, Any], action: str, context: Context) -> Plan:
    plan = plans.get(str(data_dict.get("id") or ""))
    tk.check_access(action, context, {"id": plan.id})
    return plan


@validate(schema.sync_schema)
def lid_sync(context: Context, data_dict: dict[str, Any]) -> Result:
    """Publish the plan's LIDs to the national Katalog LID in SPLP (SOP step 15).

    Runs as an RQ job on the ``splpdepok_lid`` queue unless ``background`` is false. Dry runs
    are always allowed; a real run waits for no other, but only one real run is alive at once.

    :param id: the plan (id or IPPD domain)
    :param dry_run: optional boolean: only read SPLP and report what would change
    :param confirm_without_dry_run: optional boolean: a real run needs a successful dry run of
        the plan's current content, or this confirmation (noted in the step's SOP event); a
        failed latest dry run blocks it either way (409)
    :param background: optional boolean (default true)
    :returns: the run (``status`` queued, or its outcome with per-LID ``results``)
    """
    plan = _plan(data_dict, "splpdepok_lid_sync", context)
    user = actor(context)
    dry_run, confirmed = bool(data_dict["dry_run"]), bool(data_dict["confirm_without_dry_run"])
    if not dry_run and plan.status not in SYNC_FROM:
        raise Conflict(tk._("SPLP has not instructed the synchronisation yet (SOP step 14); "
                            "the plan is '%(status)s'") % {"status": plan.status})
    gate = "" if dry_run else publication.sync_gate(plan)
    if gate == "failed":
        raise Conflict(tk._("The last dry run of this plan failed: fix what it reports and "
                            "run a successful dry run before the synchronisation"))
    if gate == "missing" and not confirmed:
        raise Conflict(tk._("Run a dry run of the plan's current LIDs first, or confirm the "
                            "synchronisation without a dry run"))
    try:
        run_id = publication.create_publication_run(context, plan.id, user=user.name,
                                                    dry_run=dry_run, confirmed=confirmed)
    except AlreadyRunning:
        raise tk.ValidationError({"id": [tk._("A synchronisation of this plan is already "
                                              "queued or running")]}) from None
    if data_dict["background"]:
        publication.PUBLICATION.enqueue(context, run_id,
                                        title=f"splpdepok LID publication {plan.id}")
        return publication.run_dict(run_id)
    return publication.execute_publication(run_id)


@validate(schema.check_schema)
def lid_check(context: Context, data_dict: dict[str, Any]) -> Result:
    """Check the connection of every synchronised LID of the plan (SOP step 16); success
    notifies the IPPD admin and the LID operators (17-18), failure goes back to step 15.
    No row lock is held while SPLP answers; a plan that moved meanwhile is a 409 Conflict.

    :param id: the plan (id or IPPD domain)
    :param background: optional boolean (default false): run it in the jobs worker (queue
        ``splpdepok_lid``) and return ``{"queued": true}`` at once
    :returns: the check with per-LID results (gateway status and latency, problems)
    """
    plan = _plan(data_dict, "splpdepok_lid_check", context)
    user = actor(context)
    if data_dict["background"]:
        return {"queued": True, "plan_id": plan.id,
                "job_id": jobs.enqueue_check(plan.id, user.name)}
    deferred = bool(context.get("defer_commit"))
    check, outbox = checking.run_check(plan.id, user, release=not deferred)
    commit_unless_deferred(context)
    if deferred:
        # the outbox is our own key, unknown to ckan.types.Context
        cast(dict[str, Any], context).setdefault("splpdepok_outbox", []).extend(outbox)
        return check
    check["mails_sent"] = checking.deliver(outbox)
    return check


@tk.side_effect_free
@validate(schema.report_schema)
def lid_check_report(context: Context, data_dict: dict[str, Any]) -> Result:
    """The history of connection checks (newest first), of one plan or of every plan the
    caller manages.

    :param id: optional plan (id or IPPD domain)
    :param limit: optional, default 100 (at most 100); ``offset`` optional
    :returns: ``checks`` and ``manual`` (the manual publications and connection checks, SOP
        events with their evidence, oldest first)
    """
    plan, domains = None, None
    if data_dict.get("id"):
        plan = _plan(data_dict, "splpdepok_lid_check_report", context)
    else:
        tk.check_access("splpdepok_lid_check_report", context, {})
        domains = auth.managed_domains(actor(context))
    found = _checks_for(plan.id if plan else None, limit=data_dict["limit"],
                        offset=data_dict["offset"], domains=domains)
    ids = [plan.id] if plan else manual.plan_ids_of(domains or [])
    return {"checks": [dict(c.dictize(), ippd_domain=domain) for c, domain in found],
            "manual": manual.records(ids)}

