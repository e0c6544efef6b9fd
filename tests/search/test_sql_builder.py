"""Unit tests of parameters -> SQL (no database): values are bound, never spliced."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import sqlalchemy as sa
from ckanext.splpdepok.search import statement
from ckanext.splpdepok.search.fields import canonical_date, parse_date_bound
from ckanext.splpdepok.search.lucene import parse
from ckanext.splpdepok.search.params import (
    ParamError,
    min_should_match,
    parse_fl,
    parse_request,
    parse_sort,
)
from ckanext.splpdepok.search.sql import Builder, QueryError
from ckanext.splpdepok.search.table import search_index_table as t
from sqlalchemy.dialects import postgresql


def compile_where(q: str) -> tuple[str, dict[str, Any]]:
    cond = Builder().condition(parse(q))
    compiled = sa.select(t.c.id).where(cond).compile(dialect=postgresql.dialect())
    return str(compiled), dict(compiled.params)


def test_string_field_is_a_bound_single_lexeme_tsquery() -> None:
    sql, params = compile_where('tags:"air bersih"')
    assert "terms @@ CAST(" in sql and "AS tsquery)" in sql
    assert "air bersih" not in sql
    assert "'tags=air bersih'" in params.values()


def test_overlong_values_are_found_by_hash_and_confirmed_by_value() -> None:
    sql, params = compile_where(f'res_url:"{"x" * 2000}"')
    assert "terms @@" in sql and "fields @>" in sql
    assert any(str(v).startswith("'res_url#") for v in params.values())


def test_numbers_and_presence_are_index_terms() -> None:
    sql, params = compile_where("views_total:3 AND extras_frekuensi:*")
    assert "nums" not in sql and "texts" not in sql and sql.count("terms @@") == 2
    assert {"'views_total~3.0'", "'extras_frekuensi?'"} <= {str(v) for v in params.values()}


def test_injection_attempt_stays_a_parameter() -> None:
    evil = "x'); DROP TABLE package; --"
    sql, params = compile_where(f'name:"{evil}" OR title:"{evil}"')
    assert "DROP" not in sql
    assert any("DROP" in str(v) for v in params.values())


def test_default_text_terms_merge_into_one_tsquery() -> None:
    sql, _ = compile_where("sungai ciliwung -banjir")
    assert sql.count("@@") == 1
    assert "tsquery_not" in sql
    assert "'indonesian'::regconfig" in sql


def test_title_is_restricted_to_weight_a() -> None:
    sql, _ = compile_where("title:sungai")
    assert "ts_filter" in sql and "'{a}'" in sql


def test_scalar_columns_for_ckan_filters() -> None:
    sql, _ = compile_where("+state:active +capacity:public +permission_labels:public")
    assert "splpdepok_search_index.state =" in sql
    assert "splpdepok_search_index.capacity =" in sql
    assert "label_public" in sql
    sql, params = compile_where('permission_labels:"member-o1"')
    assert "'permission_labels=member-o1'" in params.values()


def test_date_range_uses_column_and_date_math() -> None:
    sql, params = compile_where("metadata_modified:[NOW-1DAY TO *]")
    assert "metadata_modified >=" in sql
    assert any(isinstance(v, dt.datetime) for v in params.values())


def test_number_range_and_wildcard() -> None:
    sql, _ = compile_where("views_total:[1 TO 10]")
    assert "CAST(n.value AS NUMERIC)" in sql
    sql, params = compile_where("res_format:C?V*")
    assert "LIKE" in sql and "C_V%" in params.values()


def test_bad_values_are_query_errors() -> None:
    with pytest.raises(QueryError):
        Builder().condition(parse("metadata_modified:[kemarin TO *]"))
    with pytest.raises(QueryError):
        Builder().condition(parse("[a TO b]"))
    with pytest.raises(QueryError):
        Builder().condition(parse("views_total:banyak"))


def test_date_helpers() -> None:
    assert canonical_date("2024-03-01T10:00:00Z") == "2024-03-01T10:00:00.000000Z"
    assert canonical_date("2024-03-01T10:00:00+07:00") == "2024-03-01T03:00:00.000000Z"
    assert canonical_date("bukan tanggal") is None
    now = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.timezone.utc)
    assert parse_date_bound("NOW/DAY", now) == "2026-11-26T00:00:00.000000Z"
    assert parse_date_bound("NOW-1MONTH", now) == "2026-10-26T15:30:00.000000Z"
    with pytest.raises(ValueError):
        parse_date_bound("NOW-1FORTNIGHT", now)


def test_sort_parsing() -> None:
    assert [(c.field, c.descending) for c in parse_sort("score desc, metadata_modified desc")] \
        == [("score", True), ("metadata_modified", True)]
    assert parse_sort("title_string ASC")[0].descending is False
    for bad in ("metadata_modified", "name sideways", "geodist() asc", "a asc,", "; drop asc"):
        with pytest.raises(ParamError):
            parse_sort(bad)


def test_fl_parsing() -> None:
    assert parse_fl("id validated_data_dict") == ["id", "validated_data_dict"]
    assert parse_fl("title,name") == ["title", "name"]
    assert parse_fl(["*"]) == ["*"]
    with pytest.raises(ParamError):
        parse_fl("id; drop")


def test_mm() -> None:
    spec = "2<-1 5<80%"
    assert [min_should_match(spec, n) for n in range(1, 8)] == [1, 2, 2, 3, 4, 4, 5]
    assert min_should_match("100%", 3) == 3


@pytest.mark.parametrize("params", [
    {"rows": "many"}, {"rows": -1}, {"start": "x"}, {"facet.limit": "lots"},
    {"facet.mincount": -2}, {"facet.field": ["ok", "not ok"]}, {"q.op": "XOR"},
    {"q": "{!knn f=vector}x"}, {"fq": "title:(x"}, {"sort": "score"},
    {"facet.field": 5}, {"mm": "2<x"},
])
def test_bad_params_raise_param_error(params: dict[str, Any]) -> None:
    with pytest.raises(ParamError):
        parse_request({"defType": "dismax", "q": "a b c", "mm": "2<-1 5<80%", **params})


def test_dismax_mm_requires_most_terms() -> None:
    request = parse_request({"q": "a b c", "defType": "dismax", "mm": "2<-1 5<80%"})
    assert request.min_should == 2
    request = parse_request({"q": "a b", "defType": "dismax", "mm": "2<-1 5<80%"})
    assert request.min_should is None  # both required: a single tsquery


def test_statement_applies_filters_before_counting_and_facets() -> None:
    request = parse_request({
        "q": "sungai", "fq": ["+capacity:public", "+permission_labels:(public)"],
        "facet.field": ["tags", "organization"], "rows": 5, "sort": "score desc",
        "defType": "dismax",
    })
    built = statement.build(request, "indonesian")
    sql = built.sql
    # count, facets and page each apply every filter (no shared, materialised set)
    assert "matched" not in sql
    assert sql.count("label_public") == 4 and sql.count("capacity =") == 4  # count in 2 parts
    # every placeholder of the SQL has its value; the template's are apart from the request's
    assert set(re.findall(r"%\((\w+)\)s", sql)) == set(built.params)
    assert "sungai" in built.params.values() and "public" in built.params.values()


def test_statement_shape_is_compiled_once_and_reused() -> None:
    def built(q: str, org: str) -> statement.Built:
        return statement.build(parse_request({
            "q": q, "fq": [f'+organization:"{org}"'], "facet.field": ["tags"], "rows": 5,
            "defType": "dismax"}), "indonesian")
    first, second = built("sungai", "dinas-a"), built("jalan", "dinas-b")
    assert first.sql == second.sql  # same shape, one template
    assert "sungai" in first.params.values() and "jalan" in second.params.values()
    assert "organization=dinas-b" in str(second.params.values())
    assert "organization=dinas-a" not in str(second.params.values())
