"""Katalog LID entries and the datasets they serve, the publication ledger (LID -> national API
id), connection plans (SOP steps 11-13), publication runs (14-15) and connection checks (16).

Tables come only from migrations (``0003_lid``, renamed by ``0007_one_shape``). User,
organization and dataset ids are text (no foreign keys into CKAN core tables). One plan per IPPD;
its SOP events live in the shared ``splpdepok_sop_events`` table (subject ``lid_plan``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok.common.dictize import dictize
from sqlalchemy.dialects.postgresql import JSONB

DRAFT, READY, SYNCED, CONNECTED, CHECK_FAILED = (
    "draft", "ready", "synced", "connected", "check_failed")
STATUSES = (DRAFT, READY, SYNCED, CONNECTED, CHECK_FAILED)
# States in which the entry has been handed to SPLP (a publication run may pick it up).
SYNCABLE = (READY, SYNCED, CONNECTED, CHECK_FAILED)
# States whose connection the check of SOP step 16 verifies.
CHECKABLE = (SYNCED, CONNECTED, CHECK_FAILED)
# Fields that SPLP carries: changing one sends a synced entry back to "ready".
SPLP_FIELDS = ("name", "description", "endpoint_url", "attributes", "output_format",
               "classification", "context", "version")



def _text(name: str, **kwargs: Any) -> sa.Column[Any]:
    return sa.Column(name, sa.UnicodeText, **kwargs)


def _stamp(name: str, **kwargs: Any) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), **kwargs)


def _plan_fk() -> sa.Column[Any]:
    return sa.Column("plan_id", sa.UnicodeText,
                     sa.ForeignKey("splpdepok_lid_plan.id", ondelete="CASCADE"), nullable=False)


def _lid_fk() -> sa.Column[Any]:
    return sa.Column("lid_id", sa.UnicodeText,
                     sa.ForeignKey("splpdepok_lid.id", ondelete="CASCADE"), primary_key=True)


lid_table = sa.Table(
    "splpdepok_lid", tk.BaseModel.metadata,
    _text("id", primary_key=True), _text("name", nullable=False),
    _text("description", nullable=False, default=""), _text("endpoint_url", nullable=False),
    sa.Column("attributes", JSONB, nullable=False, default=list),
    _text("output_format", nullable=False), _text("classification", nullable=False),
    _text("context", nullable=False), _text("version", nullable=False),
    _text("ippd_domain", nullable=False), _text("tenant_domain", nullable=False),
    _text("organization_id"), _text("owner_user_id", nullable=False),
    _text("status", nullable=False, default=DRAFT),
    _stamp("created", nullable=False), _stamp("modified", nullable=False),
)

lid_dataset_table = sa.Table(
    "splpdepok_lid_dataset", tk.BaseModel.metadata,
    _lid_fk(), _text("package_id", primary_key=True),
)

publication_ledger_table = sa.Table(
    "splpdepok_lid_publication_ledger", tk.BaseModel.metadata,
    _lid_fk(), _text("api_id"), _text("context", nullable=False),
    _text("version", nullable=False), _text("lifecycle"), _text("last_status"),
    _text("last_error"), _stamp("synced"), _stamp("modified", nullable=False),
)

plan_table = sa.Table(
    "splpdepok_lid_plan", tk.BaseModel.metadata,
    _text("id", primary_key=True), _text("ippd_domain", nullable=False, unique=True),
    _text("splp_base_url", nullable=False), _text("tenant_domain", nullable=False),
    sa.Column("lid_ids", JSONB, nullable=False, default=list), _text("status", nullable=False),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    _text("guide_filename"), _text("guide_mimetype"), sa.Column("guide_size", sa.BigInteger),
    _text("guide_sha256"), _text("guide_path"), _text("creator_user_id", nullable=False),
    _stamp("created", nullable=False), _stamp("modified", nullable=False),
)

publication_run_table = sa.Table(
    "splpdepok_lid_publication_run", tk.BaseModel.metadata,
    _text("id", primary_key=True), _plan_fk(),
    sa.Column("dry_run", sa.Boolean, nullable=False, default=False),
    _text("status", nullable=False), _text("triggered_by", nullable=False, default=""),
    _text("job_id"), sa.Column("counts", JSONB, nullable=False, default=dict),
    sa.Column("results", JSONB, nullable=False, default=list),
    _text("message", nullable=False, default=""), _stamp("created", nullable=False),
    _stamp("started"), _stamp("heartbeat"), _stamp("finished"),
)

check_table = sa.Table(
    "splpdepok_lid_check", tk.BaseModel.metadata,
    _text("id", primary_key=True), _plan_fk(),
    sa.Column("connected", sa.Boolean, nullable=False),
    _text("triggered_by", nullable=False, default=""), _stamp("created", nullable=False),
)

check_result_table = sa.Table(
    "splpdepok_lid_check_result", tk.BaseModel.metadata,
    _text("id", primary_key=True),
    sa.Column("check_id", sa.UnicodeText,
              sa.ForeignKey("splpdepok_lid_check.id", ondelete="CASCADE"), nullable=False),
    _text("lid_id", nullable=False), _text("lid_name", nullable=False), _text("api_id"),
    sa.Column("connected", sa.Boolean, nullable=False), _text("lifecycle"),
    sa.Column("same_fields", sa.Boolean, nullable=False, default=False),
    sa.Column("deployed", sa.Boolean, nullable=False, default=False),
    _text("gateway_url"), sa.Column("status_code", sa.Integer),
    sa.Column("latency_ms", sa.Float), sa.Column("problems", JSONB, nullable=False, default=list),
)


class LidDataset(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = lid_dataset_table

    lid_id: str
    package_id: str


class PublicationLedgerEntry(tk.BaseModel):  # type: ignore[misc, valid-type]
    """One LID's API in the national catalogue (SPLP): id, context/version, last outcome."""

    __table__ = publication_ledger_table

    lid_id: str
    api_id: str | None
    context: str
    version: str
    lifecycle: str | None
    last_status: str | None
    last_error: str | None
    synced: dt.datetime | None
    modified: dt.datetime

    def dictize(self) -> dict[str, Any]:
        return dictize(self, publication_ledger_table.c, skip=("lid_id", "modified"))


class Lid(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = lid_table

    id: str
    name: str
    description: str
    endpoint_url: str
    attributes: list[dict[str, str]]
    output_format: str
    classification: str
    context: str
    version: str
    ippd_domain: str
    tenant_domain: str
    organization_id: str | None
    owner_user_id: str
    status: str
    created: dt.datetime
    modified: dt.datetime

    @classmethod
    def get(cls, id_: str, *, for_update: bool = False) -> Lid | None:
        query = model.Session.query(cls).filter(cls.id == id_)
        if for_update:
            query = query.with_for_update().populate_existing()
        return query.one_or_none()

    @classmethod
    def by_context(cls, tenant_domain: str, context: str) -> Lid | None:
        return (model.Session.query(cls)
                .filter(cls.tenant_domain == tenant_domain,
                        sa.func.lower(cls.context) == context.lower()).first())

    @classmethod
    def of_ids(cls, ids: list[str], statuses: tuple[str, ...] = ()) -> list[Lid]:
        """The entries of ``ids`` (in ``statuses`` when given), by name."""
        query = model.Session.query(cls).filter(lid_table.c.id.in_(ids or []))
        if statuses:
            query = query.filter(lid_table.c.status.in_(statuses))
        return query.order_by(cls.name, cls.id).all()

    def dataset_ids(self) -> list[str]:
        return [d for (d,) in model.Session.query(LidDataset.package_id)
                .filter(LidDataset.lid_id == self.id).order_by(LidDataset.package_id)]

    def set_datasets(self, package_ids: list[str]) -> None:
        model.Session.query(LidDataset).filter(LidDataset.lid_id == self.id).delete(
            synchronize_session=False)
        for package_id in dict.fromkeys(package_ids):
            model.Session.add(LidDataset(lid_id=self.id, package_id=package_id))
        model.Session.flush()  # CKAN's session does not autoflush

    def ledger(self) -> PublicationLedgerEntry | None:
        return model.Session.get(PublicationLedgerEntry, self.id)

    def as_splp_entry(self, owner: str = "") -> dict[str, Any]:
        """The plain dict the SPLP adapter maps (``lid.splp.mapping``)."""
        return dict(dictize(self, lid_table.c, skip=_NOT_SPLP),
                    attributes=list(self.attributes or []), owner=owner)

    def dictize(self) -> dict[str, Any]:
        ledger = self.ledger()
        return dict(dictize(self, lid_table.c), attributes=list(self.attributes or []),
                    datasets=self.dataset_ids(),
                    national_api_id=ledger.api_id if ledger else None,
                    ledger=ledger.dictize() if ledger else None)


_NOT_SPLP = ("ippd_domain", "organization_id", "owner_user_id", "status", "created", "modified")


def lids_for_dataset(package_id: str) -> list[Lid]:
    return (model.Session.query(Lid).join(LidDataset, LidDataset.lid_id == Lid.id)
            .filter(LidDataset.package_id == package_id).order_by(Lid.name).all())


class Plan(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = plan_table

    id: str
    ippd_domain: str
    splp_base_url: str
    tenant_domain: str
    lid_ids: list[str]
    status: str
    version: int
    guide_filename: str | None
    guide_mimetype: str | None
    guide_size: int | None
    guide_sha256: str | None
    guide_path: str | None
    creator_user_id: str
    created: dt.datetime
    modified: dt.datetime

    @classmethod
    def get(cls, id_or_domain: str, *, for_update: bool = False) -> Plan | None:
        query = model.Session.query(cls).filter(
            sa.or_(cls.id == id_or_domain, cls.ippd_domain == id_or_domain))
        if for_update:
            query = query.with_for_update().populate_existing()
        return query.one_or_none()

    def dictize(self) -> dict[str, Any]:
        guide = ({"filename": self.guide_filename, "mimetype": self.guide_mimetype,
                  "size": self.guide_size, "sha256": self.guide_sha256}
                 if self.guide_filename else None)
        return dict(dictize(self, plan_table.c, skip=_GUIDE_COLUMNS),
                    lid_ids=list(self.lid_ids or []), guide=guide)


_GUIDE_COLUMNS = ("guide_filename", "guide_mimetype", "guide_size", "guide_sha256",
                  "guide_path")


class PublicationRun(tk.BaseModel):  # type: ignore[misc, valid-type]
    """One publication of a plan's LIDs to SPLP (SOP step 15), or a dry run of it; its life
    cycle is ``common.runs`` (``lid.logic.publication.PUBLICATION``)."""

    __table__ = publication_run_table

    id: str
    plan_id: str
    dry_run: bool
    status: str
    triggered_by: str
    job_id: str | None
    counts: dict[str, int]
    results: list[dict[str, Any]]
    message: str
    created: dt.datetime
    started: dt.datetime | None
    heartbeat: dt.datetime | None
    finished: dt.datetime | None

    @classmethod
    def get(cls, id_: str) -> PublicationRun | None:
        return model.Session.get(cls, id_)

    @classmethod
    def recent(cls, plan_id: str, limit: int = 10) -> list[PublicationRun]:
        return (model.Session.query(cls).filter(cls.plan_id == plan_id)
                .order_by(publication_run_table.c.created.desc()).limit(limit).all())

    def dictize(self) -> dict[str, Any]:
        return dict(dictize(self, publication_run_table.c, skip=("heartbeat",)),
                    counts=dict(self.counts or {}), results=list(self.results or []))


class CheckResult(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = check_result_table

    id: str
    check_id: str
    lid_id: str
    lid_name: str
    api_id: str | None
    connected: bool
    lifecycle: str | None
    same_fields: bool
    deployed: bool
    gateway_url: str | None
    status_code: int | None
    latency_ms: float | None
    problems: list[str]

    def dictize(self) -> dict[str, Any]:
        return dict(dictize(self, check_result_table.c, skip=("id", "check_id")),
                    latency_ms=None if self.latency_ms is None else round(self.latency_ms, 1),
                    problems=list(self.problems or []))


class Check(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = check_table

    id: str
    plan_id: str
    connected: bool
    triggered_by: str
    created: dt.datetime

    def results(self) -> list[CheckResult]:
        return (model.Session.query(CheckResult).filter(CheckResult.check_id == self.id)
                .order_by(CheckResult.lid_name, CheckResult.id).all())

    def dictize(self) -> dict[str, Any]:
        return dict(dictize(self, check_table.c), results=[r.dictize() for r in self.results()])


def checks_for(plan_id: str | None = None, limit: int = 100, offset: int = 0,
               domains: list[str] | None = None) -> list[tuple[Check, str]]:
    """(check, IPPD domain) newest first, of one plan, or of the plans of ``domains`` (every
    plan when ``None``): filtered in SQL, then paged."""
    query = model.Session.query(Check, Plan.ippd_domain).join(Plan, Plan.id == Check.plan_id)
    if plan_id:
        query = query.filter(Check.plan_id == plan_id)
    if domains is not None:
        query = query.filter(plan_table.c.ippd_domain.in_(domains))
    rows = (query.order_by(check_table.c.created.desc(), Check.id)
            .offset(offset).limit(limit).all())
    return [(check, domain) for check, domain in rows]

