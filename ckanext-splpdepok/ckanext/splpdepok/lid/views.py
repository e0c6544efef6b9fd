"""Pages of the Katalog LID: the public catalog (/katalog-lid), an entry and its form, the
connection plan and its step buttons (send, guide, instruction, publication, dry run, check), a
publication run and the connection-check report (page and CSV). Every form posts a CSRF token;
GET pages never write."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok.common.context import request_context
from ckanext.splpdepok.common.download import CSV, JSON, attachment
from ckanext.splpdepok.common.roles import user_obj
from ckanext.splpdepok.lid import forms
from ckanext.splpdepok.lid import package as pkg
from ckanext.splpdepok.lid.logic import auth, manual
from ckanext.splpdepok.lid.model import DRAFT, STATUSES, Lid, Plan, PublicationRun
from ckanext.splpdepok.lid.splp.mapping import CLASSIFICATIONS, OUTPUT_FORMATS
from ckanext.splpdepok.registration.model import Ippd
from flask import Blueprint, send_file

blueprint = Blueprint("splpdepok_lid", __name__)
FILTERS = ("q", "organization", "classification", "output_format", "status")
PAGE_SIZE = 20


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
            request_context(), dict(params, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
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
        found = tk.get_action(action)(request_context(), {"id": id})
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


def _package(id: str) -> dict[str, Any]:
    """The publication package (404 for whoever may not publish the plan)."""
    try:
        return tk.get_action("splpdepok_lid_plan_package")(request_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Connection plan not found"))


@blueprint.route("/katalog-lid/rencana/<id>/paket")
def package(id: str) -> Any:
    """The publication package for manual entry in the SPLP publisher portal."""
    redirect = _signed_in("splpdepok_lid.package", id=id)
    return redirect or tk.render("splpdepok/lid/package.html", {"package": _package(id)})


@blueprint.route("/katalog-lid/rencana/<id>/paket.json")
def package_json(id: str) -> Any:
    found = _package(id)
    return attachment(json.dumps(found, ensure_ascii=False, indent=2),
                      f"paket-publikasi-splp-{found['ippd_domain']}.json", JSON)


@blueprint.route("/katalog-lid/rencana/<id>/paket.txt")
def package_text(id: str) -> Any:
    found = _package(id)
    labels = {k: tk._(v) for k, v in forms.PACKAGE_LABELS.items()}
    return attachment(pkg.as_text(found, labels),
                      f"paket-publikasi-splp-{found['ippd_domain']}.txt", "text/plain")


@blueprint.route("/katalog-lid/rencana/<id>/paket/<lid_id>/openapi.json")
def package_openapi(id: str, lid_id: str) -> Any:
    part = next((p for p in _package(id)["lids"] if p["id"] == lid_id and p["openapi"]), None)
    if part is None:
        return tk.abort(404, tk._("LID not found"))
    name = re.sub(r"[^a-z0-9]+", "-", str(part["context"]).lower()).strip("-") or "lid"
    return attachment(json.dumps(part["openapi"], ensure_ascii=False, indent=2),
                      f"openapi-{name}-{part['version']}.json", JSON)


@blueprint.route("/katalog-lid/rencana/<id>/bukti/<evidence_id>")
def evidence(id: str, evidence_id: str) -> Any:
    """A manual record's evidence document (for those who may see the plan)."""
    try:
        found = tk.get_action("splpdepok_lid_plan_events")(request_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Connection plan not found"))
    kept = next((e["data"]["evidence"] for e in found["events"]
                 if (e["data"].get("evidence") or {}).get("id") == evidence_id), None)
    if kept is None:
        return tk.abort(404, tk._("Evidence not found"))
    response = send_file(manual.evidence_path(found["plan_id"], evidence_id),
                         mimetype=kept["mimetype"], as_attachment=True,
                         download_name=kept["filename"])
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.route("/katalog-lid/rencana/<id>/panduan")
def guide(id: str) -> Any:
    """The technical guide received from SPLP (for those who may see the plan)."""
    try:
        found = tk.get_action("splpdepok_lid_plan_show")(request_context(), {"id": id})
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
    try:
        found = tk.get_action("splpdepok_lid_plan_show")(request_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Connection plan not found"))
    row = PublicationRun.get(run_id) if len(run_id) <= 100 else None
    if row is None or row.plan_id != found["id"]:
        return tk.abort(404, tk._("Synchronisation run not found"))
    return tk.render("splpdepok/lid/dry_run.html", {"run": row.dictize(), "plan_id": id})


def _report(plan_id: str | None) -> dict[str, Any]:
    data = {"id": plan_id} if plan_id else {}
    return tk.get_action("splpdepok_lid_check_report")(request_context(), data)


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
    return tk.render("splpdepok/lid/report.html", {"checks": found["checks"], "plan": plan_id,
                                                   "manual": found["manual"]})


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
                             check["connected"], row["lid_id"], forms.cell(row["lid_name"]),
                             row["api_id"], row["connected"], row["lifecycle"],
                             row["same_fields"], row["deployed"], row["gateway_url"],
                             row["status_code"], row["latency_ms"],
                             forms.cell(" | ".join(row["problems"]))])
    return attachment(out.getvalue(), "splpdepok-lid-connection-checks.csv", CSV)


# -- forms -------------------------------------------------------------------------------------


def _signed_in(endpoint: str, **values: Any) -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for(endpoint, **values))
    return None


def _messages(errors: dict[str, Any]) -> str:
    return " ".join(forms.error_lines(errors, tk._))


def _form_data() -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {f: form.get(f, "").strip() for f in forms.FORM_FIELDS}
    data["attributes"] = forms.parse_attributes(form.get("attributes", ""))
    if form.get("ippd_domain", "").strip():
        data["ippd_domain"] = form["ippd_domain"].strip()
    data["datasets"] = form.get("datasets", "")
    data["ready"] = form.get("ready") == "on"
    return data


def _ippd_choices() -> list[tuple[str, str]]:
    """The IPPDs the signed-in user may add LIDs for (the walidata: every one)."""
    user = user_obj(tk.current_user.name)
    if user is None:
        return []
    domains = list(auth.managed_domains(user))
    registration = auth.operator_registration(user)
    if registration and registration.ippd_domain not in domains:
        domains.insert(0, registration.ippd_domain)
    names = {i.domain: i.name for i in Ippd.query_all()}
    return [(d, f"{names.get(d) or d} ({d})") for d in domains]


def _render(lid: dict[str, Any] | None, data: dict[str, Any], errors: dict[str, Any]) -> Any:
    return tk.render("splpdepok/lid/form.html", {
        "lid": lid, "data": data, "errors": errors, "formats": OUTPUT_FORMATS,
        "classifications": CLASSIFICATIONS, "ippds": [] if lid else _ippd_choices(),
        "error_lines": forms.error_lines(errors, tk._)})


@blueprint.route("/katalog-lid/baru", methods=["GET", "POST"])
def new() -> Any:
    redirect = _signed_in("splpdepok_lid.new")
    if redirect is not None:
        return redirect
    try:
        tk.check_access("splpdepok_lid_create", request_context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only approved LID operators, IPPD admins and the walidata "
                                  "may add LIDs"))
    if tk.request.method == "GET":
        return _render(None, {"classification": "terbuka", "output_format": "JSON",
                              "attributes_text": ""}, {})
    data = _form_data()
    try:
        lid = tk.get_action("splpdepok_lid_create")(request_context(), dict(data))
    except tk.ValidationError as error:
        data["attributes_text"] = tk.request.form.get("attributes", "")
        return _render(None, data, error.error_dict)
    return tk.redirect_to("splpdepok_lid.read", id=lid["id"])


@blueprint.route("/katalog-lid/<id>/ubah", methods=["GET", "POST"])
def edit(id: str) -> Any:
    redirect = _signed_in("splpdepok_lid.edit", id=id)
    if redirect is not None:
        return redirect
    try:
        tk.check_access("splpdepok_lid_update", request_context(), {"id": id})
        lid = tk.get_action("splpdepok_lid_show")(request_context(), {"id": id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.abort(404, tk._("LID not found"))
    if tk.request.method == "GET":
        data = dict(lid, attributes_text=forms.attributes_text(lid["attributes"]),
                    datasets=" ".join(d["name"] for d in tk.h.splpdepok_lid_datasets(
                        lid["datasets"])), ready=lid["status"] != "draft")
        return _render(lid, data, {})
    data = _form_data()
    try:
        tk.get_action("splpdepok_lid_update")(request_context(), dict(data, id=id))
    except tk.ValidationError as error:
        data["attributes_text"] = tk.request.form.get("attributes", "")
        return _render(lid, data, error.error_dict)
    return tk.redirect_to("splpdepok_lid.read", id=id)


@blueprint.route("/katalog-lid/<id>/hapus", methods=["POST"])
def delete(id: str) -> Any:
    try:
        tk.get_action("splpdepok_lid_delete")(request_context(), {"id": id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.abort(404, tk._("LID not found"))
    return tk.redirect_to("splpdepok_lid.index")


def _own_domain(requested: str | None) -> str:
    if requested:
        return requested
    user = user_obj(tk.current_user.name)
    registration = auth.operator_registration(user)
    managed = auth.managed_domains(user) if user else []
    return registration.ippd_domain if registration else (managed[0] if managed else "")


def _ready_lids(domain: str) -> list[str]:
    return [i for (i,) in model.Session.query(Lid.id).filter(
        Lid.ippd_domain == domain, Lid.status != DRAFT).order_by(Lid.name)]


@blueprint.route("/katalog-lid/rencana", methods=["POST"])
def plan_new() -> Any:
    """Open the IPPD's plan (created with every ready LID of the IPPD when there is none)."""
    redirect = _signed_in("splpdepok_lid.index")
    if redirect is not None:
        return redirect
    domain = _own_domain(tk.request.form.get("ippd_domain") or None)
    existing = Plan.get(domain) if domain else None
    if existing is not None:
        return tk.redirect_to("splpdepok_lid.plan", id=existing.id)
    data = {"lid_ids": _ready_lids(domain), "ippd_domain": domain or None}
    try:
        plan = tk.get_action("splpdepok_lid_plan_create")(request_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the IPPD's LID operators, its admin and the walidata "
                                  "may plan"))
    except tk.ValidationError as error:
        tk.h.flash_error(_messages(error.error_dict))
        return tk.redirect_to("splpdepok_lid.index")
    return tk.redirect_to("splpdepok_lid.plan", id=plan["id"])


@blueprint.route("/katalog-lid/rencana/<id>/langkah", methods=["POST"])
def plan_step(id: str) -> Any:
    """One plan step: advance (send, guide, instruction), sync, dry run or check."""
    form = tk.request.form
    step = form.get("step", "")
    context = request_context()
    try:
        if step == "include_ready":
            plan = tk.get_action("splpdepok_lid_plan_show")(context, {"id": id})
            tk.get_action("splpdepok_lid_plan_update")(context, {
                "id": id, "lid_ids": _ready_lids(plan["ippd_domain"])})
        elif step in ("send", "receive_guide", "instruct_sync"):
            tk.get_action("splpdepok_lid_plan_advance")(context, {
                "id": id, "transition": step, "note": form.get("note", ""),
                "guide_upload": tk.request.files.get("guide_upload")})
        elif step == "sync":
            tk.get_action("splpdepok_lid_sync")(context, {
                "id": id, "confirm_without_dry_run": form.get("confirm_without_dry_run") == "on"})
            tk.h.flash_success(tk._("Synchronisation queued; reload this page for its result"))
        elif step in ("publish_manual", "check_manual"):
            tk.get_action(f"splpdepok_lid_{step}")(context, {
                "id": id, "outcome": form.get("outcome", ""), "note": form.get("note", ""),
                "evidence_url": form.get("evidence_url", ""),
                "evidence_upload": tk.request.files.get("evidence_upload")})
            tk.h.flash_success(tk._("Recorded"))
        elif step == "dry_run":
            run = tk.get_action("splpdepok_lid_sync")(context, {"id": id, "dry_run": True,
                                                                "background": True})
            return tk.redirect_to("splpdepok_lid.run", id=id, run_id=run["id"])
        elif step == "check":
            tk.get_action("splpdepok_lid_check")(context, {"id": id, "background": True})
            tk.h.flash_success(tk._("Connection check queued; its result appears on this page "
                                    "when the jobs worker has run it"))
        else:
            return tk.abort(400, tk._("Unknown step"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the IPPD admin and the walidata may carry out this step"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Connection plan not found"))
    except tk.ValidationError as error:
        tk.h.flash_error(_messages(error.error_dict))
    return tk.redirect_to("splpdepok_lid.plan", id=id)
