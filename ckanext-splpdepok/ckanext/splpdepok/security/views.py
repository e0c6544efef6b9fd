"""One app-wide ``before_request`` guard and one ``after_request`` hook, registered through a
blueprint (``after_app_request``) so that they apply to every page, API call and download.

Headers on every response: ``X-Frame-Options: SAMEORIGIN``, ``X-Content-Type-Options:
nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``. A response a view marked
``no-store`` (a private download) stays ``Cache-Control: private, no-store``: CKAN's own
after-request handler, which runs after this one, would otherwise add ``public, max-age``.
A content type that names its charset twice keeps one.

A second blueprint, ``splpdepok_signup``, is self-service sign-up with e-mail confirmation
(``security/logic/account.py``): it answers the POST of ``/user/register`` and ``/user/login``
before CKAN's views (plugin blueprints register first), ``/user/konfirmasi/<id>?key=`` and the
resend form. Signed-in people (a sysadmin creating an account) get CKAN's register view as is.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.security.logic import account, guard
from flask import Blueprint, Response, request
from werkzeug.http import dump_options_header, parse_options_header

blueprint = Blueprint("splpdepok_security", __name__)
signup = Blueprint("splpdepok_signup", __name__)

HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@blueprint.before_app_request
def splpdepok_guard_request() -> Any:
    problem = guard.problem(request.endpoint or "", request.args, request.form,
                            request.view_args)
    if problem:
        return tk.abort(400, problem)
    return None


def _one_charset(response: Response) -> None:
    raw = response.headers.get("Content-Type")
    if not raw or raw.lower().count("charset=") < 2:
        return
    value, options = parse_options_header(raw)
    response.headers["Content-Type"] = dump_options_header(value, options)


@blueprint.after_app_request
def splpdepok_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.cache_control.no_store:
        # read by ckan.views.set_cache_control_headers_for_response: private, never public
        request.environ["__no_cache__"] = True
        response.cache_control.public = False
        response.cache_control.max_age = None
        response.cache_control.must_revalidate = False
        response.cache_control.private = True
    _one_charset(response)
    return response


def _check_csrf() -> None:
    """CKAN exempts requests without a signed-in session from its CSRF check (it takes them
    for API-token calls), so a visitor's forms here check the form's token themselves."""
    from flask_wtf.csrf import validate_csrf
    from wtforms.validators import ValidationError

    field = tk.config.get("WTF_CSRF_FIELD_NAME") or "_csrf_token"
    try:
        validate_csrf(request.form.get(field))
    except ValidationError:
        tk.abort(400, tk._("The form has expired or did not come from this portal: reload "
                           "the page and send it again."))


def _resend_vars(user: Any) -> dict[str, Any]:
    """What the resend form needs: the account's name (public), never its key."""
    return {"splpdepok_resend_login": user.name if account.awaits_confirmation(user) else ""}


def _check_mail_page(user: Any, sent: account.Sent, status: int = 200,
                     email: str = "") -> tuple[str, int]:
    """``email`` only right after the sign-up form that typed it: the resend form names an
    account, and the page must not tell anyone its address."""
    return tk.render("user/splpdepok_check_mail.html", {
        "splpdepok_sent": sent.value, "splpdepok_email": email,
        "splpdepok_resend_seconds": account.RESEND_SECONDS, **_resend_vars(user),
    }), status


@signup.route("/user/register", methods=["POST"])
def register() -> Any:
    """CKAN's RegisterView.post for a visitor, except that the account stays pending and the
    person is not signed in: a link goes to the e-mail address instead."""
    from ckan.lib import captcha
    from ckan.lib.navl import dictization_functions as df
    from ckan.logic import clean_dict, parse_params, tuplize_dict
    from ckan.model import User
    from ckan.views.user import RegisterView, _new_form_to_db_schema

    if tk.current_user.is_authenticated:
        return RegisterView().post()
    _check_csrf()
    context: dict[str, Any] = {"user": "", "schema": _new_form_to_db_schema(),
                               "save": "save" in request.form, "defer_commit": True}
    try:
        tk.check_access("user_create", context)  # type: ignore[arg-type]
    except tk.NotAuthorized:
        tk.abort(403, tk._("Unauthorized to register as a user."))
    try:
        data_dict = clean_dict(df.unflatten(tuplize_dict(parse_params(request.form))))
        data_dict.update(clean_dict(df.unflatten(tuplize_dict(parse_params(request.files)))))
    except df.DataError:
        tk.abort(400, tk._("Integrity Error"))
    try:
        captcha.check_recaptcha(request)
    except captcha.CaptchaError:
        tk.h.flash_error(tk._("Bad Captcha. Please try again."))
        return RegisterView().get(data_dict)
    try:
        user_dict = tk.get_action("user_create")(context, data_dict)  # type: ignore[arg-type]
    except tk.ValidationError as error:
        from ckan import model

        model.Session.rollback()
        return RegisterView().get(data_dict, error.error_dict,  # type: ignore[arg-type]
                                  error.error_summary)
    user = User.get(user_dict["id"])
    if user is None:  # user_create flushed it: never
        tk.abort(404, tk._("User not found"))
    account.make_pending(user)
    return _check_mail_page(user, account.send_link(user), email=user.email or "")


@signup.route("/user/konfirmasi/<id>")
def confirm(id: str) -> Any:
    """The mailed link: a right, fresh key activates the account once and signs the person in."""
    from ckan.common import login_user
    from ckan.model import User
    from ckan.views.user import regenerate_session, rotate_token

    key = request.args.get("key", "")
    if not key.strip():
        return _confirm_error(None, 400, tk._("This confirmation link is incomplete: it has no "
                                              "key. Open the link exactly as it was mailed."))
    user = User.get(id) if len(id) <= 200 else None
    outcome = account.confirm(user, key) if user is not None else account.Confirmed.BAD_KEY
    if outcome is account.Confirmed.ALREADY_ACTIVE:
        return _confirm_error(None, 403, tk._("This account is already active: the link was "
                                              "used. Sign in with your name and password."))
    if outcome is account.Confirmed.EXPIRED:
        return _confirm_error(user, 403, tk._("This confirmation link has expired. Ask for a "
                                              "new one below."))
    if outcome is not account.Confirmed.DONE or user is None:
        return _confirm_error(user, 403, tk._("This confirmation link is not valid, or it was "
                                              "replaced by a newer one."))
    regenerate_session()
    login_user(user)
    rotate_token()
    tk.h.flash_success(tk._("Your e-mail address is confirmed and your account is active. "
                            "Welcome!"))
    return tk.redirect_to("splpdepok_registration.index")


def _confirm_error(user: Any, status: int, message: str) -> tuple[str, int]:
    return tk.render("user/splpdepok_confirm_error.html", {
        "splpdepok_message": message, "splpdepok_resend_seconds": account.RESEND_SECONDS,
        **_resend_vars(user),
    }), status


@signup.route("/user/konfirmasi/kirim-ulang", methods=["POST"])
def resend() -> Any:
    """Mails a new link to a self-registered account still waiting (once a minute at most)."""
    _check_csrf()
    user = account.find(request.form.get("login", ""))
    sent = account.send_link(user, fresh_key=True) if user else account.Sent.NOT_PENDING
    status = {account.Sent.TOO_SOON: 429, account.Sent.NOT_PENDING: 404}.get(sent, 200)
    return _check_mail_page(user, sent, status)


@signup.route("/user/login", methods=["POST"])
def login() -> Any:
    """CKAN's login, except that a self-registered account still waiting for its link, signed
    in with the right password, is told to confirm the e-mail address (with a resend form)
    instead of CKAN's "bad username or password"."""
    from ckan.views.user import login as ckan_login

    if not tk.current_user.is_authenticated:
        user = account.find(request.form.get("login", ""))
        password = request.form.get("password", "")
        if (account.awaits_confirmation(user) and user is not None and password
                and user.validate_password(password)):
            tk.h.flash_error(tk._("This account is not active yet: open the link we mailed to "
                                  "your e-mail address to confirm it, or ask for a new link."))
            return tk.render("user/login.html", {**_resend_vars(user),
                                                 "splpdepok_resend_seconds":
                                                     account.RESEND_SECONDS}), 403
    return ckan_login()
