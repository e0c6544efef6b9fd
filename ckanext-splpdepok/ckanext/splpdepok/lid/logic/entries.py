"""The rules of Katalog LID entries the actions apply: which IPPD a new entry belongs to, unique
contexts, readiness for SPLP, which datasets an entry may serve, and what a caller may see."""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, ErrorDict
from ckanext.splpdepok.common.roles import is_walidata
from ckanext.splpdepok.common.text import LIKE_ESCAPE, like_contains
from ckanext.splpdepok.lid.logic import auth
from ckanext.splpdepok.lid.model import DRAFT, Lid, LidDataset, lid_table
from ckanext.splpdepok.lid.splp.mapping import LidMappingError, map_lid
from ckanext.splpdepok.registration.model import Ippd
from sqlalchemy.exc import IntegrityError

EDITABLE = ("name", "description", "endpoint_url", "attributes", "output_format",
            "classification", "context", "version")


def get(id_: str, *, for_update: bool = False) -> Lid:
    lid = Lid.get(id_, for_update=for_update)
    if lid is None:
        raise tk.ObjectNotFound(tk._("LID not found"))
    return lid


def lid_dict(lid: Lid, context: Context | None = None) -> dict[str, Any]:
    """The entry, with only the linked datasets the caller may see (links made before the
    link rules existed may point to private datasets of any organization)."""
    data = lid.dictize()
    data["datasets"] = [p.id for p in (auth.visible_package(i, context)
                                       for i in data["datasets"]) if p is not None]
    org = model.Group.get(lid.organization_id) if lid.organization_id else None
    data["organization"] = ({"id": org.id, "name": org.name, "title": org.title}
                            if org is not None else None)
    return data


def ready_errors(lid: Lid) -> dict[str, list[str]]:
    try:
        map_lid(lid.as_splp_entry())
    except LidMappingError as error:
        return {"ready": error.problems}
    return {}


def _context_taken(lid: Lid) -> tk.ValidationError:
    return tk.ValidationError({"context": [tk._(
        "This context is already used in the tenant %(tenant)s by another LID; choose "
        "another one") % {"tenant": lid.tenant_domain}]})


def check_unique(lid: Lid) -> None:
    other = Lid.by_context(lid.tenant_domain, lid.context)
    if other is not None and other.id != lid.id:
        raise _context_taken(lid)


def flush(lid: Lid) -> None:
    """Write the entry; a context taken meanwhile (the unique index) is a validation error."""
    try:
        model.Session.flush()
    except IntegrityError:
        model.Session.rollback()
        raise _context_taken(lid) from None


def _link_problem(lid: Lid, package: model.Package, context: Context) -> str | None:
    if auth.visible_package(package.id, context) is None:
        if (package.private and lid.classification == "terbuka") or (
                package.owner_org != lid.organization_id):
            return tk._("A linked dataset you may not see cannot be served by this LID; ask "
                        "its organization to remove the link")
        return None
    if not lid.organization_id or package.owner_org != lid.organization_id:
        return tk._("%(name)s belongs to another organization: an LID serves datasets of its "
                    "own organization only") % {"name": package.name}
    if package.private and lid.classification == "terbuka":
        return tk._("%(name)s is private: a public (terbuka) LID serves public datasets only"
                    ) % {"name": package.name}
    return None


def check_links(lid: Lid, package_ids: list[str], context: Context) -> None:
    """An LID serves datasets of its own organization only, and a public (``terbuka``) LID
    public datasets only. Datasets the caller may not see are not named."""
    packages = [p for p in (model.Package.get(i) for i in package_ids) if p is not None]
    problems = [m for m in (_link_problem(lid, p, context) for p in packages) if m]
    if problems:
        model.Session.rollback()
        raise tk.ValidationError(cast(ErrorDict, {"datasets": problems}))


def domain_for(user: model.User, requested: str | None) -> tuple[str, str | None]:
    """(IPPD domain, organization id) of a new entry; the caller must act for that IPPD."""
    registration = auth.operator_registration(user, requested or None)
    if registration is not None:
        return registration.ippd_domain, registration.organization_id
    domains = auth.managed_domains(user)
    domain = requested or (domains[0] if len(domains) == 1 else "")
    if not domain or domain not in domains:
        raise tk.ValidationError({"ippd_domain": [tk._(
            "Choose the IPPD domain you are an LID operator or admin of")]})
    ippd = Ippd.by_domain(domain)
    return domain, ippd.organization_id if ippd else None


def tenant_of(domain: str) -> str:
    ippd = Ippd.by_domain(domain)
    return ippd.tenant_domain if ippd and ippd.tenant_domain else domain


# -- the list ----------------------------------------------------------------------------------


def _visible(query: Any, user: model.User | None, mine: bool) -> Any:
    """What ``user`` may see (``auth.can_view``, as a filter)."""
    if user is not None and mine:
        return query.filter(Lid.owner_user_id == user.id)
    if user is None:
        return query.filter(Lid.status != DRAFT, Lid.classification == "terbuka")
    if is_walidata(user):
        return query
    managed = auth.managed_domains(user)
    return query.filter(sa.or_(Lid.status != DRAFT, Lid.owner_user_id == user.id,
                               lid_table.c.ippd_domain.in_(managed)))


def search(data: dict[str, Any], user: model.User | None, context: Context) -> Any:
    """The query of the entries matching the list filters that ``user`` may see."""
    query = _visible(model.Session.query(Lid), user, bool(data.get("mine")))
    if data.get("q"):
        pattern = like_contains(data["q"])
        query = query.filter(sa.or_(lid_table.c.name.ilike(pattern, escape=LIKE_ESCAPE),
                                    lid_table.c.description.ilike(pattern, escape=LIKE_ESCAPE),
                                    lid_table.c.context.ilike(pattern, escape=LIKE_ESCAPE)))
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        query = query.filter(Lid.organization_id == (org.id if org else data["organization"]))
    for key in ("classification", "output_format", "status", "ippd_domain"):
        if data.get(key):
            query = query.filter(getattr(Lid, key) == data[key])
    if data.get("dataset"):
        # a dataset the caller may not see matches nothing, as one that does not exist
        package = auth.visible_package(data["dataset"], context)
        query = query.join(LidDataset, LidDataset.lid_id == Lid.id).filter(
            LidDataset.package_id == (package.id if package else None))
    return query


def _facet(query: Any, column: Any) -> dict[str, int]:
    rows = query.with_entities(column, sa.func.count(Lid.id)).group_by(column).all()
    return {str(value): count for value, count in rows if value}


def facets(query: Any) -> dict[str, Any]:
    """Counts per OPD (with names and titles), classification, format and status."""
    organizations = _facet(query, Lid.organization_id)
    titles = {g.id: (g.name, g.title) for g in model.Session.query(model.Group)
              .filter(model.Group.id.in_(list(organizations)))}
    return {
        "organization": [{"name": titles.get(k, (k, k))[0], "title": titles.get(k, (k, k))[1],
                          "count": v} for k, v in sorted(organizations.items())],
        "classification": _facet(query, Lid.classification),
        "output_format": _facet(query, Lid.output_format),
        "status": _facet(query, Lid.status),
    }
