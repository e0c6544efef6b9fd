"""Who may see and review which registration: the walidata, the IPPD admin (LID, SOP step 9)."""
from __future__ import annotations

from ckan import model
from ckanext.splpdepok import config
from ckanext.splpdepok.registration.model import Ippd, Registration


def user_obj(name_or_id: str | None) -> model.User | None:
    if not name_or_id:
        return None
    user = model.User.get(name_or_id)
    return user if user is not None and user.state == model.State.ACTIVE else None


def walidata_org() -> model.Group | None:
    org = model.Group.get(config.walidata_organization())
    return org if org is not None and org.is_organization and org.state == "active" else None


def is_walidata(user: model.User | None) -> bool:
    """Sysadmins and the admins of the configured walidata organization."""
    if user is None:
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


def ippd_of(registration: Registration) -> Ippd | None:
    return Ippd.by_domain(registration.ippd_domain)


def is_ippd_admin_for(user: model.User | None, registration: Registration) -> bool:
    if user is None or registration.kind != "lid":
        return False
    ippd = ippd_of(registration)
    return bool(ippd and ippd.admin_user_id == user.id)


def can_review(user: model.User | None, registration: Registration) -> bool:
    return is_walidata(user) or is_ippd_admin_for(user, registration)


def can_view(user: model.User | None, registration: Registration) -> bool:
    if user is None:
        return False
    return registration.creator_user_id == user.id or can_review(user, registration)


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
    users = walidata_users()
    if registration.kind == "lid":
        ippd = ippd_of(registration)
        admin = user_obj(ippd.admin_user_id) if ippd and ippd.admin_user_id else None
        if admin is not None and all(u.id != admin.id for u in users):
            users.append(admin)
    return users


def config_site_user() -> str:
    from ckan.common import config as ckan_config

    return ckan_config.get("ckan.site_id") or ""
