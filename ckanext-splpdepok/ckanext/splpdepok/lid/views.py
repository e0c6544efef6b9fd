"""Pages of the Katalog LID: the public catalog (/katalog-lid), an entry, the connection plan
and the connection-check report (page and CSV)."""
from __future__ import annotations

import csv
import io
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from ckanext.splpdepok.lid.model import STATUSES
from ckanext.splpdepok.lid.splp.mapping import CLASSIFICATIONS, OUTPUT_FORMATS
from flask import Blueprint, Response

blueprint = Blueprint("splpdepok_lid", __name__)
FILTERS = ("q", "organization", "classification", "output_format", "status")
PAGE_SIZE = 20


def _context() -> Context:
    user = tk.current_user
    return {"user": user.name if getattr(user, "is_authenticated", False) else ""}


@blueprint.route("/katalog-lid")
def index() -> Any:
    args = tk.request.args
    params = {k: args.get(k, "").strip() for k in FILTERS if args.get(k, "").strip()}
    page_text = args.get("page", "1").strip()
    if not re.fullmatch(r"[0-9]{1,6}", page_text) or not 1 <= int(page_text) <= 100_000:
        return tk.abort(400, tk._("The page must be a whole number between 1 and 100000"))
    page = int(page_text)
    errors: dict[str, Any] = {}
    try:
        found = tk.get_action("splpdepok_lid_list")(
            _context(), dict(params, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
    except tk.ValidationError as error:
        errors = error.error_dict
        found = {"count": 0, "results": [], "facets": {}}
    return tk.render("splpdepok/lid/index.html", {
        "found": found, "params": params, "page": page, "page_size": PAGE_SIZE,
        "errors": errors, "classifications": CLASSIFICATIONS, "formats": OUTPUT_FORMATS,
        "statuses": [s for s in STATUSES if s != "draft"]})


def _show_page(action: str, id: str, endpoint: str, template: str, key: str,
               not_found: str, forbidden: str) -> Any:
    """Renders one record; anonymous visitors who may not see it are sent to sign in."""
    try:
        found = tk.get_action(action)(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, not_found)
    except tk.NotAuthorized:
        if not tk.current_user.is_authenticated:
            return tk.redirect_to("user.login", came_from=tk.url_for(endpoint, id=id))
        return tk.abort(403, forbidden)
    return tk.render(template, {key: found})


@blueprint.route("/katalog-lid/<id>")
def read(id: str) -> Any:
    return _show_page("splpdepok_lid_show", id, "splpdepok_lid.read",
                      "splpdepok/lid/read.html", "lid",
                      tk._("LID not found"), tk._("Not authorized to see this LID"))


@blueprint.route("/katalog-lid/rencana/<id>")
def plan(id: str) -> Any:
    return _show_page("splpdepok_lid_plan_show", id, "splpdepok_lid.plan",
                      "splpdepok/lid/plan.html", "plan",
                      tk._("Connection plan not found"),
                      tk._("Not authorized to see this connection plan"))


@blueprint.route("/katalog-lid/rencana/<id>/panduan")
def guide(id: str) -> Any:
    """The technical guide received from SPLP (for those who may see the plan)."""
    from ckanext.splpdepok.lid.plan_model import Plan
    from flask import send_file

    try:
        found = tk.get_action("splpdepok_lid_plan_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Connection plan not found"))
    plan_row = Plan.get(found["id"])
    if plan_row is None or not plan_row.guide_path:
        return tk.abort(404, tk._("No technical guide uploaded yet"))
    response = send_file(plan_row.guide_path, mimetype=plan_row.guide_mimetype,
                         as_attachment=True, download_name=plan_row.guide_filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.route("/katalog-lid/rencana/<id>/run/<run_id>")
def run(id: str, run_id: str) -> Any:
    """One synchronisation run of the plan (a dry run's would-be changes): queued, running or
    its outcome."""
    from ckanext.splpdepok.lid.plan_model import SyncRun

    try:
        found = tk.get_action("splpdepok_lid_plan_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Connection plan not found"))
    row = SyncRun.get(run_id) if len(run_id) <= 100 else None
    if row is None or row.plan_id != found["id"]:
        return tk.abort(404, tk._("Synchronisation run not found"))
    return tk.render("splpdepok/lid/dry_run.html", {"run": row.dictize(), "plan_id": id})


def _report(plan_id: str | None) -> dict[str, Any]:
    data = {"id": plan_id} if plan_id else {}
    return tk.get_action("splpdepok_lid_check_report")(_context(), data)


@blueprint.route("/katalog-lid/laporan")
def report() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for("splpdepok_lid.report"))
    plan_id = tk.request.args.get("plan") or None
    try:
        found = _report(plan_id)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only IPPD admins and the walidata may see connection reports"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Connection plan not found"))
    return tk.render("splpdepok/lid/report.html", {"checks": found["checks"], "plan": plan_id})


CSV_COLUMNS = ("check_id", "checked_at", "ippd_domain", "plan_connected", "lid_id", "lid_name",
               "api_id", "connected", "lifecycle", "same_fields", "deployed", "gateway_url",
               "status_code", "latency_ms", "problems")


@blueprint.route("/katalog-lid/laporan.csv")
def report_csv() -> Any:
    plan_id = tk.request.args.get("plan") or None
    try:
        found = _report(plan_id)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only IPPD admins and the walidata may see connection reports"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Connection plan not found"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for check in found["checks"]:
        for row in check["results"]:
            writer.writerow([check["id"], check["created"], check["ippd_domain"],
                             check["connected"], row["lid_id"], _cell(row["lid_name"]),
                             row["api_id"], row["connected"], row["lifecycle"],
                             row["same_fields"], row["deployed"], row["gateway_url"],
                             row["status_code"], row["latency_ms"],
                             _cell(" | ".join(row["problems"]))])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=splpdepok-lid-connection-checks.csv",
        "Cache-Control": "private, no-store"})


def _cell(value: Any) -> Any:
    """No spreadsheet formulas from user text (CSV injection)."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
