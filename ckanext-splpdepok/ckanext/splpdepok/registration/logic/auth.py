"""Auth functions of the registration actions (sysadmins pass through CKAN's own bypass)."""
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


def _applicant_only(context: Context, data_dict: dict[str, Any]) -> Result:
    user, reg = _user(context), _registration(data_dict)
    if user is None or reg is None or reg.creator_user_id != user.id:
        return _deny("Only the applicant may change or submit this registration")
    return {"success": True}


registration_update = _applicant_only
registration_submit = _applicant_only


def _reviewer_only(context: Context, data_dict: dict[str, Any]) -> Result:
    user, reg = _user(context), _registration(data_dict)
    if reg is None or not roles.can_review(user, reg):
        return _deny("Only the walidata (or, for LID operators, the IPPD admin) may review")
    return {"success": True}


registration_approve = _reviewer_only
registration_return = _reviewer_only
registration_reject = _reviewer_only


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
        "splpdepok_registration_list": registration_list,
        "splpdepok_registration_review_queue": registration_review_queue,
        "splpdepok_sla_report": sla_report,
        "splpdepok_registration_export": registration_export,
    }
