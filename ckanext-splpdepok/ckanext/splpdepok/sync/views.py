"""Admin pages of catalog sync under /ckan-admin/sinkronisasi (Indonesian by default)."""
from __future__ import annotations

import json
from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common.context import request_context
from ckanext.splpdepok.common.download import CSV, JSON, attachment
from ckanext.splpdepok.common.paging import MAX_LIMIT
from ckanext.splpdepok.sync import crosswalk, jobs
from ckanext.splpdepok.sync.logic import checks, report
from ckanext.splpdepok.sync.model import SyncRun, SyncTarget
from flask import Blueprint, Response

blueprint = Blueprint("splpdepok_sync", __name__, url_prefix="/ckan-admin/sinkronisasi")
FORM_KEYS = ("name", "title", "type", "url", "credential_ref", "name_prefix", "extras_mode",
             "withdraw_mode", "withdraw_max_share", "jabar_mode", "concurrency",
             "rate_per_second", "schedule_minutes", "catalog_url", "catalog_api", "regional_id")


def _field_errors(exc: tk.ValidationError) -> dict[str, list[Any]]:
    """The sync schemas report a list of messages per field (ErrorDict also allows ints)."""
    return cast("dict[str, list[Any]]", exc.error_dict)


def _guard() -> None:
    try:
        tk.check_access("splpdepok_target_list", request_context(), {})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the walidata (Diskominfo admins) manage catalog sync"))


def _target_or_404(name: str) -> SyncTarget:
    target = SyncTarget.get(name)
    if target is None:
        tk.abort(404, tk._("Sync target not found"))
    return target


def _mark_stale(run: dict[str, Any] | None) -> dict[str, Any] | None:
    """A live run whose worker stopped answering shows as such (the scheduler or the next
    worker job marks it failed: pages never write)."""
    if run is not None:
        run["stale"] = jobs.RUNS.stale(run)
    return run


def index() -> str:
    _guard()
    targets = tk.get_action("splpdepok_target_list")(request_context(), {})
    for summary in targets:
        _mark_stale(summary["last_run"])
    return tk.render("splpdepok/sync/index.html", {"targets": targets})


def _form_data() -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {k: form.get(k, "") for k in FORM_KEYS}
    data["org_map"] = form.get("org_map", "")
    data["field_policy"] = form.get("field_policy", "")
    data["selection"] = {"mode": form.get("selection_mode", "all"),
                         "values": form.get("selection_values", "")}
    data["active"] = bool(form.get("active"))
    if not data.get("schedule_minutes"):
        data["schedule_minutes"] = "0"  # an emptied field switches the schedule off
    return {k: v for k, v in data.items()
            if v != "" or k in ("org_map", "field_policy", "catalog_url")}


def _form_values(target: dict[str, Any] | None) -> dict[str, Any]:
    if not target:
        return {"type": "ckan", "extras_mode": "fields", "withdraw_mode": "delete",
                "withdraw_max_share": 0.2, "jabar_mode": "push", "concurrency": 4,
                "rate_per_second": 20, "active": True, "selection_mode": "all",
                "catalog_api": "ckan", "regional_id": crosswalk.JABAR_REGIONAL_ID}
    values = dict(target)
    values["org_map"] = "\n".join(f"{k} = {v}" for k, v in (target["org_map"] or {}).items())
    values["field_policy"] = "\n".join(
        f"{k} = {v}" for k, v in (target["field_policy"] or {}).items())
    values["selection_mode"] = (target["selection"] or {}).get("mode", "all")
    values["selection_values"] = ", ".join((target["selection"] or {}).get("values") or [])
    return values


def edit(name: str | None = None) -> Any:
    _guard()
    target = _target_or_404(name) if name else None
    errors: dict[str, Any] = {}
    values = _form_values(target.dictize() if target else None)
    if tk.request.method == "POST":
        data = _form_data()
        try:
            if target is None:
                saved = tk.get_action("splpdepok_target_create")(request_context(), data)
            else:
                saved = tk.get_action("splpdepok_target_update")(
                    request_context(), {**data, "id": target.id})
        except tk.ValidationError as exc:
            errors = exc.error_dict
            values = {**values, **tk.request.form.to_dict(), "active": bool(
                tk.request.form.get("active"))}
        else:
            tk.h.flash_success(tk._("Sync target saved"))
            return tk.redirect_to("splpdepok_sync.target", name=saved["name"])
    return tk.render("splpdepok/sync/edit.html",
                     {"target": target, "values": values, "errors": errors})


def target(name: str) -> str:
    _guard()
    item = _target_or_404(name)
    context = request_context()
    summary = tk.get_action("splpdepok_target_show")(context, {"id": item.id})
    _mark_stale(summary["last_run"])
    runs = [_mark_stale(r) for r in
            tk.get_action("splpdepok_sync_run_list")(context, {"id": item.id, "limit": 30})]
    failures = tk.get_action("splpdepok_sync_ledger_list")(
        context, {"id": item.id, "status": "failed", "limit": 100})
    conflicts = tk.get_action("splpdepok_sync_ledger_list")(
        context, {"id": item.id, "status": "conflict", "limit": 100})
    blocked = tk.get_action("splpdepok_sync_ledger_list")(
        context, {"id": item.id, "status": "blocked", "limit": 100})
    return tk.render("splpdepok/sync/target.html", {
        "target": summary, "runs": runs, "problems": failures + conflicts + blocked,
        "check_pending": jobs.check_pending(item)})


def check(name: str) -> Any:
    _guard()
    item = _target_or_404(name)
    # never inline: a slow or unreachable target would hold a server thread for minutes
    tk.get_action("splpdepok_target_check")(request_context(), {"id": item.id, "background": True})
    tk.h.flash_success(tk._("Connection check queued; its report appears on this page when "
                            "the jobs worker has run it"))
    if checks.reads_remote_catalog(item):
        return tk.redirect_to("splpdepok_sync.catalog", name=item.name)
    return tk.redirect_to("splpdepok_sync.target", name=item.name)


def run(name: str) -> Any:
    _guard()
    item = _target_or_404(name)
    form = tk.request.form
    data = {"id": item.id, "dry_run": bool(form.get("dry_run")),
            "only_failed": bool(form.get("only_failed")),
            "confirm_withdrawal": bool(form.get("confirm_withdrawal"))}
    try:
        queued = tk.get_action("splpdepok_sync_run")(request_context(), data)
    except tk.ValidationError as exc:
        tk.h.flash_error("; ".join(str(m) for msgs in _field_errors(exc).values() for m in msgs))
        return tk.redirect_to("splpdepok_sync.target", name=item.name)
    tk.h.flash_success(tk._("The sync was queued; this page shows its progress"))
    return tk.redirect_to("splpdepok_sync.run_page", name=item.name, run_id=queued["id"])


def delete(name: str) -> Any:
    _guard()
    item = _target_or_404(name)
    try:
        tk.get_action("splpdepok_target_delete")(request_context(), {"id": item.id})
    except tk.ValidationError as exc:
        tk.h.flash_error("; ".join(str(m) for msgs in _field_errors(exc).values() for m in msgs))
        return tk.redirect_to("splpdepok_sync.target", name=item.name)
    tk.h.flash_success(tk._("Sync target deleted"))
    return tk.redirect_to("splpdepok_sync.index")


def run_page(name: str, run_id: str) -> str:
    _guard()
    item = _target_or_404(name)
    try:
        data = tk.get_action("splpdepok_sync_run_show")(
            request_context(), {"id": run_id, "limit": MAX_LIMIT})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Sync run not found"))
    if data["target_id"] != item.id:
        tk.abort(404, tk._("Sync run not found"))
    return tk.render("splpdepok/sync/run.html",
                     {"run": _mark_stale(data), "target": item.dictize()})



def history_csv(name: str) -> Response:
    _guard()
    item = _target_or_404(name)
    return attachment(report.runs_csv(item), f"sinkronisasi-{item.name}.csv", CSV)


def run_csv(name: str, run_id: str) -> Response:
    _guard()
    item = _target_or_404(name)
    found = SyncRun.get(run_id)
    if found is None or found.target_id != item.id:
        tk.abort(404, tk._("Sync run not found"))
    return attachment(report.items_csv(found), f"sinkronisasi-run-{run_id[:8]}.csv", CSV)


def export_json(name: str) -> Response:
    _guard()
    item = _target_or_404(name)
    records = tk.get_action("splpdepok_sync_export")(request_context(), {"id": item.id})
    return attachment(json.dumps(records, ensure_ascii=False, indent=1),
                     f"jabar-{item.name}.json", JSON)


def catalog(name: str) -> str:
    _guard()
    item = _target_or_404(name)
    if item.type not in report.CATALOG_ROW:
        tk.abort(404, tk._("This target type has no catalog report"))
    found, row = report.catalog_report(item)
    return tk.render("splpdepok/sync/catalog.html", {
        "target": item.dictize(), "check": found.dictize() if found else None, "row": row,
        "label": report.finding_label, "request_text": report.finding_request})


def catalog_csv(name: str) -> Response:
    _guard()
    item = _target_or_404(name)
    found, row = report.catalog_report(item)
    if row is None:
        tk.abort(404, tk._("No catalog report yet: run the check first"))
    kind = "selisih-nasional" if item.type == "harvest" else "katalog-jabar"
    return attachment(report.catalog_csv(item, row), f"{kind}-{item.name}.csv", CSV)


blueprint.add_url_rule("/", view_func=index, endpoint="index", strict_slashes=False)
blueprint.add_url_rule("/baru", view_func=edit, endpoint="new", methods=["GET", "POST"])
blueprint.add_url_rule("/<name>", view_func=target, endpoint="target")
blueprint.add_url_rule("/<name>/ubah", view_func=edit, endpoint="edit", methods=["GET", "POST"])
blueprint.add_url_rule("/<name>/cek", view_func=check, endpoint="check", methods=["POST"])
blueprint.add_url_rule("/<name>/jalankan", view_func=run, endpoint="run", methods=["POST"])
blueprint.add_url_rule("/<name>/hapus", view_func=delete, endpoint="delete", methods=["POST"])
blueprint.add_url_rule("/<name>/riwayat.csv", view_func=history_csv, endpoint="history_csv")
blueprint.add_url_rule("/<name>/ekspor.json", view_func=export_json, endpoint="export_json")
blueprint.add_url_rule("/<name>/run/<run_id>", view_func=run_page, endpoint="run_page")
blueprint.add_url_rule("/<name>/run/<run_id>.csv", view_func=run_csv, endpoint="run_csv")
blueprint.add_url_rule("/<name>/katalog", view_func=catalog, endpoint="catalog")
blueprint.add_url_rule("/<name>/katalog.csv", view_func=catalog_csv, endpoint="catalog_csv")
