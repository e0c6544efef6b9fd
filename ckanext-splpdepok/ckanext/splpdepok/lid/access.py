"""Who may do what with LID entries and connection plans.

- an approved LID operator (approved ``lid`` registration) owns the entries they create;
- the IPPD admin (``Ippd.admin_user_id``) manages every entry and the plan of their IPPD;
- the walidata (sysadmins, admins of the walidata organization) manages everything.
"""
from __future__ import annotations

from ckan import model
from ckanext.splpdepok.lid.model import DRAFT, Lid
from ckanext.splpdepok.registration import roles
from ckanext.splpdepok.registration.model import Ippd, Registration, registrations_table


def user_obj(name_or_id: str | None) -> model.User | None:
    return roles.user_obj(name_or_id)


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


def is_walidata(user: model.User | None) -> bool:
    return roles.is_walidata(user)


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


def managed_domains(user: model.User) -> list[str]:
    """IPPD domains whose plan and entries ``user`` manages (all of them for the walidata)."""
    if is_walidata(user):
        return [d for (d,) in model.Session.query(Ippd.domain).order_by(Ippd.domain)]
    return roles.administered_domains(user)
