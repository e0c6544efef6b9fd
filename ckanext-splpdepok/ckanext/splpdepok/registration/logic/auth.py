"""Auth functions of the registration actions.

Who may carry out a transition comes from the transition table (``roles.may_perform`` reads
``workflow.MACHINE``). The review functions are ``auth_sysadmins_check``: CKAN's sysadmin bypass
does not apply, so separation of duties holds for sysadmins too (nobody reviews a registration
they created or that names them). The others let sysadmins pass as CKAN does.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.registration import roles
from ckanext.splpdepok.registration.model import Registration

Result = dict[str, Any]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User) and user.state == model.State.ACTIVE:
        return user
    return roles.user_obj(context.get("user"))


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
        allowed, reason = roles.may_perform(_user(context), reg, name)
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
    if reg is None or not roles.is_reviewer_of_kind(user, reg):
        return _deny("Only reviewers may see what approval will do")
    return {"success": True}


def registration_show(context: Context, data_dict: dict[str, Any]) -> Result:
    user, reg = _user(context), _registration(data_dict)
    if reg is None or not roles.can_view(user, reg):
        return _deny("Not authorized to see this registration")
    return {"success": True}


def registration_list(context: Context, data_dict: dict[str, Any]) -> Result:
    if _user(context) is None:
        return _deny("Sign in to see registrations")
    return {"success": True}


def sla_report(context: Context, data_dict: dict[str, Any]) -> Result:
    if not roles.is_walidata(_user(context)):
        return _deny("Only the walidata may see the compliance report")
    return {"success": True}


def registration_export(context: Context, data_dict: dict[str, Any]) -> Result:
    """Exports hold everyone's personal data: the walidata only."""
    if not roles.is_walidata(_user(context)):
        return _deny("Only the walidata may export registrations")
    return {"success": True}


def registration_review_queue(context: Context, data_dict: dict[str, Any]) -> Result:
    """The admin-area queue: the walidata, and IPPD admins for their LID registrations."""
    user = _user(context)
    if user is None or not (roles.is_walidata(user) or roles.administered_domains(user)):
        return _deny("Only reviewers may open the registration queue")
    return {"success": True}


def auth_functions() -> dict[str, Any]:
    return {
        "splpdepok_registration_create": registration_create,
        "splpdepok_registration_update": registration_update,
        "splpdepok_registration_submit": registration_submit,
        "splpdepok_registration_approve": registration_approve,
        "splpdepok_registration_return": registration_return,
        "splpdepok_registration_reject": registration_reject,
        "splpdepok_registration_show": registration_show,
        "splpdepok_registration_plan": registration_plan,
        "splpdepok_registration_list": registration_list,
        "splpdepok_registration_review_queue": registration_review_queue,
        "splpdepok_sla_report": sla_report,
        "splpdepok_registration_export": registration_export,
    }
