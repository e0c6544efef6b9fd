"""Routes CKAN's Solr entry points to the PostgreSQL connection.

``make_connection`` is imported by name into ``ckan.lib.search`` and its ``common``, ``index``
and ``query`` modules, so each binding is replaced. The start-up schema check and the
availability probe stop talking to Solr. Installing is idempotent (``update_config`` runs more
than once) and global for the process, like any monkeypatch made at plugin load.
"""
from __future__ import annotations

import logging
from typing import Any

from ckanext.splpdepok.search.connection import (
    COMMITTING,
    PENDING,
    PostgresSearchConnection,
    flush_pending,
)

log = logging.getLogger(__name__)

_MODULES = (
    "ckan.lib.search",
    "ckan.lib.search.common",
    "ckan.lib.search.index",
    "ckan.lib.search.query",
)
_originals: dict[tuple[str, str], Any] = {}


def make_connection(decode_dates: bool = True) -> PostgresSearchConnection:
    return PostgresSearchConnection(decode_dates=decode_dates)


def is_available() -> bool:
    """True when the index table answers (logged quietly, never a Solr error)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        make_connection().ping()
    except SQLAlchemyError as error:
        log.warning("PostgreSQL search index is not available: %s", error)
        return False
    return True


def check_solr_schema_version(schema_file: str | None = None) -> bool:
    """No Solr to ask: the index table comes from our alembic migration.

    An explicit schema file (CKAN's own tests) is still checked by CKAN's function: it only
    reads the file.
    """
    if schema_file:
        original = _originals.get(("ckan.lib.search", "check_solr_schema_version"))
        if original is not None:
            return original(schema_file)
    return True


_REPLACEMENTS = {
    "make_connection": make_connection,
    "is_available": is_available,
    "check_solr_schema_version": check_solr_schema_version,
}


def _mark_committing(session: Any) -> None:
    if session.info.get(PENDING):
        flush_pending()  # buffered index rows are part of this commit
    session.info[COMMITTING] = True


def _transaction_ended(session: Any, transaction: Any) -> None:
    # flushes open sub-transactions inside a commit: only the outermost one ends it; rows
    # still buffered then belong to a transaction that rolled back
    if transaction.parent is None:
        session.info.pop(COMMITTING, None)
        session.info.pop(PENDING, None)


def _listen_to_commits() -> None:
    """Flags CKAN's session while it commits (ours runs before CKAN's own ``before_commit``)."""
    from ckan import model
    from sqlalchemy import event

    if event.contains(model.Session, "before_commit", _mark_committing):
        return
    event.listen(model.Session, "before_commit", _mark_committing, insert=True)
    event.listen(model.Session, "after_transaction_end", _transaction_ended)


def install() -> None:
    import importlib

    _listen_to_commits()

    for module_name in _MODULES:
        module = importlib.import_module(module_name)
        for attr, replacement in _REPLACEMENTS.items():
            current = getattr(module, attr, None)
            if current is None or current is replacement:
                continue
            _originals.setdefault((module_name, attr), current)
            setattr(module, attr, replacement)


def installed() -> bool:
    from ckan.lib import search

    return search.make_connection is make_connection


def uninstall() -> None:
    """Restores CKAN's Solr functions (tests of the install itself only)."""
    import importlib

    for (module_name, attr), original in _originals.items():
        setattr(importlib.import_module(module_name), attr, original)
    _originals.clear()
