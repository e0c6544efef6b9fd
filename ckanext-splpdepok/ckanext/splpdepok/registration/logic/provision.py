"""What an approval does (SOP steps 4, 6, 10): users, organizations, memberships, the IPPD record.

:func:`plan` says it before anything happens: which user is created or linked, which
organization is created or linked, which role is granted, or why approval cannot go ahead. The
review page shows that plan and posts its fingerprint with the confirmation; :func:`provision`
recomputes the plan under the registration's row lock and carries out exactly that plan (the
action refuses with 409 when the fingerprint changed).

Rules: an IPPD registration names an organization of the portal or the title of a new one;
admin and LID registrations are bound to their IPPD's organization; nothing is ever granted in
the walidata organization; organizations are never matched by title. Everything runs in the
approving action's transaction (``defer_commit``), and every step is get-or-create.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import mailer
from ckan.lib.munge import munge_title_to_name
from ckan.logic.schema import create_user_for_user_invite_schema
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.common.context import site_context
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.common.roles import walidata_org
from ckanext.splpdepok.registration.model import Ippd, Registration

ROLE_RANK = {"member": 1, "editor": 2, "admin": 3}
CREATE, LINK, REACTIVATE, GRANT, KEEP = "create", "link", "reactivate", "grant", "keep"


@dataclass
class Plan:
    """What approving will do; ``blocked`` lists English msgids of reasons it cannot."""

    user_action: str = ""  # create | link | reactivate
    user_name: str = ""  # the account created or linked (reviewers only)
    user_id: str = ""
    linked_by: str = ""  # "username" | "email" (link / reactivate)
    organization_action: str = ""  # create | link
    organization_name: str = ""
    organization_title: str = ""
    organization_id: str = ""
    role: str = ""
    role_action: str = ""  # grant | keep (an equal or higher role is kept, never downgraded)
    blocked: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]

    def dictize(self) -> dict[str, Any]:
        return dict(asdict(self), blocked=[tk._(b) for b in self.blocked],
                    fingerprint=self.fingerprint)


@dataclass
class Outcome:
    user: model.User
    user_created: bool
    organization: model.Group
    organization_created: bool
    role: str
    ippd: Ippd | None
    notes: list[str] = field(default_factory=list)

    def as_event_data(self) -> dict[str, Any]:
        return {
            "user": self.user.name,
            "user_created": self.user_created,
            "organization": self.organization.name,
            "organization_created": self.organization_created,
            "role": self.role,
            "ippd_id": self.ippd.id if self.ippd else None,
            "tenant_domain": self.ippd.tenant_domain if self.ippd else None,
            "notes": self.notes,
        }


def _accounts_by_email(email: str) -> list[model.User]:
    return (model.Session.query(model.User)
            .filter(sa.func.lower(model.User.email) == email.strip().lower(),
                    model.User.state != model.State.DELETED)
            .order_by(model.User.created).all())


def _plan_user(reg: Registration, plan: Plan) -> None:
    by_name = model.Session.query(model.User).filter(model.User.name == reg.username).first()
    by_email = _accounts_by_email(reg.email)
    if by_name is not None:
        if (by_name.email or "").strip().lower() != reg.email.strip().lower():
            plan.blocked.append("The user name belongs to an account with another e-mail "
                                "address: return the application for a different user name")
        elif by_email and any(u.id != by_name.id for u in by_email):
            plan.blocked.append("Several accounts use this e-mail address")
        action = REACTIVATE if by_name.state == model.State.DELETED else LINK
        plan.user_action, plan.user_name, plan.user_id = action, by_name.name, by_name.id
        plan.linked_by = "username"
    elif len(by_email) == 1:
        plan.user_action, plan.user_name, plan.user_id = LINK, by_email[0].name, by_email[0].id
        plan.linked_by = "email"
    elif by_email:
        plan.blocked.append("Several accounts use this e-mail address")
    else:
        plan.user_action, plan.user_name = CREATE, reg.username


def _free_name(title: str) -> str:
    """A URL name for a new organization that no group or organization holds yet."""
    base = munge_title_to_name(title)[:90].strip("-") or "opd"
    name, n = base, 1
    while model.Session.query(model.Group).filter(model.Group.name == name).count():
        n += 1
        name = f"{base}-{n}"
    return name


def _plan_organization(reg: Registration, plan: Plan) -> None:
    walidata = walidata_org()
    if reg.kind in ("ippd_admin", "lid"):
        ippd = Ippd.by_domain(reg.ippd_domain)
        org = model.Group.get(ippd.organization_id) if ippd else None
        if org is None or not org.is_organization or org.state != "active":
            plan.blocked.append("The IPPD's organization no longer exists")
            return
    elif reg.requested_organization_id:
        org = model.Group.get(reg.requested_organization_id)
        if org is None or not org.is_organization or org.state != "active":
            plan.blocked.append("The organization named by the application no longer exists")
            return
    elif reg.new_organization_title:
        title = reg.new_organization_title
        plan.organization_action, plan.organization_title = CREATE, title
        plan.organization_name = _free_name(title)
        if walidata is not None and (walidata.title or "").strip().lower() == title.lower():
            plan.blocked.append("Approval never grants a role in the walidata organization")
        return
    else:
        plan.blocked.append("The application names no organization")
        return
    plan.organization_action, plan.organization_id = LINK, org.id
    plan.organization_name, plan.organization_title = org.name, org.title or org.name
    if walidata is not None and org.id == walidata.id:
        plan.blocked.append("Approval never grants a role in the walidata organization")


def _plan_role(reg: Registration, plan: Plan) -> None:
    plan.role = "editor" if reg.kind == "lid" else "admin"
    plan.role_action = GRANT
    if plan.user_id and plan.organization_id:
        held = _membership(plan.organization_id, plan.user_id)
        if held is not None and ROLE_RANK.get(held.capacity, 0) >= ROLE_RANK[plan.role]:
            plan.role, plan.role_action = held.capacity, KEEP


def plan(reg: Registration) -> Plan:
    """What approving ``reg`` now would do (no writes)."""
    result = Plan()
    _plan_user(reg, result)
    _plan_organization(reg, result)
    _plan_role(reg, result)
    return result


def _membership(org_id: str, user_id: str) -> model.Member | None:
    return (model.Session.query(model.Member)
            .filter(model.Member.group_id == org_id, model.Member.table_name == "user",
                    model.Member.table_id == user_id, model.Member.state == "active").first())


def _user(reg: Registration, chosen: Plan) -> tuple[model.User, bool]:
    """The planned account; a new or reactivated user is pending until it follows the
    invitation link (CKAN's own reset-key flow)."""
    if chosen.user_action in (LINK, REACTIVATE):
        user = model.User.get(chosen.user_id)
        assert user is not None  # the plan was made under the same lock
        if user.state == model.State.DELETED:
            user.state = model.State.PENDING
            user.reset_key = mailer.make_key()
            return user, True
        return user, False
    data = {"name": reg.username, "email": reg.email, "fullname": reg.full_name,
            "password": secrets.token_urlsafe(24), "state": model.State.PENDING}
    ctx = site_context(defer_commit=True, schema=create_user_for_user_invite_schema())
    created = tk.get_action("user_create")(ctx, data)
    user = model.User.get(created["id"])
    assert user is not None
    user.reset_key = mailer.make_key()
    return user, True


def _organization(chosen: Plan) -> tuple[model.Group, bool]:
    if chosen.organization_action == LINK:
        org = model.Group.get(chosen.organization_id)
        assert org is not None
        return org, False
    # the full dict, not ``return_id_only``: the activity plugin's subscriber reads result["id"]
    created = tk.get_action("organization_create")(
        site_context(defer_commit=True), {"name": chosen.organization_name,
                              "title": chosen.organization_title})
    org = model.Group.get(created["id"])
    assert org is not None
    return org, True


def _grant(org: model.Group, user: model.User, chosen: Plan) -> str:
    if chosen.role_action == KEEP:
        return chosen.role
    tk.get_action("member_create")(
        site_context(defer_commit=True),
        {"id": org.id, "object": user.id, "object_type": "user", "capacity": chosen.role})
    return chosen.role


def provision(reg: Registration, chosen: Plan) -> Outcome:
    """Carries out ``chosen`` (made under the row lock, not blocked)."""
    if chosen.blocked:
        raise ValueError("a blocked plan cannot be carried out")
    now = clock.now()
    user, user_created = _user(reg, chosen)
    org, org_created = _organization(chosen)
    walidata = walidata_org()
    if walidata is not None and org.id == walidata.id:  # the plan refuses it; never here either
        raise ValueError("approval never grants a role in the walidata organization")
    role = _grant(org, user, chosen)
    ippd = Ippd.by_domain(reg.ippd_domain, for_update=True)
    if reg.kind == "ippd" and ippd is None:
        ippd = Ippd(id=new_id(), domain=reg.ippd_domain, name=reg.ippd_name,
                    organization_id=org.id, registration_id=reg.id, created=now, modified=now)
        model.Session.add(ippd)
    elif reg.kind == "ippd_admin" and ippd is not None:
        ippd.admin_user_id = user.id
        ippd.admin_registration_id = reg.id
        ippd.tenant_domain = reg.ippd_domain
        ippd.modified = now
    reg.user_id, reg.organization_id = user.id, org.id
    reg.ippd_id = ippd.id if ippd else None
    model.Session.flush()
    notes = [f"user linked by {chosen.linked_by}"] if chosen.linked_by else []
    return Outcome(user, user_created, org, org_created, role, ippd, notes)


def invite_link(user: model.User) -> str:
    """CKAN's own invitation link (the reset-key page activates a pending user)."""
    site = tk.config.get("ckan.site_url", "").rstrip("/")
    return f"{site}/user/reset/{user.id}?key={user.reset_key}"
