"""The walidata rule, once: who approves registrations and manages sync and SPLP publication."""
from __future__ import annotations

from ckan import model
from ckanext.splpdepok import config


def user_obj(name_or_id: str | None) -> model.User | None:
    """The active user of that name or id (deleted and pending accounts act as nobody)."""
    if not name_or_id:
        return None
    user = model.User.get(name_or_id)
    return user if user is not None and user.state == model.State.ACTIVE else None


def walidata_org() -> model.Group | None:
    org = model.Group.get(config.walidata_organization())
    return org if org is not None and org.is_organization and org.state == "active" else None


def is_walidata(user: model.User | str | None) -> bool:
    """Active sysadmins and active admins of the configured (active) walidata organization."""
    if isinstance(user, str):
        user = user_obj(user)
    if user is None or user.state != model.State.ACTIVE:
        return False
    if user.sysadmin:
        return True
    org = walidata_org()
    if org is None:
        return False
    return (model.Session.query(model.Member)
            .filter(model.Member.group_id == org.id, model.Member.table_name == "user",
                    model.Member.table_id == user.id, model.Member.capacity == "admin",
                    model.Member.state == "active").count() > 0)
