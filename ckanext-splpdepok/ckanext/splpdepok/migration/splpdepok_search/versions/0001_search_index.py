"""The PostgreSQL search index that replaces Solr.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLE = "splpdepok_search_index"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("index_id", sa.Text, primary_key=True),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("site_id", sa.Text),
        sa.Column("state", sa.Text),
        sa.Column("capacity", sa.Text),
        sa.Column("dataset_type", sa.Text),
        # CKAN's "public" permission label as a flag: the filter every anonymous search runs
        sa.Column("label_public", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("texts", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("nums", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("doc", JSONB, nullable=False),
        sa.Column("search_vector", TSVECTOR, nullable=False),
        # exact "field=value" pairs as lexemes: fast @@ tests with real planner statistics
        sa.Column("terms", TSVECTOR, nullable=False, server_default=sa.text("''::tsvector")),
        sa.Column("metadata_created", sa.DateTime(timezone=True)),
        sa.Column("metadata_modified", sa.DateTime(timezone=True)),
        sa.Column("title_sort", sa.Text),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
    )
    # filters read ``fields`` and ``search_vector`` on every candidate row: keep them in the
    # heap tuple (compressed if need be); the big stored document and texts go out of line
    for column in ("fields", "search_vector", "terms", "nums"):
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE MAIN")
    # the stored document is compressed/moved out first; rows stay below this size with the
    # filter columns uncompressed (no decompression per candidate row)
    op.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 4080)")
    op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN doc SET STORAGE EXTERNAL")
    # lz4 decompresses several times faster than pglz (PostgreSQL >= 14 built with lz4)
    has_lz4 = op.get_bind().execute(sa.text(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
        "AND 'lz4' = ANY(enumvals)")).scalar()
    if has_lz4:
        for column in ("fields", "texts", "nums", "search_vector", "terms"):
            op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET COMPRESSION lz4")
    op.create_index(f"{TABLE}_id_idx", TABLE, ["id"])
    op.create_index(f"{TABLE}_name_idx", TABLE, ["name"])
    # GIN without a pending list: a search right after many index writes stays fast (no
    # unmerged pending entries to scan until autovacuum runs)
    op.create_index(f"{TABLE}_fields_idx", TABLE, ["fields"], postgresql_using="gin",
                    postgresql_with={"fastupdate": "off"})
    op.create_index(f"{TABLE}_vector_idx", TABLE, ["search_vector"], postgresql_using="gin",
                    postgresql_with={"fastupdate": "off"})
    op.create_index(f"{TABLE}_terms_idx", TABLE, ["terms"], postgresql_using="gin",
                    postgresql_with={"fastupdate": "off"})
    op.create_index(f"{TABLE}_modified_idx", TABLE, ["metadata_modified"])
    op.create_index(f"{TABLE}_created_idx", TABLE, ["metadata_created"])


def downgrade() -> None:
    op.drop_table(TABLE)
