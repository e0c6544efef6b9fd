"""Aware timestamps everywhere; the SPLP side's run and ledger named for what they are.

* Every naive ``timestamp`` column becomes ``timestamp with time zone``; the stored values were
  written as UTC, so they are converted ``AT TIME ZONE 'UTC'`` (no instant moves).
* ``splpdepok_lid_sync_run`` → ``splpdepok_lid_publication_run`` (with a ``heartbeat`` column:
  publication runs share the run framework of catalog sync, which reaps by heartbeat) and
  ``splpdepok_lid_ledger`` → ``splpdepok_lid_publication_ledger``.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NAIVE: dict[str, tuple[str, ...]] = {
    "splpdepok_registrations": ("created", "modified", "submitted", "decided"),
    "splpdepok_registration_documents": ("created",),
    "splpdepok_ippds": ("created", "modified"),
    "splpdepok_notices": ("created", "read_at"),
    "splpdepok_sop_events": ("created",),
    "splpdepok_lid": ("created", "modified"),
    "splpdepok_lid_ledger": ("synced", "modified"),
    "splpdepok_lid_plan": ("created", "modified"),
    "splpdepok_lid_sync_run": ("created", "started", "finished"),
    "splpdepok_lid_check": ("created",),
}
RENAMED = {"splpdepok_lid_sync_run": "splpdepok_lid_publication_run",
           "splpdepok_lid_ledger": "splpdepok_lid_publication_ledger"}


def _retype(table: str, columns: tuple[str, ...], aware: bool) -> None:
    target = "timestamp with time zone" if aware else "timestamp without time zone"
    for column in columns:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {target} '
                   f"USING \"{column}\" AT TIME ZONE 'UTC'")


def upgrade() -> None:
    for table, columns in NAIVE.items():
        _retype(table, columns, aware=True)
    op.add_column("splpdepok_lid_sync_run",
                  sa.Column("heartbeat", sa.DateTime(timezone=True), nullable=True))
    for old, new in RENAMED.items():
        op.rename_table(old, new)
    op.execute("ALTER INDEX splpdepok_lid_sync_run_plan_idx "
               "RENAME TO splpdepok_lid_publication_run_plan_idx")


def downgrade() -> None:
    op.execute("ALTER INDEX splpdepok_lid_publication_run_plan_idx "
               "RENAME TO splpdepok_lid_sync_run_plan_idx")
    for old, new in RENAMED.items():
        op.rename_table(new, old)
    op.drop_column("splpdepok_lid_sync_run", "heartbeat")
    for table, columns in NAIVE.items():
        _retype(table, columns, aware=False)
