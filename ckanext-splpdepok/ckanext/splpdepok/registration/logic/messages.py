"""Which notifications each registration transition sends, and to whom (SOP steps 2-10)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok.notify.logic.mail import Message, Recipient, gettext, render
from ckanext.splpdepok.registration.helpers import KIND_LABELS
from ckanext.splpdepok.registration.logic.auth import reviewers_for
from ckanext.splpdepok.registration.logic.provision import Outcome, invite_link
from ckanext.splpdepok.registration.model import Registration


def _site() -> str:
    return tk.config.get("ckan.site_url", "").rstrip("/")


def _common(reg: Registration) -> dict[str, Any]:
    return {"kind": reg.kind, "kind_label": gettext(KIND_LABELS[reg.kind]),
            "domain": reg.ippd_domain, "ippd_name": reg.ippd_name,
            "opd": reg.organization_title(), "username": reg.username,
            "site_title": tk.config.get("ckan.site_title", "Satu Data Kota Depok")}


def _recipient(user: model.User | None) -> Recipient | None:
    if user is None:
        return None
    return Recipient(user.fullname or user.name, user.email or "", user.id)


def applicant(reg: Registration) -> Recipient | None:
    return _recipient(model.User.get(reg.creator_user_id))


def on_submit(reg: Registration) -> list[Message]:
    link = f"{_site()}/ckan-admin/pendaftaran/{reg.id}"
    out = []
    for user in reviewers_for(reg):
        recipient = _recipient(user)
        if recipient is not None:
            out.append(render("registration_submitted", recipient, link=link, **_common(reg)))
    return out


def on_decision(reg: Registration, name: str, note: str) -> list[Message]:
    """Return, rejection or approval: the applicant hears of it."""
    recipient = applicant(reg)
    if recipient is None:
        return []
    link = f"{_site()}/pendaftaran/{reg.id}"
    template = {"return": "registration_returned", "reject": "registration_rejected",
                "approve": "registration_approved"}[name]
    return [render(template, recipient, link=link, note=note, **_common(reg))]


def on_account(reg: Registration, outcome: Outcome) -> list[Message]:
    """The new account holder: an invitation (pending user) or news of the new role."""
    user = outcome.user
    recipient = Recipient(user.fullname or reg.full_name, user.email or reg.email, user.id)
    variables = dict(_common(reg), organization=outcome.organization.title or
                     outcome.organization.name, role=outcome.role)
    if outcome.user_created or user.state == model.State.PENDING:
        return [render("account_invite", recipient, link=invite_link(user), **variables)]
    return [render("account_role", recipient, link=f"{_site()}/dashboard/", **variables)]
