"""LID catalog entries, connection plans, the SPLP ledger and connection checks.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "splpdepok_lid",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("endpoint_url", sa.UnicodeText, nullable=False),
        sa.Column("attributes", JSONB, nullable=False, server_default="[]"),
        sa.Column("output_format", sa.UnicodeText, nullable=False),
        sa.Column("classification", sa.UnicodeText, nullable=False),
        sa.Column("context", sa.UnicodeText, nullable=False),
        sa.Column("version", sa.UnicodeText, nullable=False),
        sa.Column("ippd_domain", sa.UnicodeText, nullable=False),
        sa.Column("tenant_domain", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("owner_user_id", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="draft"),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.CheckConstraint("classification IN ('terbuka', 'terbatas')",
                           name="splpdepok_lid_classification_ck"),
        sa.CheckConstraint(
            "status IN ('draft', 'ready', 'synced', 'connected', 'check_failed')",
            name="splpdepok_lid_status_ck"),
    )
    # The context path is unique within a tenant (SPLP prefixes it with /t/{tenant}).
    op.create_index("splpdepok_lid_tenant_context_uq", "splpdepok_lid",
                    ["tenant_domain", sa.text("lower(context)")], unique=True)
    op.create_index("splpdepok_lid_owner_idx", "splpdepok_lid", ["owner_user_id"])
    op.create_index("splpdepok_lid_org_idx", "splpdepok_lid", ["organization_id"])
    op.create_table(
        "splpdepok_lid_dataset",
        sa.Column("lid_id", sa.UnicodeText, _fk("splpdepok_lid"), primary_key=True),
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
    )
    op.create_index("splpdepok_lid_dataset_package_idx", "splpdepok_lid_dataset",
                    ["package_id"])
    op.create_table(
        "splpdepok_lid_ledger",
        sa.Column("lid_id", sa.UnicodeText, _fk("splpdepok_lid"), primary_key=True),
        sa.Column("api_id", sa.UnicodeText),
        sa.Column("context", sa.UnicodeText, nullable=False),
        sa.Column("version", sa.UnicodeText, nullable=False),
        sa.Column("lifecycle", sa.UnicodeText),
        sa.Column("last_status", sa.UnicodeText),
        sa.Column("last_error", sa.UnicodeText),
        sa.Column("synced", sa.DateTime),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "splpdepok_lid_plan",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("ippd_domain", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("splp_base_url", sa.UnicodeText, nullable=False),
        sa.Column("tenant_domain", sa.UnicodeText, nullable=False),
        sa.Column("lid_ids", JSONB, nullable=False, server_default="[]"),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("guide_filename", sa.UnicodeText),
        sa.Column("guide_mimetype", sa.UnicodeText),
        sa.Column("guide_size", sa.BigInteger),
        sa.Column("guide_sha256", sa.UnicodeText),
        sa.Column("guide_path", sa.UnicodeText),
        sa.Column("creator_user_id", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "splpdepok_lid_sync_run",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("plan_id", sa.UnicodeText, _fk("splpdepok_lid_plan"), nullable=False),
        sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("triggered_by", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("job_id", sa.UnicodeText),
        sa.Column("counts", JSONB, nullable=False, server_default="{}"),
        sa.Column("results", JSONB, nullable=False, server_default="[]"),
        sa.Column("message", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("started", sa.DateTime),
        sa.Column("finished", sa.DateTime),
    )
    op.create_index("splpdepok_lid_sync_run_plan_idx", "splpdepok_lid_sync_run",
                    ["plan_id", "created"])
    op.create_table(
        "splpdepok_lid_check",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("plan_id", sa.UnicodeText, _fk("splpdepok_lid_plan"), nullable=False),
        sa.Column("connected", sa.Boolean, nullable=False),
        sa.Column("triggered_by", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("splpdepok_lid_check_plan_idx", "splpdepok_lid_check",
                    ["plan_id", "created"])
    op.create_table(
        "splpdepok_lid_check_result",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("check_id", sa.UnicodeText, _fk("splpdepok_lid_check"), nullable=False),
        sa.Column("lid_id", sa.UnicodeText, nullable=False),
        sa.Column("lid_name", sa.UnicodeText, nullable=False),
        sa.Column("api_id", sa.UnicodeText),
        sa.Column("connected", sa.Boolean, nullable=False),
        sa.Column("lifecycle", sa.UnicodeText),
        sa.Column("same_fields", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("deployed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("gateway_url", sa.UnicodeText),
        sa.Column("status_code", sa.Integer),
        sa.Column("latency_ms", sa.Float),
        sa.Column("problems", JSONB, nullable=False, server_default="[]"),
    )
    op.create_index("splpdepok_lid_check_result_check_idx", "splpdepok_lid_check_result",
                    ["check_id"])


def downgrade() -> None:
    for table in ("splpdepok_lid_check_result", "splpdepok_lid_check", "splpdepok_lid_sync_run",
                  "splpdepok_lid_plan", "splpdepok_lid_ledger", "splpdepok_lid_dataset",
                  "splpdepok_lid"):
        op.drop_table(table)
