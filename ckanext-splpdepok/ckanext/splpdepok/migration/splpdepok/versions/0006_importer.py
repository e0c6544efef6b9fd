"""The import ledger of ``ckan splpdepok import`` (what came from the old portal).

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "splpdepok_import_record",
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("remote_id", sa.UnicodeText, primary_key=True),
        sa.Column("local_id", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("source_url", sa.UnicodeText, nullable=False),
        sa.Column("content_hash", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("local_modified", sa.UnicodeText, nullable=True),
        sa.Column("imported", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('organization', 'group', 'dataset')",
                           name="splpdepok_import_record_kind_ck"),
    )


def downgrade() -> None:
    op.drop_table("splpdepok_import_record")
