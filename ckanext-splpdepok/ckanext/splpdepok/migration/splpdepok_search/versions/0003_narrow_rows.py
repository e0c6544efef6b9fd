"""Narrow index rows: what a search reads for every hit stays in the row, the rest out of line.

At 100,000 datasets rows of ~4 KB in the heap (the stored document out of line, but ``fields``,
``texts``, ``terms`` and ``search_vector`` kept in the row) made every count, facet and rank read
most of a 400 MB heap. Now:

- ``toast_tuple_target = 128``: every wide value (stored document, per-field jsonb, the full text
  and term vectors) is compressed with lz4 and moved out of line; the GIN indexes still answer
  matches from the index alone;
- ``rank_vector`` (title, tags and notes: what ``ts_rank`` needs) and ``facets`` (the values of
  the facet fields as ``field=value``) are the only wide values kept in the row (storage MAIN);
- btree indexes match the sort orders the statement uses, tie-break and NULL order included,
  so a page of ``*:*`` by date, title or name is read from the index and stops after the page.

Existing rows get the new columns from what they already hold and are rewritten, so no
``search-index rebuild`` is needed.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLE = "splpdepok_search_index"
OUT_OF_LINE = ("doc", "fields", "texts", "nums", "terms", "search_vector")
IN_ROW = ("rank_vector", "facets")
# the facet fields of ckanext.splpdepok.search.fields at the time of this migration
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "jenis",
                "accrualPeriodicity", "prioritas_tahun")
SORT_INDEXES = {
    "modified_sort_idx": "metadata_modified DESC NULLS LAST, index_id",
    "modified_asc_sort_idx": "metadata_modified ASC NULLS LAST, index_id",
    "created_sort_idx": "metadata_created DESC NULLS LAST, index_id",
    "created_asc_sort_idx": "metadata_created ASC NULLS LAST, index_id",
    "title_sort_idx": ('lower(title_sort) COLLATE "C" ASC NULLS LAST, '
                       'title_sort COLLATE "C" ASC NULLS LAST, index_id'),
    "name_sort_idx": 'name COLLATE "C" ASC NULLS LAST, index_id',
}


def _has_lz4() -> bool:
    return bool(op.get_bind().execute(sa.text(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
        "AND 'lz4' = ANY(enumvals)")).scalar())


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("rank_vector", TSVECTOR, nullable=False,
                                   server_default=sa.text("''::tsvector")))
    op.add_column(TABLE, sa.Column("facets", ARRAY(sa.Text), nullable=False,
                                   server_default=sa.text("'{}'::text[]")))
    lz4 = _has_lz4()
    for column in OUT_OF_LINE:
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE EXTENDED")
    for column in IN_ROW:
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE MAIN")
    if lz4:
        for column in (*OUT_OF_LINE, *IN_ROW):
            op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET COMPRESSION lz4")
    op.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
    # rewrites every row: the new columns filled, the new storage applied
    facet_fields = ", ".join(f"'{name}'" for name in FACET_FIELDS)
    op.execute(f"""
        UPDATE {TABLE} SET
          rank_vector = ts_filter(search_vector, '{{a,b,c}}'),
          facets = ARRAY(
            SELECT DISTINCT f.key || '=' || v.value
            FROM jsonb_each(fields) f, jsonb_array_elements_text(f.value) v
            WHERE f.key IN ({facet_fields}) OR f.key LIKE 'vocab\\_%'
            ORDER BY 1)
    """)
    for old in ("modified_idx", "created_idx"):
        op.execute(f"DROP INDEX IF EXISTS {TABLE}_{old}")
    for name, columns in SORT_INDEXES.items():
        op.execute(f"CREATE INDEX {TABLE}_{name} ON {TABLE} ({columns})")


def downgrade() -> None:
    for name in SORT_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {TABLE}_{name}")
    op.create_index(f"{TABLE}_modified_idx", TABLE, ["metadata_modified"])
    op.create_index(f"{TABLE}_created_idx", TABLE, ["metadata_created"])
    op.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")
    for column in ("fields", "search_vector", "terms", "nums"):
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE MAIN")
    op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN doc SET STORAGE EXTERNAL")
    op.drop_column(TABLE, "facets")
    op.drop_column(TABLE, "rank_vector")
