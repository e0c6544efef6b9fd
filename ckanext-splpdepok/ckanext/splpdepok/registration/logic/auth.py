"""Who may do what with registrations: the auth functions and the role predicates.

Who may carry out which transition is written once, in the transition table
(``workflow.MACHINE``, each row's ``performers``); :func:`may_perform` resolves those role keys
for one user and one registration and adds separation of duties: nobody reviews a registration
they created or that names them (by user id, user name or e-mail). The walidata rule itself is
``common.roles.is_walidata``.

The review auth functions are ``auth_sysadmins_check``: CKAN's sysadmin bypass does not apply,
so separation of duties holds for sysadmins too. The others let sysadmins pass as CKAN does.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.common.roles import is_walidata, user_obj, walidata_org
from ckanext.splpdepok.registration.model import Ippd, Registration
from ckanext.splpdepok.registration.workflow import MACHINE, REVIEW_TRANSITIONS
from ckanext.splpdepok.sop.steps import APPLICANT, IPPD_ADMIN, REVIEWER

Result = dict[str, Any]


# -- role predicates ---------------------------------------------------------------------------

def ippd_of(registration: Registration) -> Ippd | None:
    return Ippd.by_domain(registration.ippd_domain)


def is_ippd_admin_for(user: model.User | None, registration: Registration) -> bool:
    if user is None or registration.kind != "lid":
        return False
    ippd = ippd_of(registration)
    return bool(ippd and ippd.admin_user_id == user.id)


def is_named_person(user: model.User, registration: Registration) -> bool:
    """The registration names ``user``: its account, its user name or its e-mail."""
    if registration.user_id and registration.user_id == user.id:
        return True
    if (registration.username or "").lower() == (user.name or "").lower():
        return True
    email = (user.email or "").strip().lower()
    return bool(email) and email == (registration.email or "").strip().lower()


def _holds(user: model.User, role: str, registration: Registration) -> bool:
    if role == APPLICANT:
        return registration.creator_user_id == user.id
    if role == REVIEWER:
        return is_walidata(user)
    if role == IPPD_ADMIN:
        return is_ippd_admin_for(user, registration)
    return False


def _no_role(registration: Registration, allowed: tuple[str, ...]) -> str:
    """Why someone holding none of the transition's roles may not perform it (a msgid)."""
    if APPLICANT in allowed:
        return "Only the applicant may change or submit this registration"
    if registration.kind == "lid":
        return "Only the walidata or the admin of this registration's IPPD may review it"
    return "Only the walidata may review this registration"


def may_perform(user: model.User | None, registration: Registration,
                name: str) -> tuple[bool, str]:
    """Whether ``user`` may carry out transition ``name``, and an English msgid saying why not."""
    if user is None or user.state != model.State.ACTIVE:
        return False, "Sign in first"
    allowed = MACHINE.performers(name, registration.kind)
    if not any(_holds(user, role, registration) for role in allowed):
        return False, _no_role(registration, allowed)
    if APPLICANT not in allowed:  # a review: separation of duties
        if registration.creator_user_id == user.id:
            return False, "Nobody may review a registration they created"
        if is_named_person(user, registration):
            return False, "Nobody may review a registration that names them"
    return True, ""


def can_review(user: model.User | None, registration: Registration) -> bool:
    return any(may_perform(user, registration, name)[0] for name in REVIEW_TRANSITIONS)


def is_reviewer_of_kind(user: model.User | None, registration: Registration) -> bool:
    """Holds a reviewing role for this registration (separation of duties aside): it may see it."""
    return user is not None and (is_walidata(user) or is_ippd_admin_for(user, registration))


def can_view(user: model.User | None, registration: Registration) -> bool:
    if user is None:
        return False
    return registration.creator_user_id == user.id or is_reviewer_of_kind(user, registration)


def administered_domains(user: model.User) -> list[str]:
    """Domains of the IPPDs whose admin is ``user`` (they review those LID registrations)."""
    return [d for (d,) in model.Session.query(Ippd.domain).filter(Ippd.admin_user_id == user.id)]


def walidata_users() -> list[model.User]:
    users = {u.id: u for u in model.Session.query(model.User).filter(
        model.User.sysadmin.is_(True), model.User.state == "active")}
    org = walidata_org()
    if org is not None:
        query = (model.Session.query(model.User)
                 .join(model.Member, model.Member.table_id == model.User.id)
                 .filter(model.Member.group_id == org.id, model.Member.table_name == "user",
                         model.Member.capacity == "admin", model.Member.state == "active",
                         model.User.state == "active"))
        users.update({u.id: u for u in query})
    site_user = config_site_user()
    return [u for u in users.values() if u.name != site_user]


def reviewers_for(registration: Registration) -> list[model.User]:
    """Who is asked to review: everyone who may approve it (never its applicant or named person)."""
    users = walidata_users()
    if registration.kind == "lid":
        ippd = ippd_of(registration)
        admin = user_obj(ippd.admin_user_id) if ippd and ippd.admin_user_id else None
        if admin is not None and all(u.id != admin.id for u in users):
            users.append(admin)
    return [u for u in users if may_perform(u, registration, "approve")[0]]


def config_site_user() -> str:
    return tk.config.get("ckan.site_id") or ""


# -- auth functions ----------------------------------------------------------------------------

def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User) and user.state == model.State.ACTIVE:
        return user
    return user_obj(context.get("user"))


def _registration(data_dict: dict[str, Any]) -> Registration | None:
    id_ = data_dict.get("id") if isinstance(data_dict, dict) else None
    return Registration.get(id_) if isinstance(id_, str) and id_ else None


def _deny(msg: str) -> Result:
    return {"success": False, "msg": tk._(msg)}


def registration_create(context: Context, data_dict: dict[str, Any]) -> Result:
    if _user(context) is None:
        return _deny("Sign in to register")
    return {"success": True}


def _transition(name: str) -> Any:
    def auth(context: Context, data_dict: dict[str, Any]) -> Result:
        reg = _registration(data_dict)
        if reg is None:
            return _deny("Registration not found")
        allowed, reason = may_perform(_user(context), reg, name)
        return {"success": True} if allowed else _deny(reason)

    auth.__name__ = f"registration_{name}"
    auth.__doc__ = f"Who may {name} a registration: the transition table, per kind."
    return auth


registration_update = _transition("update")
registration_submit = _transition("submit")
registration_approve = tk.auth_sysadmins_check(_transition("approve"))
registration_return = tk.auth_sysadmins_check(_transition("return"))
registration_reject = tk.auth_sysadmins_check(_transition("reject"))


def registration_plan(context: Context, data_dict: dict[str, Any]) -> Result:
    """What approval would do names existing accounts: reviewers of this registration only."""
    user, reg = _user(context), _registration(data_dict)
    if reg is None or not is_reviewer_of_kind(user, reg):
        return _deny("Only reviewers may see what approval will do")
    return {"success": True}


def registration_show(context: Context, data_dict: dict[str, Any]) -> Result:
    user, reg = _user(context), _registration(data_dict)
    if reg is None or not can_view(user, reg):
        return _deny("Not authorized to see this registration")
    return {"success": True}


def registration_list(context: Context, data_dict: dict[str, Any]) -> Result:
    if _user(context) is None:
        return _deny("Sign in to see registrations")
    return {"success": True}


def sla_report(context: Context, data_dict: dict[str, Any]) -> Result:
    if not is_walidata(_user(context)):
        return _deny("Only the walidata may see the compliance report")
    return {"success": True}


def registration_export(context: Context, data_dict: dict[str, Any]) -> Result:
    """Exports hold everyone's personal data: the walidata only."""
    if not is_walidata(_user(context)):
        return _deny("Only the walidata may export registrations")
    return {"success": True}


def registration_review_queue(context: Context, data_dict: dict[str, Any]) -> Result:
    """The admin-area queue: the walidata, and IPPD admins for their LID registrations."""
    user = _user(context)
    if user is None or not (is_walidata(user) or administered_domains(user)):
        return _deny("Only reviewers may open the registration queue")
    return {"success": True}
