"""What an approval does (SOP steps 4, 6, 10): users, organizations, memberships, the IPPD record.

Everything runs in the approving action's transaction (``defer_commit``) while it holds the
registration's row lock, and every step is get-or-create, so approving twice, or two reviewers
at once, never creates two of anything.
"""
from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer
from ckan.lib.munge import munge_title_to_name
from ckan.logic.schema import create_user_for_user_invite_schema
from ckan.types import Context
from ckanext.splpdepok.registration.model import Ippd, Registration

ROLE_RANK = {"member": 1, "editor": 2, "admin": 3}


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


def _context(site_user: str) -> Context:
    return {"user": site_user, "ignore_auth": True, "defer_commit": True,
            "model": model, "session": model.Session}


def ensure_user(reg: Registration, site_user: str, notes: list[str]) -> tuple[model.User, bool]:
    """The CKAN user named by the registration: linked when it exists, else created (pending).

    A new user is pending until they follow the invitation link (CKAN's own reset-key flow).
    """
    user = model.User.get(reg.username)
    if user is not None:
        if (user.email or "").lower() != reg.email.lower():
            notes.append("existing user linked by user name; email differs from the registration")
        if user.state == model.State.DELETED:
            user.state = model.State.PENDING
            user.reset_key = mailer.make_key()
            return user, True
        return user, False
    by_email = (model.Session.query(model.User)
                .filter(model.User.email.ilike(reg.email.replace("\\", "\\\\")
                                               .replace("%", "\\%").replace("_", "\\_")),
                        model.User.state != model.State.DELETED).all())
    if len(by_email) == 1:
        notes.append(f"existing user {by_email[0].name} linked by email")
        return by_email[0], False
    data = {"name": reg.username, "email": reg.email, "fullname": reg.full_name,
            "password": secrets.token_urlsafe(24), "state": model.State.PENDING}
    ctx: Context = {**_context(site_user), "schema": create_user_for_user_invite_schema()}
    created = tk.get_action("user_create")(ctx, data)
    user = model.User.get(created["id"])
    assert user is not None
    user.reset_key = mailer.make_key()
    return user, True


def ensure_organization(title: str, site_user: str) -> tuple[model.Group, bool]:
    """The organization of a work unit, found by name or title, else created."""
    name = munge_title_to_name(title)[:100].strip("-") or "opd"
    org = model.Group.get(name)
    if org is None:
        org = (model.Session.query(model.Group)
               .filter(model.Group.is_organization.is_(True),
                       model.Group.state == "active",
                       model.Group.title.ilike(title.replace("\\", "\\\\")
                                               .replace("%", "\\%").replace("_", "\\_")))
               .first())
    if org is not None and org.is_organization:
        if org.state != "active":
            org.state = "active"
        return org, False
    if org is not None:  # a group (not an organization) holds the name
        name = f"{name[:90]}-opd"
    org_id = tk.get_action("organization_create")(
        {**_context(site_user), "return_id_only": True}, {"name": name, "title": title})
    created = model.Group.get(org_id)
    assert created is not None
    return created, True


def ensure_membership(org: model.Group, user: model.User, role: str, site_user: str) -> str:
    """Gives ``role`` unless the user already holds an equal or higher one (never downgrades)."""
    member = (model.Session.query(model.Member)
              .filter(model.Member.group_id == org.id, model.Member.table_name == "user",
                      model.Member.table_id == user.id, model.Member.state == "active").first())
    if member is not None and ROLE_RANK.get(member.capacity, 0) >= ROLE_RANK[role]:
        return member.capacity
    tk.get_action("member_create")(
        _context(site_user),
        {"id": org.id, "object": user.id, "object_type": "user", "capacity": role})
    return role


def provision(reg: Registration, site_user: str) -> Outcome:
    notes: list[str] = []
    now = dt.datetime.utcnow()
    user, user_created = ensure_user(reg, site_user, notes)
    ippd = Ippd.by_domain(reg.ippd_domain, for_update=True)
    if reg.kind == "ippd_admin" and ippd is not None:
        org = model.Group.get(ippd.organization_id)
        org_created = False
        if org is None:
            org, org_created = ensure_organization(reg.work_unit, site_user)
            ippd.organization_id = org.id
    else:
        org, org_created = ensure_organization(reg.work_unit, site_user)
    role = ensure_membership(org, user, "editor" if reg.kind == "lid" else "admin", site_user)
    if reg.kind == "ippd" and ippd is None:
        ippd = Ippd(id=str(uuid.uuid4()), domain=reg.ippd_domain, name=reg.ippd_name,
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
    return Outcome(user, user_created, org, org_created, role, ippd, notes)


def invite_link(user: model.User) -> str:
    """CKAN's own invitation link (the reset-key page activates a pending user)."""
    site = tk.config.get("ckan.site_url", "").rstrip("/")
    return f"{site}/user/reset/{user.id}?key={user.reset_key}"
