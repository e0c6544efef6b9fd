"""Actions of the sync capability: targets, runs, ledger, checks, per-dataset state."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict
from ckanext.splpdepok.common.clock import iso
from ckanext.splpdepok.common.context import commit_unless_deferred
from ckanext.splpdepok.common.runs import AlreadyRunning
from ckanext.splpdepok.sync import jobs
from ckanext.splpdepok.sync.logic import checks, schema
from ckanext.splpdepok.sync.logic import report as sync_report
from ckanext.splpdepok.sync.model import (
    LedgerEntry,
    SyncCheck,
    SyncRun,
    SyncRunItem,
    SyncTarget,
)
from sqlalchemy.exc import IntegrityError

FIELDS = ("name", "title", "type", "url", "credential_ref", "org_map", "selection",
          "field_policy", "name_prefix", "extras_mode", "withdraw_mode", "withdraw_max_share",
          "jabar_mode", "concurrency", "rate_per_second", "schedule_minutes", "active",
          "catalog_url", "catalog_api", "regional_id")


def _target(id_or_name: str) -> SyncTarget:
    target = SyncTarget.get(id_or_name)
    if target is None:
        raise tk.ObjectNotFound(tk._("Sync target not found"))
    return target


def _check_url(data: dict[str, Any], target_type: str) -> None:
    if target_type != "harvest" and not data.get("url") and data.get("jabar_mode") != "export":
        raise tk.ValidationError({"url": [tk._("A CKAN or Jabar push target needs an address")]})


@tk.validate(schema.target_schema)
def target_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create a sync target.

    :param name: short name (a-z, 0-9, -, _); :param type: ckan, jabar or harvest;
    :param url: base address; :param credential_ref: name of the env var/setting holding the
    token; :param org_map: {local org: remote org}; :param selection: {"mode": all|organization|
    tag, "values": [...]}; :param field_policy: {field: local|remote}; :param name_prefix,
    extras_mode, withdraw_mode, withdraw_max_share, jabar_mode, concurrency, rate_per_second,
    schedule_minutes, active: see the admin form; :param catalog_url: read address of the
    check (harvest: the national catalog; jabar: the province's base); :param catalog_api:
    ckan or proxy (data.go.id's ``/api/proxy``); :param regional_id: Jabar region (15).
    """
    tk.check_access("splpdepok_target_create", context, data_dict)
    if SyncTarget.get(data_dict["name"]) is not None:
        raise tk.ValidationError({"name": [tk._("A target with this name already exists")]})
    _check_url(data_dict, data_dict["type"])
    target = SyncTarget(**{k: data_dict[k] for k in FIELDS if k in data_dict})
    target.title = target.title or target.name
    model.Session.add(target)
    _flush_unique_name()
    commit_unless_deferred(context)
    return target.dictize()


def _flush_unique_name() -> None:
    """The name's unique constraint decides between two simultaneous creates or renames."""
    try:
        model.Session.flush()
    except IntegrityError:
        model.Session.rollback()
        raise tk.ValidationError(
            {"name": [tk._("A target with this name already exists")]}) from None


@tk.validate(lambda: schema.target_schema(update=True))
def target_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Update a sync target (only the keys given change).

    :param id: id or name of the target; other params as in ``splpdepok_target_create``.
    """
    tk.check_access("splpdepok_target_update", context, data_dict)
    target = _target(data_dict["id"])
    new_name = data_dict.get("name", target.name)
    if new_name != target.name and SyncTarget.get(new_name) is not None:
        raise tk.ValidationError({"name": [tk._("A target with this name already exists")]})
    for key in FIELDS:
        if key in data_dict:
            setattr(target, key, data_dict[key])
    _check_url(target.dictize(), target.type)
    _flush_unique_name()
    commit_unless_deferred(context)
    return target.dictize()


@tk.side_effect_free
@tk.validate(schema.id_schema)
def target_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A target with its ledger counts, last run and last check. :param id: id or name."""
    tk.check_access("splpdepok_target_show", context, data_dict)
    return sync_report.target_summary(_target(data_dict["id"]))


@tk.side_effect_free
@tk.validate(schema.empty_schema)
def target_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every target with its summary (no params)."""
    tk.check_access("splpdepok_target_list", context, data_dict)
    return [sync_report.target_summary(t)
            for t in model.Session.query(SyncTarget).order_by(SyncTarget.name)]


@tk.validate(schema.id_schema)
def target_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Delete a target with its ledger, runs and checks (remote datasets stay). :param id."""
    tk.check_access("splpdepok_target_delete", context, data_dict)
    target = _target(data_dict["id"])
    if jobs.RUNS.active(target.id) is not None:
        raise tk.ValidationError({"id": [tk._("Wait for the running sync to finish")]})
    model.Session.delete(target)
    commit_unless_deferred(context)
    return {"id": target.id, "deleted": True}


@tk.validate(schema.check_schema)
def target_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Check reachability (DNS/TCP/TLS/HTTP), credentials, API version, organizations, latency;
    with ``catalog_url`` set also the remote catalog (harvest: national drift; jabar: which of
    our datasets the province lists).

    :param id: id or name of the target; :param background: true queues the check on the
    ``splpdepok_sync`` worker and returns ``{"queued": true, "job_id"}``. Otherwise returns the
    stored report.
    """
    tk.check_access("splpdepok_target_check", context, data_dict)
    target = _target(data_dict["id"])
    if data_dict["background"]:
        return {"queued": True, "target_id": target.id, "job_id": jobs.enqueue_check(target)}
    return checks.check_target(target).dictize()


@tk.validate(schema.run_schema)
def sync_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Start a sync of one target (an RQ job on queue ``splpdepok_sync``).

    :param id: target id or name; :param dry_run: only report what would change;
    :param only_failed: retry failed datasets only; :param confirm_withdrawal: go on although
    the run withdraws more than the target's limit; :param background: false runs it now.
    """
    tk.check_access("splpdepok_sync_run", context, data_dict)
    target = _target(data_dict["id"])
    try:
        run_id = jobs.new_run(context, target, triggered_by=context.get("user") or "",
                              dry_run=data_dict["dry_run"], only_failed=data_dict["only_failed"],
                              confirm_withdrawal=data_dict["confirm_withdrawal"])
    except AlreadyRunning:
        raise tk.ValidationError({"id": [tk._("A sync of this target is already queued or "
                                              "running")]}) from None
    if data_dict["background"]:
        jobs.enqueue(context, target, run_id)
        run = SyncRun.get(run_id)
        assert run is not None  # created above, in this transaction
        return run.dictize()
    from ckanext.splpdepok.sync.logic.runner import execute_run
    return execute_run(run_id)


@tk.side_effect_free
@tk.validate(schema.list_schema)
def sync_run_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A run with its per-dataset outcomes. :param id: run id; :param items: include them."""
    tk.check_access("splpdepok_sync_run_show", context, data_dict)
    run = SyncRun.get(data_dict.get("id", ""))
    if run is None:
        raise tk.ObjectNotFound(tk._("Sync run not found"))
    result = run.dictize()
    if data_dict["items"]:
        q = (model.Session.query(SyncRunItem).filter_by(run_id=run.id)
             .order_by(SyncRunItem.outcome, SyncRunItem.package_name))
        result["items"] = [i.dictize() for i in
                           q.offset(data_dict["offset"]).limit(data_dict["limit"])]
    return result


@tk.side_effect_free
@tk.validate(schema.list_schema)
def sync_run_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Runs, newest first. :param id: target id or name (optional); :param limit, offset."""
    tk.check_access("splpdepok_sync_run_list", context, data_dict)
    q = model.Session.query(SyncRun)
    if data_dict.get("id"):
        q = q.filter(SyncRun.target_id == _target(data_dict["id"]).id)
    q = q.order_by(SyncRun.created.desc()).offset(data_dict["offset"]).limit(data_dict["limit"])
    return [r.dictize() for r in q]


@tk.side_effect_free
@tk.validate(schema.list_schema)
def sync_ledger_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Ledger rows of a target. :param id: target; :param status (optional); :param limit,
    offset."""
    tk.check_access("splpdepok_sync_ledger_list", context, data_dict)
    target = _target(data_dict.get("id", ""))
    q = model.Session.query(LedgerEntry).filter_by(target_id=target.id)
    if data_dict.get("status"):
        q = q.filter(LedgerEntry.status == data_dict["status"])
    q = q.order_by(LedgerEntry.package_name).offset(data_dict["offset"])
    return [e.dictize() for e in q.limit(data_dict["limit"])]


@tk.side_effect_free
@tk.validate(schema.list_schema)
def sync_check_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Connection-check reports, newest first. :param id: target; :param limit, offset."""
    tk.check_access("splpdepok_sync_check_list", context, data_dict)
    target = _target(data_dict.get("id", ""))
    q = (model.Session.query(SyncCheck).filter_by(target_id=target.id)
         .order_by(SyncCheck.created.desc()))
    return [c.dictize() for c in q.offset(data_dict["offset"]).limit(data_dict["limit"])]


@tk.side_effect_free
@tk.validate(schema.id_schema)
def sync_export(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The Jabar key/value records of a target's selection (export mode). :param id."""
    tk.check_access("splpdepok_sync_export", context, data_dict)
    return sync_report.jabar_export(_target(data_dict["id"]))


@tk.side_effect_free
@tk.validate(schema.id_schema)
def package_sync_state(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Where one dataset is synced: one row per target. :param id: dataset id or name."""
    pkg = model.Package.get(data_dict["id"])
    if pkg is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("splpdepok_sync_package_state", context, {"id": pkg.id})
    t, lt = SyncTarget.__table__, LedgerEntry.__table__
    rows = model.Session.execute(
        sa.select(t.c.name, t.c.title, t.c.type, lt.c.status, lt.c.remote_name,
                  lt.c.last_pushed, lt.c.last_error)
        .select_from(t.outerjoin(lt, sa.and_(lt.c.target_id == t.c.id,
                                             lt.c.package_id == pkg.id)))
        .where(t.c.active.is_(True)).order_by(t.c.name))
    return [{"target": r.name, "title": r.title, "type": r.type,
             "status": r.status or "not_synced", "remote_name": r.remote_name,
             "last_pushed": iso(r.last_pushed),
             "last_error": r.last_error} for r in rows]

