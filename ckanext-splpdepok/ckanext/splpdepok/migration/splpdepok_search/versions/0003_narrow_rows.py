"""Narrow index rows: what a search reads for every hit stays in the row, the rest out of line.

At 100,000 datasets rows of ~4 KB in the heap (the stored document out of line, but ``fields``,
``texts``, ``terms`` and ``search_vector`` kept in the row) made every count, facet and rank read
most of a 400 MB heap. Now:

- ``toast_tuple_target = 128``: every wide value (stored document, per-field jsonb, the full text
  and term vectors) is compressed (lz4 where the server has it) and moved out of line; the GIN
  indexes answer matches from the index alone;
- ``rank_vector`` (title and tags: what ``ts_rank`` reads) and ``facets`` (the values of the facet
  fields as ``field=value``) are the only wide values kept in the row (storage MAIN);
- ``terms`` also holds numbers (``field~n``), present fields (``field?``) and long values
  (``field#md5``), so every exact filter is answered by its GIN index and the GIN index over the
  whole ``fields`` jsonb (the most expensive one to write) goes;
- ``scalars_exact`` marks rows whose site_id, state, capacity and dataset_type columns hold
  their field's one value: counts read those filters from a partial index;
- btree indexes match the sort orders the statement uses, tie-break and NULL order included,
  so a page of ``*:*`` by date, title or name is read from the index and stops after the page.

Existing rows are recomputed from the document each one stores (no CKAN dictization needed, so
no ``search-index rebuild``) and rewritten, which applies the new storage.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from typing import Any

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
SORT_INDEXES = {
    "modified_sort_idx": "metadata_modified DESC NULLS LAST, index_id",
    "modified_asc_sort_idx": "metadata_modified ASC NULLS LAST, index_id",
    "created_sort_idx": "metadata_created DESC NULLS LAST, index_id",
    "created_asc_sort_idx": "metadata_created ASC NULLS LAST, index_id",
    "title_sort_idx": ('lower(title_sort) COLLATE "C" ASC NULLS LAST, '
                       'title_sort COLLATE "C" ASC NULLS LAST, index_id'),
    "name_sort_idx": 'name COLLATE "C" ASC NULLS LAST, index_id',
}
BATCH = 1000


def _has_lz4() -> bool:
    return bool(op.get_bind().execute(sa.text(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
        "AND 'lz4' = ANY(enumvals)")).scalar())


def _recompute_rows() -> None:
    """New terms, facets and rank vector of every row, from the document it stores."""
    from ckanext.splpdepok.search.documents import build_row
    from ckanext.splpdepok.search.settings import text_config

    bind = op.get_bind()
    cfg = text_config()
    update = sa.text(
        f"UPDATE {TABLE} SET terms = array_to_tsvector(CAST(:terms AS text[])), "
        "facets = CAST(:facets AS text[]), scalars_exact = :scalars_exact, "
        f"rank_vector = setweight(to_tsvector('{cfg}'::regconfig, :text_a), 'A') || "
        f"setweight(to_tsvector('{cfg}'::regconfig, :text_b), 'B') "
        "WHERE index_id = :index_id")
    last = ""
    while True:
        batch = bind.execute(sa.text(
            f"SELECT index_id, doc FROM {TABLE} WHERE index_id > :last "
            "ORDER BY index_id LIMIT :n"), {"last": last, "n": BATCH}).fetchall()
        if not batch:
            return
        params: list[dict[str, Any]] = []
        for index_id, doc in batch:
            row = build_row(doc)
            params.append({"index_id": index_id, "terms": row.terms, "facets": row.facets,
                           "scalars_exact": row.scalars_exact,
                           "text_a": row.text_a, "text_b": row.text_b})
        bind.execute(update, params)
        last = batch[-1][0]


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("rank_vector", TSVECTOR, nullable=False,
                                   server_default=sa.text("''::tsvector")))
    op.add_column(TABLE, sa.Column("facets", ARRAY(sa.Text), nullable=False,
                                   server_default=sa.text("'{}'::text[]")))
    op.add_column(TABLE, sa.Column("scalars_exact", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
    for column in OUT_OF_LINE:
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE EXTENDED")
    for column in IN_ROW:
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE MAIN")
    if _has_lz4():
        for column in (*OUT_OF_LINE, *IN_ROW):
            op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET COMPRESSION lz4")
    op.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
    for old in ("fields_idx", "modified_idx", "created_idx"):
        op.execute(f"DROP INDEX IF EXISTS {TABLE}_{old}")
    _recompute_rows()
    for name, columns in SORT_INDEXES.items():
        op.execute(f"CREATE INDEX {TABLE}_{name} ON {TABLE} ({columns})")
    # the count's two parts (statement.py): filter columns of exact rows, the few others
    op.execute(f"CREATE INDEX {TABLE}_filters_idx ON {TABLE} "
               "(label_public, capacity, state, site_id, dataset_type) WHERE scalars_exact")
    op.execute(f"CREATE INDEX {TABLE}_inexact_idx ON {TABLE} (index_id) "
               "WHERE NOT scalars_exact")


def downgrade() -> None:
    for name in ("filters_idx", "inexact_idx"):
        op.execute(f"DROP INDEX IF EXISTS {TABLE}_{name}")
    for name in SORT_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {TABLE}_{name}")
    op.create_index(f"{TABLE}_modified_idx", TABLE, ["metadata_modified"])
    op.create_index(f"{TABLE}_created_idx", TABLE, ["metadata_created"])
    op.create_index(f"{TABLE}_fields_idx", TABLE, ["fields"], postgresql_using="gin",
                    postgresql_with={"fastupdate": "off"})
    op.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 4080)")
    for column in ("fields", "search_vector", "terms", "nums"):
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE MAIN")
    op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN doc SET STORAGE EXTERNAL")
    op.drop_column(TABLE, "scalars_exact")
    op.drop_column(TABLE, "facets")
    op.drop_column(TABLE, "rank_vector")
