"""Reviewer pages in the CKAN admin area: queue, detail with decisions, report, exports."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.registration import export
from ckanext.splpdepok.registration.model import KINDS
from ckanext.splpdepok.registration.views.common import context, download, error_messages
from ckanext.splpdepok.registration.workflow import REVIEW_TRANSITIONS, STATES
from flask import Blueprint, Response
from ckanext.splpdepok.common import clock

blueprint = Blueprint("splpdepok_registration_admin", __name__,
                      url_prefix="/ckan-admin/pendaftaran")
PAGE = 20
CONFIRMED = ("approve", "reject")  # decisions asked to be confirmed on a second page


def _guard(auth: str = "splpdepok_registration_review_queue") -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    try:
        tk.check_access(auth, context(), {})
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


@blueprint.route("/")
@blueprint.route("")
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
            context(), dict(filters, limit=PAGE, offset=(page - 1) * PAGE))
    except tk.ValidationError as error:
        result = {"count": 0, "results": []}
        for messages in error_messages(error).values():
            tk.h.flash_error("; ".join(messages))
    return tk.render("splpdepok/registration/admin/queue.html", {
        "result": result, "filters": filters, "page": page, "page_size": PAGE,
        "kinds": KINDS, "states": STATES, "raw_status": tk.request.args.get("status", "submitted"),
    })


def _registration_and_plan(id: str) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
    try:
        reg = tk.get_action("splpdepok_registration_show")(context(), {"id": id})
        plan = (tk.get_action("splpdepok_registration_plan")(context(), {"id": id})
                if reg["status"] == "submitted" else None)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return reg, plan


@blueprint.route("/<id>")
def read(id: str) -> Any:
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
        tk.check_access(f"splpdepok_registration_{decision}", context(), {"id": id})
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


@blueprint.route("/<id>/<decision>", methods=["POST"])
def decide(id: str, decision: str) -> Any:
    if decision not in REVIEW_TRANSITIONS:
        return tk.abort(404)
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login")
    data = _decision_data(id)
    if decision in CONFIRMED and tk.request.form.get("confirmed") != "1":
        return _confirm(id, decision, data)
    try:
        result = tk.get_action(f"splpdepok_registration_{decision}")(context(), data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("Not authorized to review this registration"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Registration not found"))
    except tk.ValidationError as error:
        for messages in error_messages(error).values():
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


@blueprint.route("/<id>/dokumen/<document_id>")
def document(id: str, document_id: str) -> Any:
    return download(id, document_id)


@blueprint.route("/laporan")
def report() -> Any:
    denied = _guard("splpdepok_sla_report")
    if denied is not None:
        return denied
    report = tk.get_action("splpdepok_sla_report")(context(), {})
    return tk.render("splpdepok/registration/admin/report.html", {"report": report})


@blueprint.route("/ekspor.<fmt>")
def download_export(fmt: str) -> Any:
    if fmt not in ("xlsx", "csv"):
        return tk.abort(404)
    denied = _guard("splpdepok_registration_export")
    if denied is not None:
        return denied
    rows = export.event_rows(export.all_registrations())
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        body, mimetype = export.to_csv(rows).encode("utf-8-sig"), "text/csv; charset=utf-8"
    else:
        body, mimetype = export.to_xlsx(rows), export.XLSX_MIME
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="pendaftaran-{stamp}.{fmt}"',
        "Cache-Control": "private, no-store",
    })
