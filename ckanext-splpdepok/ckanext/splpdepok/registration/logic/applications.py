"""What an application must satisfy before it is stored: the SOP's order of kinds and the
organization it names (chosen from the portal's list, never the walidata's; admin and LID
registrations bound to their IPPD's organization)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok.common.roles import walidata_org
from ckanext.splpdepok.registration.model import Ippd


def order_errors(kind: str, domain: str) -> dict[str, list[str]]:
    """The SOP's order of kinds: IPPD, then its admin, then LID operators."""
    ippd = Ippd.by_domain(domain) if domain else None
    if kind == "ippd" and ippd is not None:
        return {"ippd_domain": [tk._("An IPPD with this domain is already registered")]}
    if kind in ("ippd_admin", "lid") and ippd is None:
        return {"ippd_domain": [tk._(
            "No approved IPPD registration for this domain: the IPPD must be registered "
            "and approved first")]}
    if kind == "lid" and ippd is not None and not ippd.has_active_admin():
        return {"ippd_domain": [tk._(
            "This IPPD has no active admin yet: its admin registration must be approved and "
            "the admin account activated first")]}
    return {}


def field_errors(reg_kind: str, data: dict[str, Any]) -> dict[str, list[str]]:
    if reg_kind != "lid" and not data.get("ippd_name"):
        return {"ippd_name": [tk._("Missing value")]}
    return {}


def choosable_organization(name_or_id: str) -> model.Group | None:
    """An active organization of the portal an application may name (never the walidata's)."""
    org = model.Group.get(name_or_id)
    if org is None or not org.is_organization or org.state != "active":
        return None
    walidata = walidata_org()
    return None if walidata is not None and org.id == walidata.id else org


def _bound_to_ippd(domain: str, chosen: str,
                   new: str) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """Admin and LID registrations: their IPPD's organization, never one they name."""
    if chosen or new:
        return None, None, {"organization": [tk._(
            "This registration is bound to its IPPD's organization: leave the "
            "organization empty")]}
    ippd = Ippd.by_domain(domain) if domain else None
    return (ippd.organization_id if ippd else None), None, {}


def bind_organization(kind: str, domain: str,
                      data: dict[str, Any]) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """(requested organization id, new organization title, errors) of an application.

    An IPPD application names one organization of the portal or asks for a new one by name;
    admin and LID registrations are bound to their IPPD's organization.
    """
    chosen, new = data.get("organization") or "", data.get("new_organization") or ""
    if kind in ("ippd_admin", "lid"):
        return _bound_to_ippd(domain, chosen, new)
    if chosen and new:
        return None, None, {"organization": [tk._(
            "Choose an organization from the list or ask for a new one, not both")]}
    if not chosen and not new:
        return None, None, {"organization": [tk._(
            "Choose your organization from the list, or give the name of a new one")]}
    if new:
        return None, new, {}
    org = choosable_organization(chosen)
    if org is None:
        return None, None, {"organization": [tk._(
            "Not an organization you can choose: pick one from the list")]}
    return org.id, None, {}


def organization_options() -> list[model.Group]:
    """The organizations an IPPD application may choose (active ones, not the walidata's)."""
    walidata = walidata_org()
    query = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active")
    if walidata is not None:
        query = query.filter(model.Group.id != walidata.id)
    return query.order_by(model.Group.title, model.Group.name).all()
