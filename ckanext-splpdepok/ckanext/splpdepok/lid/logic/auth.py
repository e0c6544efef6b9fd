"""Who may do what with LID entries and connection plans: the auth functions and the role
predicates they (and only they, with the list filters that mirror them) decide with.

- an approved LID operator (approved ``lid`` registration) owns the entries they create;
- the IPPD admin (``Ippd.admin_user_id``) manages every entry and the plan of their IPPD;
- the walidata (``common.roles.is_walidata``) manages everything.

Sysadmins pass through CKAN's own bypass.
"""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.common.roles import is_walidata, user_obj
from ckanext.splpdepok.lid.model import DRAFT, Lid, Plan
from ckanext.splpdepok.lid.workflow import ADVANCE, MACHINE
from ckanext.splpdepok.registration.model import Ippd, Registration, registrations_table
from ckanext.splpdepok.security.logic.validators import bad_text
from ckanext.splpdepok.sop.steps import IPPD_ADMIN, LID_OPERATOR, REVIEWER, SPLP

Result = dict[str, Any]

# -- role predicates ---------------------------------------------------------------------------


def operator_registration(user: model.User | None,
                          ippd_domain: str | None = None) -> Registration | None:
    """The user's approved LID operator registration (for ``ippd_domain`` when given)."""
    if user is None:
        return None
    query = model.Session.query(Registration).filter(
        Registration.kind == "lid", Registration.status == "approved",
        Registration.user_id == user.id)
    if ippd_domain:
        query = query.filter(Registration.ippd_domain == ippd_domain)
    return query.order_by(registrations_table.c.decided.desc()).first()


def is_operator(user: model.User | None, ippd_domain: str | None = None) -> bool:
    return operator_registration(user, ippd_domain) is not None


def is_ippd_admin(user: model.User | None, ippd_domain: str) -> bool:
    if user is None:
        return False
    ippd = Ippd.by_domain(ippd_domain)
    return bool(ippd and ippd.admin_user_id == user.id)


def can_manage_ippd(user: model.User | None, ippd_domain: str) -> bool:
    """IPPD admin of this domain, or the walidata (plan steps 12-16, every entry)."""
    return is_walidata(user) or is_ippd_admin(user, ippd_domain)


def can_edit(user: model.User | None, lid: Lid) -> bool:
    if user is None:
        return False
    return lid.owner_user_id == user.id or can_manage_ippd(user, lid.ippd_domain)


def can_view(user: model.User | None, lid: Lid) -> bool:
    """Drafts: owner and managers. ``terbatas``: signed-in users. ``terbuka``: everyone."""
    if lid.status == DRAFT:
        return can_edit(user, lid)
    if lid.classification == "terbatas":
        return user is not None
    return True


def can_prepare_plan(user: model.User | None, ippd_domain: str) -> bool:
    """SOP step 11: the LID operators of the IPPD, its admin, the walidata."""
    return is_operator(user, ippd_domain) or can_manage_ippd(user, ippd_domain)


def holds(user: model.User | None, role: str, ippd_domain: str) -> bool:
    """Whether ``user`` acts in ``role`` (a ``sop.steps`` key) for the plan of ``ippd_domain``.
    SPLP's own steps (13, 14, 16) are recorded by the walidata or the IPPD admin."""
    if role == LID_OPERATOR:
        return can_prepare_plan(user, ippd_domain)
    if role in (IPPD_ADMIN, SPLP, REVIEWER):
        return can_manage_ippd(user, ippd_domain)
    return False


def may_perform(user: model.User | None, ippd_domain: str, *names: str) -> bool:
    """Whether ``user`` may carry out one of the plan transitions ``names``: the performers the
    transition table (``lid.workflow.MACHINE``) names for it."""
    return any(holds(user, role, ippd_domain)
               for name in names for role in MACHINE.performers(name))


def managed_domains(user: model.User) -> list[str]:
    """IPPD domains whose plan and entries ``user`` manages (all of them for the walidata)."""
    query = model.Session.query(Ippd.domain)
    if not is_walidata(user):
        query = query.filter(Ippd.admin_user_id == user.id)
    return [d for (d,) in query.order_by(Ippd.domain)]


def visible_package(ref: Any, context: Context | None) -> model.Package | None:
    """The active dataset ``ref`` names, if the caller may see it (a private dataset the caller
    may not read is answered exactly like one that does not exist)."""
    if not isinstance(ref, str) or not ref or len(ref) > 200 or bad_text(ref):
        return None
    package = model.Package.get(ref)
    if package is None or package.state != "active":
        return None
    if package.private:
        try:
            tk.check_access("package_show", cast(Context, {
                "user": (context or {}).get("user") or "",
                "ignore_auth": bool((context or {}).get("ignore_auth"))}), {"id": package.id})
        except tk.NotAuthorized:
            return None
    return package


# -- auth functions ----------------------------------------------------------------------------


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User) and user.state == model.State.ACTIVE:
        return user
    return user_obj(context.get("user"))


def _id(data_dict: dict[str, Any]) -> str | None:
    id_ = data_dict.get("id") if isinstance(data_dict, dict) else None
    return id_ if isinstance(id_, str) and id_ else None


def _lid(data_dict: dict[str, Any]) -> Lid | None:
    id_ = _id(data_dict)
    return Lid.get(id_) if id_ else None


def _plan(data_dict: dict[str, Any]) -> Plan | None:
    id_ = _id(data_dict)
    return Plan.get(id_) if id_ else None


def _deny(msg: str) -> Result:
    return {"success": False, "msg": tk._(msg)}


def lid_create(context: Context, data_dict: dict[str, Any]) -> Result:
    user = _user(context)
    if not (is_operator(user) or (user and managed_domains(user))):
        return _deny("Only approved LID operators, IPPD admins and the walidata may add LIDs")
    return {"success": True}


def lid_edit(context: Context, data_dict: dict[str, Any]) -> Result:
    lid = _lid(data_dict)
    if lid is None or not can_edit(_user(context), lid):
        return _deny("Only the LID's operator, its IPPD admin and the walidata may change it")
    return {"success": True}


@tk.auth_allow_anonymous_access
def lid_show(context: Context, data_dict: dict[str, Any]) -> Result:
    lid = _lid(data_dict)
    if lid is None or not can_view(_user(context), lid):
        return _deny("Not authorized to see this LID (restricted entries need signing in)")
    return {"success": True}


@tk.auth_allow_anonymous_access
def lid_list(context: Context, data_dict: dict[str, Any]) -> Result:
    """Public: the action itself filters what each caller may see (with these predicates)."""
    return {"success": True}


def plan_create(context: Context, data_dict: dict[str, Any]) -> Result:
    domain = data_dict.get("ippd_domain") if isinstance(data_dict, dict) else None
    user = _user(context)
    if user is None:
        return _deny("Sign in first")
    if domain and not may_perform(user, str(domain), "create"):
        return _deny("Only the IPPD's LID operators, its admin and the walidata may plan")
    if not domain and not (is_operator(user) or managed_domains(user)):
        return _deny("Only the IPPD's LID operators, its admin and the walidata may plan")
    return {"success": True}


def plan_show(context: Context, data_dict: dict[str, Any]) -> Result:
    plan = _plan(data_dict)
    if plan is None or not can_prepare_plan(_user(context), plan.ippd_domain):
        return _deny("Not authorized to see this connection plan")
    return {"success": True}


def plan_update(context: Context, data_dict: dict[str, Any]) -> Result:
    """Step 11 again (editing the draft plan)."""
    plan = _plan(data_dict)
    if plan is None or not may_perform(_user(context), plan.ippd_domain, "update"):
        return _deny("Not authorized to see this connection plan")
    return {"success": True}


def _plan_step(context: Context, data_dict: dict[str, Any], names: tuple[str, ...]) -> Result:
    plan = _plan(data_dict)
    if plan is None or not may_perform(_user(context), plan.ippd_domain, *names):
        return _deny("Only the IPPD admin and the walidata may carry out this step")
    return {"success": True}


def plan_advance(context: Context, data_dict: dict[str, Any]) -> Result:
    """Steps 12-14 (send, guide received, instruction); ``transition`` names one of them."""
    name = data_dict.get("transition") if isinstance(data_dict, dict) else None
    return _plan_step(context, data_dict, (name,) if name in ADVANCE else ADVANCE)


def lid_sync(context: Context, data_dict: dict[str, Any]) -> Result:
    """Step 15 (publication to SPLP, dry runs included)."""
    return _plan_step(context, data_dict, ("sync",))


def lid_check(context: Context, data_dict: dict[str, Any]) -> Result:
    """Step 16 (the connection check) and the report of its outcomes."""
    return _plan_step(context, data_dict, ("check_pass", "check_fail"))


def plan_package(context: Context, data_dict: dict[str, Any]) -> Result:
    """The publication package: for those who may publish it (step 15)."""
    return _plan_step(context, data_dict, ("sync", "publish_manual"))


def publish_manual(context: Context, data_dict: dict[str, Any]) -> Result:
    """Step 15 by hand: the performers the SOP table names for ``publish_manual``."""
    return _plan_step(context, data_dict, ("publish_manual",))


def check_manual(context: Context, data_dict: dict[str, Any]) -> Result:
    """Step 16 by hand: the performers of ``check_manual_pass`` / ``check_manual_fail``."""
    return _plan_step(context, data_dict, ("check_manual_pass", "check_manual_fail"))


def check_report(context: Context, data_dict: dict[str, Any]) -> Result:
    if _id(data_dict):
        return lid_check(context, data_dict)
    user = _user(context)
    if user is None or not managed_domains(user):
        return _deny("Only IPPD admins and the walidata may see connection reports")
    return {"success": True}

