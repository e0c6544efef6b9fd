"""Tables of the sync capability: targets, the mapping ledger, runs, run items and checks.

Tables come only from the migrations ``0002_sync`` and ``0005_sync_checks``; these classes map
them. Credentials are never stored: a target only keeps the *name* of the environment variable
or setting that holds them.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.dictize import dictize as dictize_row
from ckanext.splpdepok.common.ids import new_id
from sqlalchemy.dialects.postgresql import JSONB

_ts = sa.DateTime(timezone=True)

target_table = sa.Table(
    "splpdepok_sync_target",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True, default=new_id),
    sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
    sa.Column("title", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("type", sa.UnicodeText, nullable=False),
    sa.Column("url", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("credential_ref", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("org_map", JSONB, nullable=False, server_default="{}"),
    sa.Column("selection", JSONB, nullable=False, server_default='{"mode": "all"}'),
    sa.Column("field_policy", JSONB, nullable=False, server_default="{}"),
    sa.Column("name_prefix", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("extras_mode", sa.UnicodeText, nullable=False, server_default="fields"),
    sa.Column("withdraw_mode", sa.UnicodeText, nullable=False, server_default="delete"),
    sa.Column("withdraw_max_share", sa.Float, nullable=False, server_default="0.2"),
    sa.Column("jabar_mode", sa.UnicodeText, nullable=False, server_default="push"),
    # read side of the target's check (migration 0005): national CKAN / proxy, Jabar region
    sa.Column("catalog_url", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("catalog_api", sa.UnicodeText, nullable=False, server_default="ckan"),
    sa.Column("regional_id", sa.Integer, nullable=False, server_default="15"),
    sa.Column("concurrency", sa.Integer, nullable=False, server_default="4"),
    sa.Column("rate_per_second", sa.Float, nullable=False, server_default="20"),
    sa.Column("schedule_minutes", sa.Integer, nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created", _ts, nullable=False, default=now),
    sa.Column("modified", _ts, nullable=False, default=now, onupdate=now),
)

ledger_table = sa.Table(
    "splpdepok_sync_ledger",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True, default=new_id),
    sa.Column("target_id", sa.UnicodeText, sa.ForeignKey("splpdepok_sync_target.id",
              ondelete="CASCADE"), nullable=False),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("package_name", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("remote_id", sa.UnicodeText, nullable=True),
    sa.Column("remote_name", sa.UnicodeText, nullable=True),
    sa.Column("content_hash", sa.UnicodeText, nullable=True),
    sa.Column("crosswalk_version", sa.UnicodeText, nullable=True),
    sa.Column("payload", JSONB, nullable=True),
    sa.Column("status", sa.UnicodeText, nullable=False, server_default="pending"),
    sa.Column("last_error", sa.UnicodeText, nullable=True),
    sa.Column("last_pushed", _ts, nullable=True),
    sa.Column("last_run_id", sa.UnicodeText, nullable=True),
    sa.Column("modified", _ts, nullable=False, default=now, onupdate=now),
    sa.UniqueConstraint("target_id", "package_id", name="splpdepok_sync_ledger_pkg_uq"),
    sa.UniqueConstraint("target_id", "remote_name", name="splpdepok_sync_ledger_name_uq"),
)

run_table = sa.Table(
    "splpdepok_sync_run",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True, default=new_id),
    sa.Column("target_id", sa.UnicodeText, sa.ForeignKey("splpdepok_sync_target.id",
              ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("status", sa.UnicodeText, nullable=False, server_default="queued"),
    sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("only_failed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("confirm_withdrawal", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("triggered_by", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("job_id", sa.UnicodeText, nullable=True),
    sa.Column("counts", JSONB, nullable=False, server_default="{}"),
    sa.Column("total", sa.Integer, nullable=False, server_default="0"),
    sa.Column("done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("message", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("created", _ts, nullable=False, default=now),
    sa.Column("started", _ts, nullable=True),
    sa.Column("heartbeat", _ts, nullable=True),
    sa.Column("finished", _ts, nullable=True),
)

run_item_table = sa.Table(
    "splpdepok_sync_run_item",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True, default=new_id),
    sa.Column("run_id", sa.UnicodeText, sa.ForeignKey("splpdepok_sync_run.id",
              ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("package_name", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("action", sa.UnicodeText, nullable=False),
    sa.Column("outcome", sa.UnicodeText, nullable=False),
    sa.Column("remote_name", sa.UnicodeText, nullable=True),
    sa.Column("error", sa.UnicodeText, nullable=True),
    sa.Column("diff", JSONB, nullable=True),
    sa.Column("created", _ts, nullable=False, default=now),
)

check_table = sa.Table(
    "splpdepok_sync_check",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True, default=new_id),
    sa.Column("target_id", sa.UnicodeText, sa.ForeignKey("splpdepok_sync_target.id",
              ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("latency_ms", sa.Float, nullable=True),
    sa.Column("api_version", sa.UnicodeText, nullable=True),
    sa.Column("results", JSONB, nullable=False, server_default="[]"),
    sa.Column("created", _ts, nullable=False, default=now),
)


class SyncTarget(tk.BaseModel):
    """A catalog this portal pushes to (or that pulls from it)."""

    __table__ = target_table

    @classmethod
    def get(cls, id_or_name: str) -> SyncTarget | None:
        q = model.Session.query(cls)
        return q.filter(sa.or_(cls.id == id_or_name, cls.name == id_or_name)).one_or_none()

    def dictize(self) -> dict[str, Any]:
        data = dictize_row(self, target_table.c)
        # The reference is a name, not a secret; whether it resolves is shown, never its value.
        data["credential_set"] = bool(self.credential_ref)
        return data


class LedgerEntry(tk.BaseModel):
    """What one local dataset is on one target: remote id/name, hash of what was sent, status."""

    __table__ = ledger_table

    def dictize(self) -> dict[str, Any]:
        return dictize_row(self, ledger_table.c, skip=("payload",))


class SyncRun(tk.BaseModel):
    """One execution (or dry run) of a target's sync; counts and heartbeat live here."""

    __table__ = run_table

    @classmethod
    def get(cls, run_id: str) -> SyncRun | None:
        return model.Session.get(cls, run_id)

    def dictize(self) -> dict[str, Any]:
        return dictize_row(self, run_table.c)


class SyncRunItem(tk.BaseModel):
    """A dataset-level outcome of a run; unchanged datasets are counted, not stored."""

    __table__ = run_item_table

    def dictize(self) -> dict[str, Any]:
        return dictize_row(self, run_item_table.c)


class SyncCheck(tk.BaseModel):
    """A connection-check report for one target."""

    __table__ = check_table

    def dictize(self) -> dict[str, Any]:
        return dictize_row(self, check_table.c)
