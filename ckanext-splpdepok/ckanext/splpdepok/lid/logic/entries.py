"""LID entry actions: create, update, show, list, delete."""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, ErrorDict
from ckanext.splpdepok.lid import access, schema
from ckanext.splpdepok.lid.model import (
    DRAFT,
    READY,
    SPLP_FIELDS,
    SYNCABLE,
    Lid,
    LidDataset,
    lid_table,
    make_id,
)
from ckanext.splpdepok.lid.plan_model import Plan
from ckanext.splpdepok.lid.splp.mapping import LidMappingError, map_lid
from ckanext.splpdepok.registration.model import Ippd
from sqlalchemy.exc import IntegrityError
from ckanext.splpdepok.common import clock

EDITABLE = ("name", "description", "endpoint_url", "attributes", "output_format",
            "classification", "context", "version")


def _actor(context: Context) -> model.User:
    user = context.get("auth_user_obj")
    if not isinstance(user, model.User):
        user = model.User.get(context.get("user"))
    if user is None:
        raise tk.NotAuthorized(tk._("Sign in first"))
    return user


def _commit(context: Context) -> None:
    if not context.get("defer_commit"):
        model.repo.commit()


def _get(id_: str, *, for_update: bool = False) -> Lid:
    lid = Lid.get(id_, for_update=for_update)
    if lid is None:
        raise tk.ObjectNotFound(tk._("LID not found"))
    return lid


def lid_dict(lid: Lid, context: Context | None = None) -> dict[str, Any]:
    """The entry, with only the linked datasets the caller may see (links made before the
    link rules existed may point to private datasets of any organization)."""
    data = lid.dictize()
    data["datasets"] = [p.id for p in (schema.visible_package(i, context)
                                       for i in data["datasets"]) if p is not None]
    org = model.Group.get(lid.organization_id) if lid.organization_id else None
    data["organization"] = ({"id": org.id, "name": org.name, "title": org.title}
                            if org is not None else None)
    return data


def _ready_errors(lid: Lid) -> dict[str, list[str]]:
    try:
        map_lid(lid.as_splp_entry())
    except LidMappingError as error:
        return {"ready": error.problems}
    return {}


def _unique(lid: Lid) -> None:
    other = Lid.by_context(lid.tenant_domain, lid.context)
    if other is not None and other.id != lid.id:
        raise tk.ValidationError({"context": [tk._(
            "This context is already used in the tenant %(tenant)s by another LID; choose "
            "another one") % {"tenant": lid.tenant_domain}]})


def _flush(lid: Lid) -> None:
    try:
        model.Session.flush()
    except IntegrityError:
        model.Session.rollback()
        raise tk.ValidationError({"context": [tk._(
            "This context is already used in the tenant %(tenant)s by another LID; choose "
            "another one") % {"tenant": lid.tenant_domain}]}) from None


def _check_links(lid: Lid, package_ids: list[str], context: Context) -> None:
    """An LID serves datasets of its own organization only, and a public (``terbuka``) LID
    public datasets only. Datasets the caller may not see are not named."""
    problems: list[str] = []
    for package_id in package_ids:
        package = model.Package.get(package_id)
        if package is None:
            continue
        if schema.visible_package(package_id, context) is None:
            if (package.private and lid.classification == "terbuka") or (
                    package.owner_org != lid.organization_id):
                problems.append(tk._("A linked dataset you may not see cannot be served by "
                                     "this LID; ask its organization to remove the link"))
            continue
        if not lid.organization_id or package.owner_org != lid.organization_id:
            problems.append(tk._(
                "%(name)s belongs to another organization: an LID serves datasets of its own "
                "organization only") % {"name": package.name})
        elif package.private and lid.classification == "terbuka":
            problems.append(tk._(
                "%(name)s is private: a public (terbuka) LID serves public datasets only")
                % {"name": package.name})
    if problems:
        model.Session.rollback()
        raise tk.ValidationError({"datasets": problems})


def _domain_for(user: model.User, requested: str | None) -> tuple[str, str | None]:
    """(IPPD domain, organization id) of a new entry; the caller must act for that IPPD."""
    registration = access.operator_registration(user, requested or None)
    if registration is not None:
        return registration.ippd_domain, registration.organization_id
    domains = access.managed_domains(user)
    domain = requested or (domains[0] if len(domains) == 1 else "")
    if not domain or domain not in domains:
        raise tk.ValidationError({"ippd_domain": [tk._(
            "Choose the IPPD domain you are an LID operator or admin of")]})
    ippd = Ippd.by_domain(domain)
    return domain, ippd.organization_id if ippd else None


@schema.validated(schema.create_schema)
def lid_create(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Add an entry to the Katalog LID (as a draft, or ``ready`` for SPLP).

    :param name, description, endpoint_url: the service
    :param attributes: list of {name, type, description}
    :param output_format: JSON, XML, CSV, ...
    :param classification: ``terbuka`` or ``terbatas``
    :param context, version: the API's path in the tenant (context unique in the tenant)
    :param datasets: optional list of dataset names or ids the LID serves
    :param ippd_domain: optional, for operators/admins of several IPPDs
    :param ready: optional boolean, mark it ready for synchronisation
    """
    tk.check_access("splpdepok_lid_create", context, data_dict)
    user = _actor(context)
    data = data_dict
    domain, org_id = _domain_for(user, data.get("ippd_domain"))
    ippd = Ippd.by_domain(domain)
    now = clock.now()
    lid = Lid(id=make_id(), ippd_domain=domain,
              tenant_domain=(ippd.tenant_domain if ippd and ippd.tenant_domain else domain),
              organization_id=org_id, owner_user_id=user.id, status=DRAFT, created=now,
              modified=now, description=data.get("description") or "",
              attributes=data.get("attributes") or [],
              **{f: data[f] for f in EDITABLE if f not in ("description", "attributes")})
    _unique(lid)
    _check_links(lid, data.get("datasets") or [], context)
    if data.get("ready"):
        errors = _ready_errors(lid)
        if errors:
            raise tk.ValidationError(cast(ErrorDict, errors))
        lid.status = READY
    model.Session.add(lid)
    _flush(lid)
    lid.set_datasets(data.get("datasets") or [])
    _commit(context)
    return lid_dict(lid, context)


@schema.validated(schema.update_schema)
def lid_update(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Change an entry; fields not given stay. A change to a field SPLP carries sends a synced
    entry back to ``ready`` (it must be synchronised again).

    :param id: the entry
    :param ready: optional boolean: true marks a draft ready, false takes a ready one back
    (other parameters as for create)
    """
    tk.check_access("splpdepok_lid_update", context, data_dict)
    data = data_dict
    lid = _get(data["id"], for_update=True)
    changed = [f for f in EDITABLE if f in data and data[f] != getattr(lid, f)]
    for field in changed:
        setattr(lid, field, data[field] if data[field] is not None else "")
    _unique(lid)
    if "ready" in data:
        if data["ready"] and lid.status == DRAFT:
            lid.status = READY
        elif not data["ready"] and lid.status == READY:
            lid.status = DRAFT
    if lid.status != DRAFT:
        errors = _ready_errors(lid)
        if errors:
            model.Session.rollback()
            raise tk.ValidationError(cast(ErrorDict, errors))
    if lid.status in SYNCABLE and lid.status != READY and set(changed) & set(SPLP_FIELDS):
        lid.status = READY
    if "datasets" in data:
        _check_links(lid, data["datasets"] or [], context)
        lid.set_datasets(data["datasets"] or [])
    elif "classification" in changed and lid.classification == "terbuka":
        _check_links(lid, lid.dataset_ids(), context)
    lid.modified = clock.now()
    _flush(lid)
    _commit(context)
    return lid_dict(lid, context)


@tk.side_effect_free
@tk.validate(schema.id_schema)
def lid_show(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """One entry (``terbatas`` ones only for signed-in users, drafts for their managers).

    :param id: the entry
    """
    _get(data_dict["id"])
    tk.check_access("splpdepok_lid_show", context, data_dict)
    return lid_dict(_get(data_dict["id"]), context)


@tk.validate(schema.id_schema)
def lid_delete(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Remove an entry (and its links and ledger row). An API already in SPLP stays there:
    the result names it so the IPPD can ask SPLP to retire it.

    :param id: the entry
    """
    tk.check_access("splpdepok_lid_delete", context, data_dict)
    lid = _get(data_dict["id"], for_update=True)
    ledger = lid.ledger()
    left = ledger.api_id if ledger else None
    for plan in model.Session.query(Plan).filter(Plan.ippd_domain == lid.ippd_domain):
        if lid.id in (plan.lid_ids or []):
            plan.lid_ids = [i for i in plan.lid_ids if i != lid.id]
    model.Session.delete(lid)
    _commit(context)
    return {"id": data_dict["id"], "deleted": True, "national_api_id": left}


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _visible(query: Any, user: model.User | None, mine: bool) -> Any:
    if user is not None and mine:
        return query.filter(Lid.owner_user_id == user.id)
    if user is None:
        return query.filter(Lid.status != DRAFT, Lid.classification == "terbuka")
    if access.is_walidata(user):
        return query
    managed = access.managed_domains(user)
    return query.filter(sa.or_(Lid.status != DRAFT, Lid.owner_user_id == user.id,
                               lid_table.c.ippd_domain.in_(managed)))


def _facet(query: Any, column: Any) -> dict[str, int]:
    rows = query.with_entities(column, sa.func.count(Lid.id)).group_by(column).all()
    return {str(value): count for value, count in rows if value}


@tk.side_effect_free
@tk.validate(schema.list_schema)
def lid_list(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Search the Katalog LID. Anonymous callers see open (``terbuka``) entries only.

    :param q: optional text (name, description, context)
    :param organization: optional OPD (organization name or id)
    :param classification, output_format, status, ippd_domain: optional filters
    :param dataset: optional dataset name or id the LIDs serve
    :param mine: optional boolean: the caller's own entries (drafts included)
    :param limit: optional (default 20, at most 100); ``offset`` optional
    :returns: ``count``, ``results`` and ``facets`` (counts per OPD, classification, format,
        status over the matching entries)
    """
    tk.check_access("splpdepok_lid_list", context, data_dict)
    data = data_dict
    user = access.user_obj(context.get("user"))
    query = _visible(model.Session.query(Lid), user, bool(data.get("mine")))
    if data.get("q"):
        pattern = _like(data["q"])
        query = query.filter(sa.or_(lid_table.c.name.ilike(pattern),
                                    lid_table.c.description.ilike(pattern),
                                    lid_table.c.context.ilike(pattern)))
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        query = query.filter(Lid.organization_id == (org.id if org else data["organization"]))
    for key in ("classification", "output_format", "status", "ippd_domain"):
        if data.get(key):
            query = query.filter(getattr(Lid, key) == data[key])
    if data.get("dataset"):
        # a dataset the caller may not see matches nothing, as one that does not exist
        package = schema.visible_package(data["dataset"], context)
        query = query.join(LidDataset, LidDataset.lid_id == Lid.id).filter(
            LidDataset.package_id == (package.id if package else None))
    count = query.count()
    organizations = _facet(query, Lid.organization_id)
    titles = {g.id: (g.name, g.title) for g in model.Session.query(model.Group)
              .filter(model.Group.id.in_(list(organizations)))}
    facets = {
        "organization": [{"name": titles.get(k, (k, k))[0], "title": titles.get(k, (k, k))[1],
                          "count": v} for k, v in sorted(organizations.items())],
        "classification": _facet(query, Lid.classification),
        "output_format": _facet(query, Lid.output_format),
        "status": _facet(query, Lid.status),
    }
    rows = query.order_by(Lid.name, Lid.id).offset(data["offset"]).limit(data["limit"]).all()
    return {"count": count, "results": [lid_dict(lid, context) for lid in rows], "facets": facets}
