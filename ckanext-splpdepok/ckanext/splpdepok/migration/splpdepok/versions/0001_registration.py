"""Registrations, their documents, the IPPDs they create, SOP events and on-site notices.

Revision ID: 0001
Revises: (none)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_IMMUTABLE = """
CREATE OR REPLACE FUNCTION splpdepok_sop_events_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'splpdepok_sop_events rows are immutable (SOP record keeping)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER splpdepok_sop_events_no_update BEFORE UPDATE ON splpdepok_sop_events
    FOR EACH ROW EXECUTE FUNCTION splpdepok_sop_events_immutable();
"""


def upgrade() -> None:
    op.create_table(
        "splpdepok_registrations",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("ippd_domain", sa.UnicodeText, nullable=False),
        sa.Column("ippd_name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("username", sa.UnicodeText, nullable=False),
        sa.Column("full_name", sa.UnicodeText, nullable=False),
        sa.Column("email", sa.UnicodeText, nullable=False),
        sa.Column("work_unit", sa.UnicodeText, nullable=False),
        sa.Column("phone", sa.UnicodeText, nullable=False),
        sa.Column("creator_user_id", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("submitted", sa.DateTime),
        sa.Column("decided", sa.DateTime),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("ippd_id", sa.UnicodeText),
        sa.Column("last_note", sa.UnicodeText),
    )
    op.create_index("splpdepok_registrations_status_idx", "splpdepok_registrations",
                    ["status", "kind"])
    op.create_index("splpdepok_registrations_creator_idx", "splpdepok_registrations",
                    ["creator_user_id"])
    op.create_index("splpdepok_registrations_domain_idx", "splpdepok_registrations",
                    ["ippd_domain"])
    op.create_table(
        "splpdepok_registration_documents",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("registration_id", sa.UnicodeText,
                  sa.ForeignKey("splpdepok_registrations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("filename", sa.UnicodeText, nullable=False),
        sa.Column("mimetype", sa.UnicodeText, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.UnicodeText, nullable=False),
        sa.Column("uploaded_by", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("splpdepok_registration_documents_reg_idx",
                    "splpdepok_registration_documents", ["registration_id", "kind"])
    op.create_table(
        "splpdepok_ippds",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("domain", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText, nullable=False),
        sa.Column("registration_id", sa.UnicodeText, nullable=False),
        sa.Column("admin_user_id", sa.UnicodeText),
        sa.Column("admin_registration_id", sa.UnicodeText),
        sa.Column("tenant_domain", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "splpdepok_sop_events",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("subject_type", sa.UnicodeText, nullable=False),
        sa.Column("subject_id", sa.UnicodeText, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("transition", sa.UnicodeText, nullable=False),
        sa.Column("from_state", sa.UnicodeText),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("actor_user_id", sa.UnicodeText),
        sa.Column("actor_name", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("note", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("elapsed_minutes", sa.Float),
        sa.Column("standard_minutes", sa.Float),
        sa.Column("within_standard", sa.Boolean),
        sa.Column("data", JSONB, nullable=False, server_default="{}"),
        sa.UniqueConstraint("subject_type", "subject_id", "seq",
                            name="splpdepok_sop_events_subject_seq_key"),
    )
    op.create_index("splpdepok_sop_events_step_idx", "splpdepok_sop_events",
                    ["subject_type", "step"])
    op.execute(_IMMUTABLE)
    op.create_table(
        "splpdepok_notices",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("subject", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("link", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("read_at", sa.DateTime),
    )
    op.create_index("splpdepok_notices_user_idx", "splpdepok_notices", ["user_id", "read_at"])


def downgrade() -> None:
    op.drop_table("splpdepok_notices")
    op.execute("DROP TRIGGER IF EXISTS splpdepok_sop_events_no_update ON splpdepok_sop_events")
    op.drop_table("splpdepok_sop_events")
    op.execute("DROP FUNCTION IF EXISTS splpdepok_sop_events_immutable()")
    op.drop_table("splpdepok_ippds")
    op.drop_table("splpdepok_registration_documents")
    op.drop_table("splpdepok_registrations")
