"""Settings of the catalog checks of a sync target: the remote catalog's read address, its API
form (plain CKAN or data.go.id's proxy) and the Jabar region.

Revision ID: 0005
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "splpdepok_sync_target"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("catalog_url", sa.UnicodeText, nullable=False,
                                   server_default=""))
    op.add_column(TABLE, sa.Column("catalog_api", sa.UnicodeText, nullable=False,
                                   server_default="ckan"))
    op.add_column(TABLE, sa.Column("regional_id", sa.Integer, nullable=False,
                                   server_default="15"))


def downgrade() -> None:
    for column in ("regional_id", "catalog_api", "catalog_url"):
        op.drop_column(TABLE, column)
