"""Rebuilds a search index table created by a pre-release 0001 with an older column layout.

0001 changed in place while the backend was being tuned (``label_public`` and ``terms``
replaced ``permission_labels``). Databases stamped 0001 with the old layout get the current
table here; the index is derived data, so afterwards run ``ckan search-index rebuild``. On a
database created by the current 0001 this migration does nothing.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLE = "splpdepok_search_index"
CURRENT_COLUMNS = {"label_public", "terms"}


def _first_revision():  # type: ignore[no-untyped-def]
    path = Path(__file__).with_name("0001_search_index.py")
    spec = importlib.util.spec_from_file_location("splpdepok_search_0001", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(TABLE)}
    if columns >= CURRENT_COLUMNS:
        return
    op.drop_table(TABLE)
    _first_revision().upgrade()


def downgrade() -> None:
    pass
