"""The index table (created only by the alembic migration of ``splpdepok_search``).

Rows are narrow (``toast_tuple_target``): what filtering, counting, faceting and ranking read
stays in the row; the stored document and the per-field data live out of line and are read only
for the page of results or for the rare query that needs them (see migration 0003).

It lives in its own ``MetaData`` so CKAN's ``db init`` / ``metadata.create_all`` never creates it
behind the migration's back.
"""
from __future__ import annotations

import sqlalchemy as sa
from ckanext.splpdepok.search.documents import SCALAR_FIELDS
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

metadata = sa.MetaData()

TABLE_NAME = "splpdepok_search_index"

# Single-valued fields mirrored as columns: ``field:value`` on them is a column comparison.
SCALAR_COLUMNS = SCALAR_FIELDS
PUBLIC_LABEL = "public"

search_index_table = sa.Table(
    TABLE_NAME,
    metadata,
    # Solr's unique key: md5(id + site_id), computed by CKAN.
    sa.Column("index_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("site_id", sa.Text),
    # filters CKAN adds to every query, as plain columns (no jsonb on the hot path)
    sa.Column("state", sa.Text),
    sa.Column("capacity", sa.Text),
    sa.Column("dataset_type", sa.Text),
    # "public" in permission_labels (the label of every public active dataset): a flag is
    # far cheaper per row than any array or jsonb test; other labels are read from ``fields``
    sa.Column("label_public", sa.Boolean, nullable=False),
    # every scalar column holds its field's one value (all of CKAN's own documents): the count
    # then reads the filter columns from a partial index alone (index-only scan), see statement
    sa.Column("scalars_exact", sa.Boolean, nullable=False),
    # every field as {"field": ["value", ...]}; exact matches and facets read it
    sa.Column("fields", JSONB, nullable=False),
    # analysed text fields (title, notes, extras_*, res_name ...) for per-field text matching
    sa.Column("texts", JSONB, nullable=False),
    # numeric fields as {"field": [1.0, ...]} for ranges and sorting
    sa.Column("nums", JSONB, nullable=False),
    # the document exactly as CKAN sent it (what ``fl`` returns)
    sa.Column("doc", JSONB, nullable=False),
    # every text field, weighted A-D: the GIN index answers text matches (read back only for
    # the rare rechecks, so it lives out of line)
    sa.Column("search_vector", TSVECTOR, nullable=False),
    # the A and B parts (title, tags) kept in the row: ``ts_rank`` reads it for every hit
    sa.Column("rank_vector", TSVECTOR, nullable=False),
    # "field=value" of the facet fields (fields.FACET_FIELDS): facet counts read only this
    sa.Column("facets", ARRAY(sa.Text), nullable=False),
    # every exact "field=value" pair of ``fields``, numbers and present fields, one lexeme each
    # (documents.term_lexeme, number_lexeme, exists_lexeme): every exact filter reads its GIN
    sa.Column("terms", TSVECTOR, nullable=False),
    sa.Column("metadata_created", sa.DateTime(timezone=True)),
    sa.Column("metadata_modified", sa.DateTime(timezone=True)),
    sa.Column("title_sort", sa.Text),
    sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False,
              server_default=sa.func.now()),
)
