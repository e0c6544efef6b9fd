"""A pysolr-compatible connection backed by PostgreSQL.

CKAN's ``PackageSearchIndex`` and ``PackageSearchQuery`` stay in charge (they build the
documents, add CKAN's filters, read the results); only the object returned by
``make_connection()`` changes. Writes go through CKAN's ``model.Session``, so an index update
commits (or rolls back) together with the dataset change that caused it.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

import pysolr
import sqlalchemy as sa
from ckanext.splpdepok.search import lucene, statement
from ckanext.splpdepok.search.documents import IndexRow, build_row
from ckanext.splpdepok.search.params import ParamError, parse_request
from ckanext.splpdepok.search.settings import text_config
from ckanext.splpdepok.search.sql import QueryError
from ckanext.splpdepok.search.table import TABLE_NAME, search_index_table
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

URL = f"postgresql://{TABLE_NAME}"


def _session() -> Any:
    from ckan import model

    return model.Session


COMMITTING = "splpdepok_search_committing"


def _commit_if_asked(commit: bool | None) -> None:
    """Solr's ``commit=True``: commit CKAN's session, unless it is already committing.

    Index updates made while CKAN commits a dataset change (``before_commit``) are part of
    that commit; committing again from inside it is impossible and never needed.
    """
    session = _session()
    if commit and not session().info.get(COMMITTING):
        session.commit()


def _errors() -> tuple[type[Exception], type[Exception], type[Exception]]:
    from ckan.lib.search.common import SearchError, SearchIndexError, SearchQueryError

    return SearchError, SearchIndexError, SearchQueryError


PENDING = "splpdepok_search_pending"
# rows written per INSERT when CKAN defers commits (``search-index rebuild``, bulk loads)
BATCH_SIZE = 500
_TEXT_PARTS = (("A", "text_a"), ("B", "text_b"), ("C", "text_c"), ("D", "text_d"))


def _weighted(cfg: Any, parts: tuple[tuple[str, str], ...]) -> Any:
    vectors = [sa.func.setweight(sa.func.to_tsvector(cfg, sa.bindparam(key, type_=sa.Text)),
                                 weight) for weight, key in parts]
    vector = vectors[0]
    for part in vectors[1:]:
        vector = vector.op("||")(part)
    return vector


_upserts: dict[str, Any] = {}


def _upsert(config_name: str) -> Any:
    """The one INSERT … ON CONFLICT statement (built once per text configuration).

    Executed with a list of rows it runs as one multi-row INSERT per page (psycopg2's
    ``execute_values``), and SQLAlchemy compiles it once.
    """
    stmt = _upserts.get(config_name)
    if stmt is not None:
        return stmt
    t = search_index_table
    cfg = sa.literal_column(f"'{config_name}'::regconfig")
    values: dict[str, Any] = {
        c.name: sa.bindparam(c.name, type_=c.type) for c in t.c
        if c.name not in ("search_vector", "rank_vector", "terms", "indexed_at")}
    values["search_vector"] = _weighted(cfg, _TEXT_PARTS)
    values["rank_vector"] = _weighted(cfg, _TEXT_PARTS[:2])
    values["terms"] = sa.func.array_to_tsvector(sa.bindparam("terms", type_=ARRAY(sa.Text)))
    values["indexed_at"] = sa.func.now()
    stmt = insert(t).values(values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.c.index_id],
        set_={c.name: stmt.excluded[c.name] for c in t.c if c.name != "index_id"},
    )
    _upserts[config_name] = stmt
    return stmt


def _write(rows: Iterable[IndexRow]) -> None:
    index_error = _errors()[1]
    params = [row.as_params() for row in rows]
    if not params:
        return
    try:
        _session().execute(_upsert(text_config()), params)
    except SQLAlchemyError as error:
        log.exception("search index write failed")
        raise index_error(f"could not write the search index: {error}") from error


def _pending(create: bool = False) -> dict[str, IndexRow] | None:
    info = _session()().info
    if create:
        return info.setdefault(PENDING, {})
    return info.get(PENDING)


def flush_pending() -> None:
    """Writes the rows buffered in this transaction (before a commit, a read or a delete)."""
    pending = _pending()
    if pending:
        rows = list(pending.values())
        pending.clear()
        _write(rows)


class PostgresSearchConnection:
    """Implements the part of ``pysolr.Solr`` CKAN calls: add, delete, commit, search."""

    url = URL

    def __init__(self, decode_dates: bool = True) -> None:
        self.decode_dates = decode_dates

    # --- writes ------------------------------------------------------------------------------

    def add(self, docs: Iterable[dict[str, Any]], commit: bool | None = None,
            **_: Any) -> str:
        """Upserts documents in CKAN's transaction.

        With ``commit`` (every dataset change CKAN indexes as it commits) the row is written at
        once. Without it (``search-index rebuild`` and other bulk work) rows wait in the
        session and are written ``BATCH_SIZE`` at a time, and before the transaction commits or
        anything reads the index; a rollback drops them with the rest of the transaction.
        """
        try:
            rows = {row.index_id: row for row in (build_row(doc) for doc in docs)}
        except (ValueError, TypeError) as error:
            raise pysolr.SolrError(f"invalid document: {error}") from error
        if not rows:
            return ""
        if commit or _session()().info.get(COMMITTING):
            flush_pending()
            _write(rows.values())
            _commit_if_asked(commit)
            return ""
        pending = _pending(create=True)
        assert pending is not None
        pending.update(rows)
        if len(pending) >= BATCH_SIZE:
            flush_pending()
        return ""

    def delete(self, id: str | list[str] | None = None, q: str | None = None,
               commit: bool | None = None, **_: Any) -> str:
        index_error = _errors()[1]
        table = search_index_table
        flush_pending()
        if id is not None:
            ids = [id] if isinstance(id, str) else list(id)
            stmt = sa.delete(table).where(table.c.index_id.in_(ids))
        elif q is not None:
            try:
                stmt = statement.delete_statement(lucene.parse(q), text_config())
            except (lucene.QuerySyntaxError, QueryError) as error:
                raise pysolr.SolrError(f"invalid delete query {q!r}: {error}") from error
        else:
            raise ValueError("you must specify 'id' or 'q'")
        try:
            _session().execute(stmt)
        except SQLAlchemyError as error:
            log.exception("search index delete failed")
            raise index_error(f"could not delete from the search index: {error}") from error
        _commit_if_asked(commit)
        return ""

    def commit(self, **_: Any) -> str:
        """Explicit commits (search-index rebuild/clear, bulk updates) commit CKAN's session."""
        _commit_if_asked(True)
        return ""

    def optimize(self, **_: Any) -> str:
        return ""

    def ping(self, **_: Any) -> str:
        flush_pending()
        _session().execute(sa.select(sa.func.count()).select_from(
            sa.select(search_index_table.c.index_id).limit(1).subquery()))
        return "OK"

    # --- reads -------------------------------------------------------------------------------

    def search(self, q: str | None = None, search_handler: str | None = None,
               **kwargs: Any) -> pysolr.Results:
        query_error = _errors()[2]
        started = time.perf_counter()
        params = dict(kwargs)
        if q is not None:
            params["q"] = q
        try:
            request = parse_request(params)
            built = statement.build(request, text_config(),
                                    dialect=_session().get_bind().dialect)
        except (ParamError, QueryError) as error:
            raise query_error(str(error)) from error
        try:
            flush_pending()
            rows = _session().connection().exec_driver_sql(built.sql, built.params).fetchall()
        except SQLAlchemyError as error:
            log.exception("search query failed")
            search_error = _errors()[0]
            raise search_error("the search backend could not run this query") from error
        return pysolr.Results(self._decoded(request, rows, built.wants_score, started))

    def _decoded(self, request: Any, rows: list[Any], wants_score: bool,
                 started: float) -> dict[str, Any]:
        hits = 0
        facets: dict[str, list[Any]] = {name: [] for name in request.facet_fields}
        docs: list[dict[str, Any]] = []
        for row in rows:
            if row.kind == statement.KIND_COUNT:
                hits = int(row.n)
            elif row.kind == statement.KIND_FACET:
                facets[row.field].extend([row.value, int(row.doc)])
            else:
                doc = {k: v for k, v in (row.doc or {}).items() if v is not None}
                if wants_score and (request.fl == ["*"] or "score" in request.fl):
                    doc["score"] = float(row.score or 0.0)
                if self.decode_dates:
                    from ckan.lib.search.common import solr_datetime_decoder

                    doc = solr_datetime_decoder(doc)
                docs.append(doc)
        return {
            "responseHeader": {"status": 0,
                               "QTime": int((time.perf_counter() - started) * 1000)},
            "response": {"numFound": hits, "start": request.start, "docs": docs},
            "facet_counts": {"facet_queries": {}, "facet_fields": facets,
                             "facet_ranges": {}, "facet_intervals": {},
                             "facet_heatmaps": {}},
        }
