"""Builds the one SQL statement that answers a search: count, facets and the page of documents.

All filters (``q`` and every ``fq``, permission labels included) are the same condition in the
count, the facets and the page, so counts and facets never include what the caller may not
see. The statement returns rows tagged by ``kind``: 0 = total count, 1 = a facet value,
2 = a result document.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckanext.splpdepok.search import lucene
from ckanext.splpdepok.search.fields import Kind, is_facet_field, kind_of
from ckanext.splpdepok.search.params import SearchRequest, SortClause
from ckanext.splpdepok.search.sql import Builder
from ckanext.splpdepok.search.table import search_index_table
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, psycopg2

KIND_COUNT, KIND_FACET, KIND_DOC = 0, 1, 2


# where the request's own condition and rank go in a statement template (see ``build``)
_CONDITION = "__splpdepok_condition__"
_EXACT_CONDITION = "__splpdepok_exact_condition__"
_RANK = "__splpdepok_rank__"
_BIND_RE = re.compile(r"%\((\w+)\)s")
# the driver's dialect as CKAN's engine has it after connecting (standard_conforming_strings
# on: a backslash in a literal, e.g. LIKE's ESCAPE, stays single); ``build`` takes the engine's
_default_dialect = psycopg2.dialect()
_default_dialect._backslash_escapes = False  # type: ignore[attr-defined]
_TEMPLATES_MAX = 256


@dataclass(frozen=True)
class Built:
    """The SQL text of one search and its parameters, for the psycopg2 driver as they are."""

    sql: str
    params: dict[str, Any]
    wants_score: bool


@dataclass(frozen=True)
class _Template:
    sql: str
    params: dict[str, Any]


def where_clause(request: SearchRequest, text_config: str, now: dt.datetime | None = None,
                 exact_scalars: bool = False) -> tuple[Any, Any | None]:
    """(condition, rank expression or None without a text query) for q + every fq.

    The rank reads ``rank_vector`` (title and tags, CKAN's boosted fields, kept in the row),
    not the full vector (out of line, and several KB for a long description): hits in the title
    or tags rank first, and hits found only in the description, resources or extras tie at 0,
    ordered by the next sort key (CKAN's default: most recently modified first).
    """
    t = search_index_table
    q_builder = Builder(text_config=text_config, table=t, now=now, exact_scalars=exact_scalars)
    conds = [q_builder.condition(request.q, request.min_should)]
    fq_builder = Builder(text_config=text_config, table=t, now=now, collect_rank=False,
                         exact_scalars=exact_scalars)
    conds.extend(fq_builder.condition(fq) for fq in request.fqs)
    conds = [c for c in conds if c is not None]
    condition = sa.and_(*conds) if len(conds) > 1 else conds[0]
    if q_builder.rank_queries:
        tsq = q_builder.rank_queries[0]
        for extra in q_builder.rank_queries[1:]:
            tsq = tsq.op("||")(extra)
        rank = sa.func.ts_rank(t.c.rank_vector, tsq)
    else:
        rank = None
    return condition, rank


def _sort_keys(clause: SortClause, rank: Any | None) -> list[Any]:
    t = search_index_table
    name = clause.field
    if name == "score":
        keys = [rank]
    elif name in ("metadata_modified", "metadata_created"):
        keys = [t.c[name]]
    elif name == "title_string":
        keys = [sa.func.lower(t.c.title_sort).collate("C"), t.c.title_sort.collate("C")]
    elif name in ("name", "id", "index_id"):
        keys = [t.c[name].collate("C")]
    else:
        source = t.c.texts if kind_of(name) is Kind.TEXT else t.c.fields
        first_text = source[name].op("->>")(0)
        keys = [sa.cast(t.c.nums[name].op("->")(0), sa.Numeric), first_text.collate("C")]
        if kind_of(name) is Kind.DATE:
            keys = [first_text.collate("C")]
    return keys


def build(request: SearchRequest, text_config: str, now: dt.datetime | None = None,
          dialect: Any = None) -> Built:
    """One statement: the count, the facets and the page, each its own scan of the filters.

    Nothing is materialised: the count reads only the narrow row (GIN bitmap plus the filter
    columns), the page is a top-N (or, sorted by date, title or name, read in order from a
    matching btree and stopped after the page), and facets unnest the row's ``facets``.

    Only the condition and the rank are built and compiled per request. The rest of the
    statement (its shape: sort, facets, fields, page) is compiled once into a template with
    placeholders for them, and reused by every request of that shape: building and compiling
    the whole statement cost several ms of Python per search.
    """
    dialect = dialect or _default_dialect
    condition, rank = where_clause(request, text_config, now)
    wants_score = "score" in request.fl or any(c.field == "score" for c in request.sort)
    compiler = dialect.statement_compiler(dialect, None)
    condition_sql = compiler.process(condition)
    exact_sql = compiler.process(where_clause(request, text_config, now, exact_scalars=True)[0])
    template = _template(request, rank is not None, wants_score, dialect)
    sql = template.sql.replace(_EXACT_CONDITION, exact_sql).replace(_CONDITION, condition_sql)
    if rank is not None:
        sql = sql.replace(_RANK, compiler.process(rank))
    return Built(sql=sql, params={**template.params, **_bound(compiler, dialect)},
                 wants_score=wants_score)


def _bound(compiler: Any, dialect: Any) -> dict[str, Any]:
    """The compiler's parameters as the driver takes them (types' bind processors applied)."""
    out: dict[str, Any] = {}
    for bind, name in compiler.bind_names.items():
        value = bind.effective_value
        processor = bind.type._cached_bind_processor(dialect)
        out[name] = processor(value) if processor is not None else value
    return out


_templates: OrderedDict[tuple[Any, ...], _Template] = OrderedDict()
_templates_lock = threading.Lock()


def _template(request: SearchRequest, ranked: bool, wants_score: bool,
              dialect: Any) -> _Template:
    facet_fields = tuple(request.facet_fields) if request.facet_limit != 0 else ()
    key = (tuple(request.fl), tuple((c.field, c.descending) for c in request.sort),
           facet_fields, request.facet_limit, request.facet_mincount, request.rows,
           request.start, ranked, wants_score, id(dialect))
    with _templates_lock:  # web workers run threads (gunicorn --threads 4)
        template = _templates.get(key)
        if template is not None:
            _templates.move_to_end(key)
            return template
    template = _compile_template(request, list(facet_fields), ranked, wants_score, dialect)
    with _templates_lock:
        _templates[key] = template
        if len(_templates) > _TEMPLATES_MAX:
            _templates.popitem(last=False)
    return template


def _compile_template(request: SearchRequest, facet_fields: list[str], ranked: bool,
                      wants_score: bool, dialect: Any) -> _Template:
    t = search_index_table
    condition = sa.literal_column(_CONDITION, sa.Boolean)
    rank = sa.literal_column(_RANK, sa.Float) if ranked else None
    score = rank if rank is not None and wants_score else sa.cast(sa.literal(0.0), sa.Float)
    # the count in two parts: rows whose scalar columns are exact (CKAN's own documents: the
    # filter columns come from a partial index, an index-only scan when nothing else is asked)
    # and the others (a plugin's multi-valued state or site_id), with the full condition
    exact = sa.literal_column(_EXACT_CONDITION, sa.Boolean)
    count = (
        sa.select(sa.func.count()).select_from(t)
        .where(sa.and_(t.c.scalars_exact, exact)).scalar_subquery()
        + sa.select(sa.func.count()).select_from(t)
        .where(sa.and_(sa.not_(t.c.scalars_exact), condition)).scalar_subquery()
    )
    parts: list[Any] = [
        sa.select(
            sa.literal(KIND_COUNT).label("kind"), sa.null().label("field"),
            sa.null().label("value"), count.label("n"),
            sa.cast(sa.null(), JSONB).label("doc"), sa.cast(sa.null(), sa.Float).label("score"),
        )
    ]
    if facet_fields:
        parts.append(_facet_select(request, condition, facet_fields))
    if request.rows > 0:
        parts.append(_page_select(request, condition, rank, score))
    union = sa.union_all(*parts).subquery("answer")
    compiled = sa.select(union).order_by(union.c.kind, union.c.field, union.c.n).compile(
        dialect=dialect)
    # the template's own parameters renamed apart from those of the conditions put into it
    params = {f"t_{name}": value for name, value in _bound(compiled, dialect).items()}
    sql = _BIND_RE.sub(lambda m: f"%(t_{m.group(1)})s", compiled.string)
    return _Template(sql=sql, params=params)


def _order_keys(request: SearchRequest, rank: Any | None) -> list[tuple[Any, bool]]:
    """(key, descending) of the page order, the tie-break last. A score without a text query
    is the same for every row: left out, so the next key can be read from its index."""
    keys: list[tuple[Any, bool]] = []
    for clause in request.sort:
        if clause.field == "score":
            if rank is not None:
                keys.append((rank, clause.descending))
            continue
        keys.extend((key, clause.descending) for key in _sort_keys(clause, rank))
    keys.append((search_index_table.c.index_id, False))
    return keys


def _ordered(keys: list[tuple[Any, bool]]) -> list[Any]:
    return [key.desc().nulls_last() if desc else key.asc().nulls_last() for key, desc in keys]


def _page_select(request: SearchRequest, condition: Any, rank: Any | None, score: Any) -> Any:
    t = search_index_table
    keys = _order_keys(request, rank)
    # the page's keys first (narrow rows: a top-N, or an index walk that stops after the
    # page), the stored documents of those rows only afterwards
    labelled = [key.label(f"k{i}") for i, (key, _) in enumerate(keys[:-1])]
    page = (
        sa.select(t.c.index_id, score.label("score"), *labelled)
        .where(condition).order_by(*_ordered(keys))
        .limit(request.rows).offset(request.start).subquery("page")
    )
    outer_keys = [(page.c[f"k{i}"], desc) for i, (_, desc) in enumerate(keys[:-1])]
    outer_keys.append((page.c.index_id, False))
    ordinal = sa.func.row_number().over(order_by=_ordered(outer_keys))
    doc_table = t.alias("stored")
    return sa.select(
        sa.literal(KIND_DOC).label("kind"), sa.null().label("field"),
        sa.null().label("value"), ordinal.label("n"),
        _doc_expression(request.fl, doc_table).label("doc"), page.c.score.label("score"),
    ).select_from(page.join(doc_table, doc_table.c.index_id == page.c.index_id))


def _doc_expression(fl: list[str], t: Any) -> Any:
    if fl == ["*"]:
        return t.c.doc
    names = [n for n in fl if n != "score"] or ["id"]
    args: list[Any] = []
    for name in names:
        args.extend([sa.literal(name, sa.Text), t.c.doc[name]])
    return sa.func.jsonb_build_object(*args)


def _facet_select(request: SearchRequest, condition: Any,
                  facet_fields: list[str]) -> Any:
    t = search_index_table
    per_field: list[Any] = []
    narrow = [name for name in facet_fields if is_facet_field(name)]
    if narrow:
        # one pass over the matched rows' ``facets``: "field=value" split after counting
        element = sa.func.unnest(t.c.facets).table_valued("term").render_derived().lateral(
            "facet_term")
        counted = (
            sa.select(element.c.term, sa.func.count().label("n"))
            .select_from(t.join(element, sa.true()))
            .where(condition)
            .where(sa.func.split_part(element.c.term, "=", 1) == sa.any_(
                sa.bindparam("facet_fields", narrow, type_=ARRAY(sa.Text))))
            .group_by(element.c.term)
            .subquery("facet_terms")
        )
        split = sa.func.strpos(counted.c.term, "=")
        per_field.append(sa.select(
            sa.func.substr(counted.c.term, 1, split - 1).label("fname"),
            sa.func.substr(counted.c.term, split + 1).label("value"), counted.c.n))
    for name in facet_fields:
        if is_facet_field(name):
            continue
        values = sa.func.jsonb_array_elements_text(_facet_values(t, name)).table_valued(
            "value").lateral(f"fv_{len(per_field)}")
        distinct = (
            sa.select(t.c.index_id, values.c.value).distinct()
            .select_from(t.join(values, sa.true())).where(condition)
            .subquery(f"fd_{len(per_field)}")
        )
        per_field.append(
            sa.select(sa.literal(name, sa.Text).label("fname"), distinct.c.value,
                      sa.func.count().label("n"))
            .group_by(distinct.c.value)
        )
    counts = sa.union_all(*per_field).subquery("facet_counts") if len(per_field) > 1 \
        else per_field[0].subquery("facet_counts")
    ranked = (
        sa.select(
            counts.c.fname, counts.c.value, counts.c.n,
            sa.func.row_number().over(
                partition_by=counts.c.fname,
                order_by=(counts.c.n.desc(), counts.c.value.collate("C")),
            ).label("rn"),
        )
        .where(counts.c.n >= max(1, request.facet_mincount))
        .subquery("facet_ranked")
    )
    select = sa.select(
        sa.literal(KIND_FACET).label("kind"), ranked.c.fname.label("field"),
        ranked.c.value.label("value"), ranked.c.rn.label("n"),
        sa.func.to_jsonb(ranked.c.n).label("doc"), sa.cast(sa.null(), sa.Float).label("score"),
    )
    if request.facet_limit > 0:
        select = select.where(ranked.c.rn <= request.facet_limit)
    return select


def _facet_values(t: Any, name: str) -> Any:
    if kind_of(name) is Kind.TEXT:
        return sa.func.coalesce(t.c.fields[name], t.c.texts[name])
    return t.c.fields[name]


def delete_statement(node: lucene.Node, text_config: str) -> Any:
    condition = Builder(text_config=text_config, collect_rank=False).condition(node)
    return sa.delete(search_index_table).where(condition)
