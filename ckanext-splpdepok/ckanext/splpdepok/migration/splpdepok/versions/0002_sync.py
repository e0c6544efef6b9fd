"""Sync targets, the mapping ledger, runs and connection checks.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "splpdepok_sync_target",
        sa.Column("id", sa.UnicodeText, primary_key=True),
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
        sa.Column("concurrency", sa.Integer, nullable=False, server_default="4"),
        sa.Column("rate_per_second", sa.Float, nullable=False, server_default="20"),
        sa.Column("schedule_minutes", sa.Integer, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created", _TS, nullable=False, server_default=sa.func.now()),
        sa.Column("modified", _TS, nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("type IN ('ckan', 'jabar', 'harvest')",
                           name="splpdepok_sync_target_type_ck"),
    )
    op.create_table(
        "splpdepok_sync_ledger",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("target_id", sa.UnicodeText, _fk("splpdepok_sync_target"), nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("package_name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("remote_id", sa.UnicodeText, nullable=True),
        sa.Column("remote_name", sa.UnicodeText, nullable=True),
        sa.Column("content_hash", sa.UnicodeText, nullable=True),
        sa.Column("crosswalk_version", sa.UnicodeText, nullable=True),
        sa.Column("payload", JSONB, nullable=True),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="pending"),
        sa.Column("last_error", sa.UnicodeText, nullable=True),
        sa.Column("last_pushed", _TS, nullable=True),
        sa.Column("last_run_id", sa.UnicodeText, nullable=True),
        sa.Column("modified", _TS, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("target_id", "package_id", name="splpdepok_sync_ledger_pkg_uq"),
        sa.UniqueConstraint("target_id", "remote_name", name="splpdepok_sync_ledger_name_uq"),
    )
    op.create_index("splpdepok_sync_ledger_pkg_idx", "splpdepok_sync_ledger", ["package_id"])
    op.create_table(
        "splpdepok_sync_run",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("target_id", sa.UnicodeText, _fk("splpdepok_sync_target"), nullable=False),
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
        sa.Column("created", _TS, nullable=False, server_default=sa.func.now()),
        sa.Column("started", _TS, nullable=True),
        sa.Column("heartbeat", _TS, nullable=True),
        sa.Column("finished", _TS, nullable=True),
    )
    op.create_index("splpdepok_sync_run_target_idx", "splpdepok_sync_run",
                    ["target_id", "created"])
    op.create_table(
        "splpdepok_sync_run_item",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("run_id", sa.UnicodeText, _fk("splpdepok_sync_run"), nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("package_name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("outcome", sa.UnicodeText, nullable=False),
        sa.Column("remote_name", sa.UnicodeText, nullable=True),
        sa.Column("error", sa.UnicodeText, nullable=True),
        sa.Column("diff", JSONB, nullable=True),
        sa.Column("created", _TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("splpdepok_sync_run_item_run_idx", "splpdepok_sync_run_item", ["run_id"])
    op.create_table(
        "splpdepok_sync_check",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("target_id", sa.UnicodeText, _fk("splpdepok_sync_target"), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=True),
        sa.Column("api_version", sa.UnicodeText, nullable=True),
        sa.Column("results", JSONB, nullable=False, server_default="[]"),
        sa.Column("created", _TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("splpdepok_sync_check_target_idx", "splpdepok_sync_check",
                    ["target_id", "created"])


def downgrade() -> None:
    for table in ("splpdepok_sync_check", "splpdepok_sync_run_item", "splpdepok_sync_run",
                  "splpdepok_sync_ledger", "splpdepok_sync_target"):
        op.drop_table(table)
