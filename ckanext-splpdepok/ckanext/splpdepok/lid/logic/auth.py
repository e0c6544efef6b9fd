"""Auth functions of the LID catalog (sysadmins pass through CKAN's own bypass)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.lid import access
from ckanext.splpdepok.lid.model import Lid
from ckanext.splpdepok.lid.plan_model import Plan

Result = dict[str, Any]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User) and user.state == model.State.ACTIVE:
        return user
    return access.user_obj(context.get("user"))


def _lid(data_dict: dict[str, Any]) -> Lid | None:
    id_ = data_dict.get("id") if isinstance(data_dict, dict) else None
    return Lid.get(id_) if isinstance(id_, str) and id_ else None


def _plan(data_dict: dict[str, Any]) -> Plan | None:
    id_ = data_dict.get("id") if isinstance(data_dict, dict) else None
    return Plan.get(id_) if isinstance(id_, str) and id_ else None


def _deny(msg: str) -> Result:
    return {"success": False, "msg": tk._(msg)}


def lid_create(context: Context, data_dict: dict[str, Any]) -> Result:
    user = _user(context)
    if not (access.is_operator(user) or (user and access.managed_domains(user))):
        return _deny("Only approved LID operators, IPPD admins and the walidata may add LIDs")
    return {"success": True}


def lid_edit(context: Context, data_dict: dict[str, Any]) -> Result:
    lid = _lid(data_dict)
    if lid is None or not access.can_edit(_user(context), lid):
        return _deny("Only the LID's operator, its IPPD admin and the walidata may change it")
    return {"success": True}


@tk.auth_allow_anonymous_access
def lid_show(context: Context, data_dict: dict[str, Any]) -> Result:
    lid = _lid(data_dict)
    if lid is None or not access.can_view(_user(context), lid):
        return _deny("Not authorized to see this LID (restricted entries need signing in)")
    return {"success": True}


@tk.auth_allow_anonymous_access
def lid_list(context: Context, data_dict: dict[str, Any]) -> Result:
    """Public: the action itself filters what each caller may see."""
    return {"success": True}


def plan_create(context: Context, data_dict: dict[str, Any]) -> Result:
    domain = data_dict.get("ippd_domain") if isinstance(data_dict, dict) else None
    user = _user(context)
    if user is None:
        return _deny("Sign in first")
    if domain and not access.can_prepare_plan(user, str(domain)):
        return _deny("Only the IPPD's LID operators, its admin and the walidata may plan")
    if not domain and not (access.is_operator(user) or access.managed_domains(user)):
        return _deny("Only the IPPD's LID operators, its admin and the walidata may plan")
    return {"success": True}


def plan_show(context: Context, data_dict: dict[str, Any]) -> Result:
    plan = _plan(data_dict)
    if plan is None or not access.can_prepare_plan(_user(context), plan.ippd_domain):
        return _deny("Not authorized to see this connection plan")
    return {"success": True}


def plan_update(context: Context, data_dict: dict[str, Any]) -> Result:
    return plan_show(context, data_dict)


def plan_manage(context: Context, data_dict: dict[str, Any]) -> Result:
    """Steps 12-16 (send, guide, instruction, sync, check): the IPPD admin or the walidata."""
    plan = _plan(data_dict)
    if plan is None or not access.can_manage_ippd(_user(context), plan.ippd_domain):
        return _deny("Only the IPPD admin and the walidata may carry out this step")
    return {"success": True}


def check_report(context: Context, data_dict: dict[str, Any]) -> Result:
    user = _user(context)
    plan_id = data_dict.get("id") if isinstance(data_dict, dict) else None
    if plan_id:
        return plan_manage(context, data_dict)
    if user is None or not access.managed_domains(user):
        return _deny("Only IPPD admins and the walidata may see connection reports")
    return {"success": True}


def auth_functions() -> dict[str, Any]:
    return {
        "splpdepok_lid_create": lid_create,
        "splpdepok_lid_update": lid_edit,
        "splpdepok_lid_delete": lid_edit,
        "splpdepok_lid_show": lid_show,
        "splpdepok_lid_list": lid_list,
        "splpdepok_lid_plan_create": plan_create,
        "splpdepok_lid_plan_update": plan_update,
        "splpdepok_lid_plan_show": plan_show,
        "splpdepok_lid_plan_advance": plan_manage,
        "splpdepok_lid_sync": plan_manage,
        "splpdepok_lid_check": plan_manage,
        "splpdepok_lid_check_report": check_report,
    }
