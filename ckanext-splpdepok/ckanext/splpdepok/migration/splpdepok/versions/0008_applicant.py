"""Versioned registration documents: a replaced document stays, marked superseded.

``superseded_by`` names the document that replaced it and ``superseded_at`` says when; the
current document of a kind is the one without ``superseded_by``. Existing rows are marked from
their upload order (every older upload of a kind is superseded by the next one).

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "splpdepok_registration_documents"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("superseded_by", sa.UnicodeText))
    op.add_column(TABLE, sa.Column("superseded_at", sa.DateTime(timezone=True)))
    op.execute(sa.text(f"""
        UPDATE {TABLE} AS old SET superseded_by = nxt.next_id, superseded_at = nxt.next_created
        FROM (SELECT id,
                     lead(id) OVER w AS next_id,
                     lead(created) OVER w AS next_created
              FROM {TABLE}
              WINDOW w AS (PARTITION BY registration_id, kind ORDER BY created, id)) AS nxt
        WHERE old.id = nxt.id AND nxt.next_id IS NOT NULL
    """))
    op.create_index("splpdepok_registration_documents_current", TABLE,
                    ["registration_id", "kind"], unique=True,
                    postgresql_where=sa.text("superseded_by IS NULL"))


def downgrade() -> None:
    op.drop_index("splpdepok_registration_documents_current", table_name=TABLE)
    op.drop_column(TABLE, "superseded_at")
    op.drop_column(TABLE, "superseded_by")
