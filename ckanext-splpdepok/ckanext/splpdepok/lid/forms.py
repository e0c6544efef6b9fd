"""Forms of the Katalog LID: add/edit/delete an entry, prepare a plan and carry out its steps
(send, guide, instruction, sync, dry run, check). Every form posts a CSRF token."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from ckanext.splpdepok.lid.splp.mapping import CLASSIFICATIONS, OUTPUT_FORMATS
from flask import Blueprint

blueprint = Blueprint("splpdepok_lid_edit", __name__)
FORM_FIELDS = ("name", "description", "endpoint_url", "output_format", "classification",
               "context", "version")


def _context() -> Context:
    return {"user": tk.current_user.name}


def _signed_in(endpoint: str, **values: Any) -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for(endpoint, **values))
    return None


def _messages(errors: dict[str, Any]) -> str:
    parts: list[str] = []
    for value in errors.values():
        parts += [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return "; ".join(parts)


def attributes_text(attributes: list[dict[str, str]]) -> str:
    return "\n".join(f"{a['name']} | {a['type']} | {a['description']}" for a in attributes)


def parse_attributes(text: str) -> list[dict[str, str]]:
    """One field per line: ``name | type | description`` (type and description optional)."""
    rows = []
    for line in (text or "").splitlines():
        if line.strip():
            parts = [p.strip() for p in line.split("|", 2)] + ["", ""]
            rows.append({"name": parts[0], "type": parts[1] or "string",
                         "description": parts[2]})
    return rows


def _form_data() -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {f: form.get(f, "").strip() for f in FORM_FIELDS}
    data["attributes"] = parse_attributes(form.get("attributes", ""))
    data["datasets"] = form.get("datasets", "")
    data["ready"] = form.get("ready") == "on"
    return data


def _render(lid: dict[str, Any] | None, data: dict[str, Any], errors: dict[str, Any]) -> Any:
    return tk.render("splpdepok/lid/form.html", {
        "lid": lid, "data": data, "errors": errors, "formats": OUTPUT_FORMATS,
        "classifications": CLASSIFICATIONS})


@blueprint.route("/katalog-lid/baru", methods=["GET", "POST"])
def new() -> Any:
    redirect = _signed_in("splpdepok_lid_edit.new")
    if redirect is not None:
        return redirect
    try:
        tk.check_access("splpdepok_lid_create", _context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only approved LID operators, IPPD admins and the walidata "
                                  "may add LIDs"))
    if tk.request.method == "GET":
        return _render(None, {"classification": "terbuka", "output_format": "JSON",
                              "attributes_text": ""}, {})
    data = _form_data()
    try:
        lid = tk.get_action("splpdepok_lid_create")(_context(), dict(data))
    except tk.ValidationError as error:
        data["attributes_text"] = tk.request.form.get("attributes", "")
        return _render(None, data, error.error_dict)
    return tk.redirect_to("splpdepok_lid.read", id=lid["id"])


@blueprint.route("/katalog-lid/<id>/ubah", methods=["GET", "POST"])
def edit(id: str) -> Any:
    redirect = _signed_in("splpdepok_lid_edit.edit", id=id)
    if redirect is not None:
        return redirect
    try:
        tk.check_access("splpdepok_lid_update", _context(), {"id": id})
        lid = tk.get_action("splpdepok_lid_show")(_context(), {"id": id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.abort(404, tk._("LID not found"))
    if tk.request.method == "GET":
        data = dict(lid, attributes_text=attributes_text(lid["attributes"]),
                    datasets=" ".join(d["name"] for d in tk.h.splpdepok_lid_datasets(
                        lid["datasets"])), ready=lid["status"] != "draft")
        return _render(lid, data, {})
    data = _form_data()
    try:
        tk.get_action("splpdepok_lid_update")(_context(), dict(data, id=id))
    except tk.ValidationError as error:
        data["attributes_text"] = tk.request.form.get("attributes", "")
        return _render(lid, data, error.error_dict)
    return tk.redirect_to("splpdepok_lid.read", id=id)


@blueprint.route("/katalog-lid/<id>/hapus", methods=["POST"])
def delete(id: str) -> Any:
    try:
        tk.get_action("splpdepok_lid_delete")(_context(), {"id": id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.abort(404, tk._("LID not found"))
    return tk.redirect_to("splpdepok_lid.index")


def _own_domain(requested: str | None) -> str:
    from ckanext.splpdepok.lid import access

    if requested:
        return requested
    user = access.user_obj(tk.current_user.name)
    registration = access.operator_registration(user)
    managed = access.managed_domains(user) if user else []
    return registration.ippd_domain if registration else (managed[0] if managed else "")


def _ready_lids(domain: str) -> list[str]:
    from ckan import model
    from ckanext.splpdepok.lid.model import DRAFT, Lid

    return [i for (i,) in model.Session.query(Lid.id).filter(
        Lid.ippd_domain == domain, Lid.status != DRAFT).order_by(Lid.name)]


@blueprint.route("/katalog-lid/rencana", methods=["POST"])
def plan_new() -> Any:
    """Open the IPPD's plan (created with every ready LID of the IPPD when there is none)."""
    from ckanext.splpdepok.lid.plan_model import Plan

    redirect = _signed_in("splpdepok_lid.index")
    if redirect is not None:
        return redirect
    domain = _own_domain(tk.request.form.get("ippd_domain") or None)
    existing = Plan.get(domain) if domain else None
    if existing is not None:
        return tk.redirect_to("splpdepok_lid.plan", id=existing.id)
    data = {"lid_ids": _ready_lids(domain), "ippd_domain": domain or None}
    try:
        plan = tk.get_action("splpdepok_lid_plan_create")(_context(), data)
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
    context = _context()
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
            tk.get_action("splpdepok_lid_sync")(context, {"id": id})
            tk.h.flash_success(tk._("Synchronisation queued; reload this page for its result"))
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
