"""The registration pages: /pendaftaran for applicants (forms per kind, own registrations,
their timelines) and /ckan-admin/pendaftaran for reviewers (queue, detail with decisions,
report, exports)."""
from __future__ import annotations

import io
import os
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok import config
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.common.context import request_context
from ckanext.splpdepok.common.download import attachment
from ckanext.splpdepok.registration.logic import documents, export, staging
from ckanext.splpdepok.registration.model import KINDS, Document
from ckanext.splpdepok.registration.workflow import REVIEW_TRANSITIONS, STATES
from flask import Blueprint, send_file
from werkzeug.datastructures import FileStorage

applicant = Blueprint("splpdepok_registration", __name__, url_prefix="/pendaftaran")
admin = Blueprint("splpdepok_registration_admin", __name__, url_prefix="/ckan-admin/pendaftaran")
PAGE = 20
CONFIRMED = ("approve", "reject")  # decisions asked to be confirmed on a second page

# -- shared -----------------------------------------------------------------------------------

_FORM_FIELDS = ("kind", "ippd_domain", "ippd_name", "username", "full_name", "email",
               "organization", "new_organization", "phone", "note", "version")


def _form_data() -> dict[str, Any]:
    """Posted fields, in the shape the actions take (files: :func:`_uploads`)."""
    data: dict[str, Any] = {k: v for k, v in tk.request.form.items()
                            if k in _FORM_FIELDS and v != ""}
    if "version" in data:
        try:
            data["version"] = int(data["version"][:10])
        except ValueError:
            data.pop("version")
    return data


def _uploads() -> tuple[dict[str, FileStorage], dict[str, staging.Staged]]:
    """The documents of a posted form: a file chosen now, else the one staged by an earlier
    post of the same form (hidden ``staged_<field>`` token). Every acceptable new file is
    staged, so a validation error elsewhere in the form does not make the applicant choose it
    again. Returns (field -> upload for the action, field -> staged file)."""
    user_id = tk.current_user.id
    limit = config.registration_max_document_bytes()
    files: dict[str, FileStorage] = {}
    staged: dict[str, staging.Staged] = {}
    for kind, field in documents.UPLOAD_FIELDS.items():
        upload = tk.request.files.get(field)
        if upload is not None and upload.filename:
            content = upload.stream.read(limit + 1)
            filename = upload.filename
            files[field] = FileStorage(io.BytesIO(content), filename=filename)
            try:
                checked = documents.check_upload(
                    kind, FileStorage(io.BytesIO(content), filename=filename))
            except ValueError:
                continue  # the action says what is wrong with it
            if checked is not None:
                token = staging.stage(user_id, kind, checked.filename, content)
                staged[field] = staging.Staged(token, kind, checked.filename, len(content),
                                               b"")
            continue
        found = staging.load(user_id, tk.request.form.get(f"staged_{field}", "")[:64], kind)
        if found is not None:
            files[field] = FileStorage(io.BytesIO(found.content), filename=found.filename)
            staged[field] = found
    return files, staged


def _staged_view(staged: dict[str, staging.Staged]) -> dict[str, dict[str, Any]]:
    return {field: {"token": s.token, "filename": s.filename, "size": s.size}
            for field, s in staged.items()}


def _error_messages(error: tk.ValidationError) -> dict[str, list[Any]]:
    errors = error.error_dict if isinstance(error.error_dict, dict) else {}
    return {k: v if isinstance(v, list) else [str(v)] for k, v in errors.items()}


def _download(registration_id: str, document_id: str) -> Any:
    """Serves a document to the applicant and the reviewers only, always as an attachment."""
    try:
        tk.check_access("splpdepok_registration_show", request_context(), {"id": registration_id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this registration"))
    doc = Document.get(document_id)
    if doc is None or doc.registration_id != registration_id:
        return tk.abort(404, tk._("Document not found"))
    path = documents.path_of(doc)
    if not os.path.isfile(path):
        return tk.abort(404, tk._("Document not found"))
    response = send_file(path, mimetype=doc.mimetype, as_attachment=True,
                         download_name=doc.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# -- applicant pages ----------------------------------------------------------------------------

def _login_first() -> Any:
    return tk.redirect_to("user.login", came_from=tk.request.path)


@applicant.route("/")
@applicant.route("")
def index() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.render("splpdepok/registration/index.html", {"registrations": [],
                                                               "kinds": KINDS})
    result = tk.get_action("splpdepok_registration_list")(
        request_context(), {"mine": True, "limit": 100})
    return tk.render("splpdepok/registration/index.html",
                     {"registrations": result["results"], "kinds": KINDS})


@applicant.route("/baru/<kind>", methods=["GET", "POST"])
def new(kind: str) -> Any:
    if kind not in KINDS:
        return tk.abort(404, tk._("Unknown registration kind"))
    if not tk.current_user.is_authenticated:
        return _login_first()
    data: dict[str, Any] = {"kind": kind}
    errors: dict[str, list[str]] = {}
    staged: dict[str, staging.Staged] = {}
    if tk.request.method == "POST":
        files, staged = _uploads()
        data = dict(_form_data(), kind=kind)
        try:
            reg = tk.get_action("splpdepok_registration_create")(
                request_context(), dict(data, **files))
        except tk.ValidationError as error:
            errors = _error_messages(error)
        else:
            staging.discard(tk.current_user.id, [s.token for s in staged.values()])
            if tk.request.form.get("then_submit"):
                return _submit(reg["id"])
            tk.h.flash_success(tk._("Registration saved as a draft"))
            return tk.redirect_to("splpdepok_registration.read", id=reg["id"])
    return tk.render("splpdepok/registration/form.html",
                     {"data": data, "errors": errors, "kind": kind, "registration": None,
                      "staged": _staged_view(staged)})


def _registration_or_404(id: str) -> dict[str, Any]:
    """The registration as the signed-in user may see it; 404 otherwise (never 403: nobody
    learns that someone else's registration exists)."""
    try:
        return tk.get_action("splpdepok_registration_show")(request_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Registration not found"))


@applicant.route("/<id>", endpoint="read")
def applicant_read(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    reg = _registration_or_404(id)
    return tk.render("splpdepok/registration/read.html", {"registration": reg})


@applicant.route("/<id>/ubah", methods=["GET", "POST"])
def edit(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    reg = _registration_or_404(id)
    if "update" not in reg["actions"]:
        return tk.abort(403, tk._("This registration can no longer be edited"))
    data, errors = dict(reg), {}
    staged: dict[str, staging.Staged] = {}
    if tk.request.method == "POST":
        files, staged = _uploads()
        data = dict(_form_data(), id=id)
        data.pop("kind", None)
        try:
            tk.get_action("splpdepok_registration_update")(request_context(),
                                                           dict(data, **files))
        except tk.ValidationError as error:
            errors = _error_messages(error)
            data = dict(reg, **{k: v for k, v in data.items() if isinstance(v, str)})
        else:
            staging.discard(tk.current_user.id, [s.token for s in staged.values()])
            if tk.request.form.get("then_submit"):
                return _submit(id)
            tk.h.flash_success(tk._("Registration saved"))
            return tk.redirect_to("splpdepok_registration.read", id=id)
    return tk.render("splpdepok/registration/form.html",
                     {"data": data, "errors": errors, "kind": reg["kind"], "registration": reg,
                      "staged": _staged_view(staged)})


def _submit(id: str) -> Any:
    try:
        tk.get_action("splpdepok_registration_submit")(request_context(), {"id": id})
    except tk.ValidationError as error:
        for messages in _error_messages(error).values():
            for message in messages:
                tk.h.flash_error(message)
    else:
        tk.h.flash_success(tk._("Registration submitted to the walidata"))
    return tk.redirect_to("splpdepok_registration.read", id=id)


@applicant.route("/<id>/kirim", methods=["POST"])
def submit(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    try:
        return _submit(id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(403, tk._("Only the applicant may submit this registration"))


@applicant.route("/<id>/dokumen/<document_id>", endpoint="document")
def applicant_document(id: str, document_id: str) -> Any:
    return _download(id, document_id)


# -- reviewer pages -----------------------------------------------------------------------------

def _guard(auth: str = "splpdepok_registration_review_queue") -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    try:
        tk.check_access(auth, request_context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only reviewers may open the registration queue"))
    return None


def _filters() -> dict[str, Any]:
    args = tk.request.args
    filters: dict[str, Any] = {}
    if args.get("kind") in KINDS:
        filters["kind"] = args["kind"]
    status = args.get("status", "submitted")
    if status in STATES:
        filters["status"] = status
    if args.get("text", "").strip():
        filters["text"] = args["text"].strip()[:200]
    if args.get("overdue"):
        filters["overdue"] = True
    return filters


@admin.route("/")
@admin.route("")
def queue() -> Any:
    denied = _guard()
    if denied is not None:
        return denied
    filters = _filters()
    try:
        page = min(max(1, int(tk.request.args.get("page", 1))), 10**6)
    except ValueError:
        page = 1
    try:
        result = tk.get_action("splpdepok_registration_list")(
            request_context(), dict(filters, limit=PAGE, offset=(page - 1) * PAGE))
    except tk.ValidationError as error:
        result = {"count": 0, "results": []}
        for messages in _error_messages(error).values():
            tk.h.flash_error("; ".join(messages))
    return tk.render("splpdepok/registration/admin/queue.html", {
        "result": result, "filters": filters, "page": page, "page_size": PAGE,
        "kinds": KINDS, "states": STATES, "raw_status": tk.request.args.get("status", "submitted"),
    })


def _registration_and_plan(id: str) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
    try:
        reg = tk.get_action("splpdepok_registration_show")(request_context(), {"id": id})
        plan = (tk.get_action("splpdepok_registration_plan")(request_context(), {"id": id})
                if reg["status"] == "submitted" else None)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return reg, plan


@admin.route("/<id>", endpoint="read")
def admin_read(id: str) -> Any:
    denied = _guard()
    if denied is not None:
        return denied
    found = _registration_and_plan(id)
    if found is None:
        return tk.abort(404, tk._("Registration not found"))
    return tk.render("splpdepok/registration/admin/read.html",
                     {"registration": found[0], "plan": found[1]})


def _decision_data(id: str) -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {"id": id, "note": form.get("note", "")}
    if form.get("version", "").isdigit() and len(form["version"]) < 10:
        data["version"] = int(form["version"])
    if form.get("plan"):
        data["plan"] = form["plan"]
    return data


def _confirm(id: str, decision: str, data: dict[str, Any]) -> Any:
    """The confirmation step (no JavaScript needed): what the decision will do, then a second
    form that posts ``confirmed`` and the plan's fingerprint."""
    try:
        tk.check_access(f"splpdepok_registration_{decision}", request_context(), {"id": id})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("Not authorized to review this registration"))
    found = _registration_and_plan(id)
    if found is None:
        return tk.abort(404, tk._("Registration not found"))
    if decision == "reject" and not data["note"].strip():  # say so before asking to confirm
        tk.h.flash_error(tk._("A note is required to return or reject"))
        return tk.redirect_to("splpdepok_registration_admin.read", id=id)
    return tk.render("splpdepok/registration/admin/confirm.html", {
        "registration": found[0], "plan": found[1], "decision": decision, "data": data})


def _mail_text(mail: dict[str, int]) -> str:
    if mail.get("failed"):
        return tk._("%(failed)d of %(total)d notification e-mails could NOT be sent: tell the "
                    "people concerned yourself.") % {
            "failed": mail["failed"], "total": mail["failed"] + mail.get("sent", 0)}
    if mail.get("sent"):
        return tk._("Notification e-mails sent: %(sent)d.") % {"sent": mail["sent"]}
    return tk._("No notification e-mail was sent.")


@admin.route("/<id>/<decision>", methods=["POST"])
def decide(id: str, decision: str) -> Any:
    if decision not in REVIEW_TRANSITIONS:
        return tk.abort(404)
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login")
    data = _decision_data(id)
    if decision in CONFIRMED and tk.request.form.get("confirmed") != "1":
        return _confirm(id, decision, data)
    try:
        result = tk.get_action(f"splpdepok_registration_{decision}")(request_context(), data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("Not authorized to review this registration"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Registration not found"))
    except tk.ValidationError as error:
        for messages in _error_messages(error).values():
            tk.h.flash_error("; ".join(messages))
    else:
        done = {
            "approve": tk._("Registration approved: account, organization and role set up."),
            "return": tk._("Registration returned to the applicant."),
            "reject": tk._("Registration rejected."),
        }[decision]
        mail = result.get("mail") or {}
        flash = tk.h.flash_error if mail.get("failed") else tk.h.flash_success
        flash(f"{done} {_mail_text(mail)}")
    return tk.redirect_to("splpdepok_registration_admin.read", id=id)


@admin.route("/<id>/dokumen/<document_id>", endpoint="document")
def admin_document(id: str, document_id: str) -> Any:
    return _download(id, document_id)


@admin.route("/laporan")
def report() -> Any:
    denied = _guard("splpdepok_sla_report")
    if denied is not None:
        return denied
    report = tk.get_action("splpdepok_sla_report")(request_context(), {})
    return tk.render("splpdepok/registration/admin/report.html", {"report": report})


@admin.route("/ekspor.<fmt>")
def download_export(fmt: str) -> Any:
    if fmt not in ("xlsx", "csv"):
        return tk.abort(404)
    denied = _guard("splpdepok_registration_export")
    if denied is not None:
        return denied
    rows = export.event_rows(export.all_registrations())
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        body, content_type = export.to_csv(rows).encode("utf-8-sig"), "text/csv; charset=utf-8"
    else:
        body, content_type = export.to_xlsx(rows), export.XLSX_MIME
    return attachment(body, f"pendaftaran-{stamp}.{fmt}", content_type)
