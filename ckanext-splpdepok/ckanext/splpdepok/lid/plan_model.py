"""Connection plans (SOP steps 11-13), LID sync runs (14-15) and connection checks (16).

One plan per IPPD. Its SOP events live in the shared ``splpdepok_sop_events`` table (subject
``lid_plan``); these tables keep what the events point at: the guide, each run and each check.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok.lid.model import iso
from sqlalchemy.dialects.postgresql import JSONB

plan_table = sa.Table(
    "splpdepok_lid_plan",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("ippd_domain", sa.UnicodeText, nullable=False, unique=True),
    sa.Column("splp_base_url", sa.UnicodeText, nullable=False),
    sa.Column("tenant_domain", sa.UnicodeText, nullable=False),
    sa.Column("lid_ids", JSONB, nullable=False, default=list),
    sa.Column("status", sa.UnicodeText, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("guide_filename", sa.UnicodeText),
    sa.Column("guide_mimetype", sa.UnicodeText),
    sa.Column("guide_size", sa.BigInteger),
    sa.Column("guide_sha256", sa.UnicodeText),
    sa.Column("guide_path", sa.UnicodeText),
    sa.Column("creator_user_id", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
)

run_table = sa.Table(
    "splpdepok_lid_publication_run",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("plan_id", sa.UnicodeText,
              sa.ForeignKey("splpdepok_lid_plan.id", ondelete="CASCADE"), nullable=False),
    sa.Column("dry_run", sa.Boolean, nullable=False, default=False),
    sa.Column("status", sa.UnicodeText, nullable=False),
    sa.Column("triggered_by", sa.UnicodeText, nullable=False, default=""),
    sa.Column("job_id", sa.UnicodeText),
    sa.Column("counts", JSONB, nullable=False, default=dict),
    sa.Column("results", JSONB, nullable=False, default=list),
    sa.Column("message", sa.UnicodeText, nullable=False, default=""),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started", sa.DateTime(timezone=True)),
    sa.Column("heartbeat", sa.DateTime(timezone=True)),
    sa.Column("finished", sa.DateTime(timezone=True)),
)

check_table = sa.Table(
    "splpdepok_lid_check",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("plan_id", sa.UnicodeText,
              sa.ForeignKey("splpdepok_lid_plan.id", ondelete="CASCADE"), nullable=False),
    sa.Column("connected", sa.Boolean, nullable=False),
    sa.Column("triggered_by", sa.UnicodeText, nullable=False, default=""),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
)

check_result_table = sa.Table(
    "splpdepok_lid_check_result",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("check_id", sa.UnicodeText,
              sa.ForeignKey("splpdepok_lid_check.id", ondelete="CASCADE"), nullable=False),
    sa.Column("lid_id", sa.UnicodeText, nullable=False),
    sa.Column("lid_name", sa.UnicodeText, nullable=False),
    sa.Column("api_id", sa.UnicodeText),
    sa.Column("connected", sa.Boolean, nullable=False),
    sa.Column("lifecycle", sa.UnicodeText),
    sa.Column("same_fields", sa.Boolean, nullable=False, default=False),
    sa.Column("deployed", sa.Boolean, nullable=False, default=False),
    sa.Column("gateway_url", sa.UnicodeText),
    sa.Column("status_code", sa.Integer),
    sa.Column("latency_ms", sa.Float),
    sa.Column("problems", JSONB, nullable=False, default=list),
)


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
        return {
            "id": self.id, "ippd_domain": self.ippd_domain, "splp_base_url": self.splp_base_url,
            "tenant_domain": self.tenant_domain, "lid_ids": list(self.lid_ids or []),
            "status": self.status, "version": self.version,
            "guide": ({"filename": self.guide_filename, "mimetype": self.guide_mimetype,
                       "size": self.guide_size, "sha256": self.guide_sha256}
                      if self.guide_filename else None),
            "creator_user_id": self.creator_user_id, "created": iso(self.created),
            "modified": iso(self.modified),
        }


class SyncRun(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = run_table

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
    finished: dt.datetime | None

    @classmethod
    def get(cls, id_: str) -> SyncRun | None:
        return model.Session.get(cls, id_)

    def dictize(self) -> dict[str, Any]:
        return {
            "id": self.id, "plan_id": self.plan_id, "dry_run": self.dry_run,
            "status": self.status, "triggered_by": self.triggered_by, "job_id": self.job_id,
            "counts": dict(self.counts or {}), "results": list(self.results or []),
            "message": self.message, "created": iso(self.created),
            "started": iso(self.started), "finished": iso(self.finished),
        }


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
        return {
            "lid_id": self.lid_id, "lid_name": self.lid_name, "api_id": self.api_id,
            "connected": self.connected, "lifecycle": self.lifecycle,
            "same_fields": self.same_fields, "deployed": self.deployed,
            "gateway_url": self.gateway_url, "status_code": self.status_code,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 1),
            "problems": list(self.problems or []),
        }


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
        return {"id": self.id, "plan_id": self.plan_id, "connected": self.connected,
                "triggered_by": self.triggered_by, "created": iso(self.created),
                "results": [r.dictize() for r in self.results()]}


def checks_for(plan_id: str | None = None, limit: int = 100) -> list[Check]:
    query = model.Session.query(Check)
    if plan_id:
        query = query.filter(Check.plan_id == plan_id)
    return query.order_by(check_table.c.created.desc(), Check.id).limit(limit).all()
