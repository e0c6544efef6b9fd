"""Applicant pages: /pendaftaran — forms per kind, own registrations, their timelines."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.registration.model import KINDS
from ckanext.splpdepok.registration.views.common import context, download, error_messages, form_data
from flask import Blueprint

blueprint = Blueprint("splpdepok_registration", __name__, url_prefix="/pendaftaran")


def _login_first() -> Any:
    return tk.redirect_to("user.login", came_from=tk.request.path)


@blueprint.route("/")
@blueprint.route("")
def index() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.render("splpdepok/registration/index.html", {"registrations": [],
                                                               "kinds": KINDS})
    result = tk.get_action("splpdepok_registration_list")(
        context(), {"mine": True, "limit": 100})
    return tk.render("splpdepok/registration/index.html",
                     {"registrations": result["results"], "kinds": KINDS})


@blueprint.route("/baru/<kind>", methods=["GET", "POST"])
def new(kind: str) -> Any:
    if kind not in KINDS:
        return tk.abort(404, tk._("Unknown registration kind"))
    if not tk.current_user.is_authenticated:
        return _login_first()
    data: dict[str, Any] = {"kind": kind}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        data = dict(form_data(), kind=kind)
        try:
            reg = tk.get_action("splpdepok_registration_create")(context(), dict(data))
        except tk.ValidationError as error:
            errors = error_messages(error)
        else:
            if tk.request.form.get("then_submit"):
                return _submit(reg["id"])
            tk.h.flash_success(tk._("Registration saved as a draft"))
            return tk.redirect_to("splpdepok_registration.read", id=reg["id"])
    return tk.render("splpdepok/registration/form.html",
                     {"data": data, "errors": errors, "kind": kind, "registration": None})


@blueprint.route("/<id>")
def read(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    try:
        reg = tk.get_action("splpdepok_registration_show")(context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Registration not found"))
    return tk.render("splpdepok/registration/read.html", {"registration": reg})


@blueprint.route("/<id>/ubah", methods=["GET", "POST"])
def edit(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    try:
        reg = tk.get_action("splpdepok_registration_show")(context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Registration not found"))
    if "update" not in reg["actions"]:
        return tk.abort(403, tk._("This registration can no longer be edited"))
    data, errors = dict(reg), {}
    if tk.request.method == "POST":
        data = dict(form_data(), id=id)
        data.pop("kind", None)
        try:
            tk.get_action("splpdepok_registration_update")(context(), dict(data))
        except tk.ValidationError as error:
            errors = error_messages(error)
            data = dict(reg, **{k: v for k, v in data.items() if isinstance(v, str)})
        else:
            if tk.request.form.get("then_submit"):
                return _submit(id)
            tk.h.flash_success(tk._("Registration saved"))
            return tk.redirect_to("splpdepok_registration.read", id=id)
    return tk.render("splpdepok/registration/form.html",
                     {"data": data, "errors": errors, "kind": reg["kind"], "registration": reg})


def _submit(id: str) -> Any:
    try:
        tk.get_action("splpdepok_registration_submit")(context(), {"id": id})
    except tk.ValidationError as error:
        for messages in error_messages(error).values():
            for message in messages:
                tk.h.flash_error(message)
    else:
        tk.h.flash_success(tk._("Registration submitted to the walidata"))
    return tk.redirect_to("splpdepok_registration.read", id=id)


@blueprint.route("/<id>/kirim", methods=["POST"])
def submit(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    try:
        return _submit(id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(403, tk._("Only the applicant may submit this registration"))


@blueprint.route("/<id>/dokumen/<document_id>")
def document(id: str, document_id: str) -> Any:
    return download(id, document_id)
