"""Builds the one SQL statement that answers a search: count, facets and the page of documents.

All filters (``q`` and every ``fq``, permission labels included) are applied in the ``matched``
CTE before anything is counted, so counts and facets never include what the caller may not
see. The statement returns rows tagged by ``kind``: 0 = total count, 1 = a facet value,
2 = a result document.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckanext.splpdepok.search import lucene
from ckanext.splpdepok.search.fields import Kind, kind_of
from ckanext.splpdepok.search.params import SearchRequest, SortClause
from ckanext.splpdepok.search.sql import Builder
from ckanext.splpdepok.search.table import search_index_table
from sqlalchemy.dialects.postgresql import JSONB

KIND_COUNT, KIND_FACET, KIND_DOC = 0, 1, 2


@dataclass
class Built:
    statement: Any
    wants_score: bool


def where_clause(request: SearchRequest, text_config: str,
                 now: dt.datetime | None = None) -> tuple[Any, Any]:
    """(condition, rank expression) for q + every fq."""
    t = search_index_table
    q_builder = Builder(text_config=text_config, table=t, now=now)
    conds = [q_builder.condition(request.q, request.min_should)]
    fq_builder = Builder(text_config=text_config, table=t, now=now, collect_rank=False)
    conds.extend(fq_builder.condition(fq) for fq in request.fqs)
    conds = [c for c in conds if c is not None]
    condition = sa.and_(*conds) if len(conds) > 1 else conds[0]
    if q_builder.rank_queries:
        tsq = q_builder.rank_queries[0]
        for extra in q_builder.rank_queries[1:]:
            tsq = tsq.op("||")(extra)
        rank = sa.func.ts_rank(t.c.search_vector, tsq)
    else:
        rank = sa.cast(sa.literal(0.0), sa.Float)
    return condition, rank


def _sort_keys(clause: SortClause, rank: Any) -> list[Any]:
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


def build(request: SearchRequest, text_config: str, now: dt.datetime | None = None) -> Built:
    t = search_index_table
    condition, rank = where_clause(request, text_config, now)
    wants_score = "score" in request.fl or any(c.field == "score" for c in request.sort)
    score_col = (rank if wants_score else sa.cast(sa.literal(0.0), sa.Float)).label("score")
    sort_columns: list[Any] = []
    directions: list[bool] = []
    for clause in request.sort:
        if clause.field == "score":
            continue  # sorted on the ``score`` column itself: ts_rank runs once per row
        for key in _sort_keys(clause, rank):
            sort_columns.append(key)
            directions.append(clause.descending)
    labelled = [col.label(f"s{i}") for i, col in enumerate(sort_columns)]
    facet_fields = request.facet_fields if request.facet_limit != 0 else []
    # facet values are read once per matched row, while the row is at hand
    facet_cols = [_facet_values(t, name).label(f"f{i}") for i, name in enumerate(facet_fields)]
    matched = sa.select(t.c.index_id, score_col, *labelled, *facet_cols).where(
        condition).cte("matched")

    parts: list[Any] = [
        sa.select(
            sa.literal(KIND_COUNT).label("kind"), sa.null().label("field"),
            sa.null().label("value"), sa.func.count().label("n"),
            sa.cast(sa.null(), JSONB).label("doc"), sa.cast(sa.null(), sa.Float).label("score"),
        ).select_from(matched)
    ]
    if facet_fields:
        parts.append(_facet_select(request, matched, facet_fields))
    if request.rows > 0:
        parts.append(_page_select(request, matched, t, directions))
    union = sa.union_all(*parts).subquery("answer")
    statement = sa.select(union).order_by(union.c.kind, union.c.field, union.c.n)
    return Built(statement=statement, wants_score=wants_score)


def _order(request: SearchRequest, source: Any, directions: list[bool]) -> list[Any]:
    order: list[Any] = []
    sort_index = 0
    for clause in request.sort:
        if clause.field == "score":
            cols = [source.c.score]
            descs = [clause.descending]
        else:
            count = len(_sort_keys(clause, sa.literal(0.0)))
            cols = [source.c[f"s{sort_index + k}"] for k in range(count)]
            descs = directions[sort_index:sort_index + count]
            sort_index += count
        for col, desc in zip(cols, descs, strict=True):
            order.append(col.desc().nulls_last() if desc else col.asc().nulls_last())
    order.append(source.c.index_id)
    return order


def _page_select(request: SearchRequest, matched: Any, t: Any, directions: list[bool]) -> Any:
    # ORDER BY + LIMIT on the matched rows (a top-N sort), numbered afterwards
    page = (
        sa.select(matched)
        .order_by(*_order(request, matched, directions))
        .limit(request.rows).offset(request.start).subquery("page")
    )
    ordinal = sa.func.row_number().over(order_by=_order(request, page, directions))
    return sa.select(
        sa.literal(KIND_DOC).label("kind"), sa.null().label("field"),
        sa.null().label("value"), ordinal.label("n"),
        _doc_expression(request.fl, t).label("doc"), page.c.score.label("score"),
    ).select_from(page.join(t, t.c.index_id == page.c.index_id))


def _doc_expression(fl: list[str], t: Any) -> Any:
    if fl == ["*"]:
        return t.c.doc
    names = [n for n in fl if n != "score"] or ["id"]
    args: list[Any] = []
    for name in names:
        args.extend([sa.literal(name, sa.Text), t.c.doc[name]])
    return sa.func.jsonb_build_object(*args)


def _facet_values(t: Any, name: str) -> Any:
    if kind_of(name) is Kind.TEXT:
        return sa.func.coalesce(t.c.fields[name], t.c.texts[name])
    return t.c.fields[name]


def _facet_select(request: SearchRequest, matched: Any, facet_fields: list[str]) -> Any:
    per_field = []
    for i, name in enumerate(facet_fields):
        element = sa.func.jsonb_array_elements_text(matched.c[f"f{i}"]).table_valued(
            "value").lateral(f"fv{i}")
        per_field.append(
            sa.select(sa.literal(name, sa.Text).label("fname"), element.c.value,
                      sa.func.count().label("n"))
            .select_from(matched.join(element, sa.true()))
            .group_by(element.c.value)
        )
    counts = sa.union_all(*per_field).subquery("facet_counts")
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


def delete_statement(node: lucene.Node, text_config: str) -> Any:
    condition = Builder(text_config=text_config, collect_rank=False).condition(node)
    return sa.delete(search_index_table).where(condition)
