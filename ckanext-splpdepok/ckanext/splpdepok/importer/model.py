"""The import ledger: what was imported from the old portal, so a re-run changes nothing.

One row per imported organization, group or dataset (by its id on the old portal): the hash of
the payload written and the local ``metadata_modified`` right after the write (a later local
edit shows as a different value: such datasets are not overwritten). The table comes only from
the migration ``0006_importer``.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.importer.planner import Record

record_table = sa.Table(
    "splpdepok_import_record",
    tk.BaseModel.metadata,
    sa.Column("kind", sa.UnicodeText, primary_key=True),
    sa.Column("remote_id", sa.UnicodeText, primary_key=True),
    sa.Column("local_id", sa.UnicodeText, nullable=False),
    sa.Column("name", sa.UnicodeText, nullable=False),
    sa.Column("source_url", sa.UnicodeText, nullable=False),
    sa.Column("content_hash", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("local_modified", sa.UnicodeText, nullable=True),
    sa.Column("imported", sa.DateTime(timezone=True), nullable=False),
)


class ImportRecord(tk.BaseModel):
    __table__ = record_table


def records(kind: str) -> dict[str, Record]:
    rows = model.Session.query(ImportRecord).filter(ImportRecord.kind == kind)
    return {r.remote_id: Record(r.remote_id, r.local_id, r.content_hash, r.local_modified)
            for r in rows}


def remember(kind: str, remote_id: str, local_id: str, name: str, source_url: str,
             content_hash: str = "", local_modified: str | None = None) -> None:
    """Insert or update the row (in the caller's transaction)."""
    row = model.Session.get(ImportRecord, (kind, remote_id))
    if row is None:
        row = ImportRecord(kind=kind, remote_id=remote_id)
        model.Session.add(row)
    row.local_id, row.name, row.source_url = local_id, name, source_url
    row.content_hash, row.local_modified = content_hash, local_modified
    row.imported = now()
