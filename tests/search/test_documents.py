"""Unit tests of Solr document -> index row and of small pure helpers (no database)."""
from __future__ import annotations

import pytest
from ckanext.splpdepok.search.documents import MAX_TERM_BYTES, build_row, term_lexeme
from ckanext.splpdepok.search.fields import Kind, kind_of, solr_date
from ckanext.splpdepok.search.lucene import Bool, Occur, Term
from ckanext.splpdepok.search.params import ParamError, parse_request
from ckanext.splpdepok.search.sql import tsquery_literal

DOC = {
    "id": "d1", "index_id": "abc", "name": "data-penduduk", "site_id": "s1",
    "title": "Data Penduduk", "notes": "Jumlah penduduk per kelurahan", "state": "active",
    "capacity": "public", "dataset_type": "dataset", "tags": ["penduduk", "demografi"],
    "organization": "disdukcapil", "permission_labels": ["public", "member-o1"],
    "res_format": ["CSV", "CSV"], "extras_sumber": "Disdukcapil", "sumber": "Disdukcapil",
    "metadata_modified": "2026-11-26T10:00:00.123456Z", "views_total": 12,
    "validated_data_dict": '{"big": "json"}', "data_dict": "{}", "private": False,
    "bad": "a\x00b", "empty": None,
}


def test_build_row_splits_exact_fields_texts_and_numbers() -> None:
    row = build_row(dict(DOC))
    assert row.index_id == "abc" and row.id == "d1" and row.name == "data-penduduk"
    assert row.state == "active" and row.capacity == "public" and row.label_public is True
    assert row.fields["tags"] == ["penduduk", "demografi"]
    assert row.fields["private"] == ["false"]
    assert "title" in row.texts and "title" not in row.fields
    assert "extras_sumber" in row.texts and row.fields["sumber"] == ["Disdukcapil"]
    assert row.nums["views_total"] == [12.0]
    assert "validated_data_dict" not in row.fields and "empty" not in row.fields
    assert row.fields["bad"] == ["ab"]
    assert row.text_a == "Data Penduduk" and "penduduk" in row.text_b
    assert "kelurahan" in row.text_c and "disdukcapil" in row.text_d.lower()
    assert "tags=penduduk" in row.terms and "res_format=CSV" in row.terms
    assert len(row.terms) == len(set(row.terms))


def test_stored_dates_read_back_like_solr() -> None:
    row = build_row(dict(DOC))
    assert row.doc["metadata_modified"] == "2026-11-26T10:00:00.123Z"
    assert row.metadata_modified is not None and row.metadata_modified.year == 2026
    assert row.fields["metadata_modified"] == ["2026-11-26T10:00:00.123000Z"]  # ms, as Solr
    assert solr_date("2026-01-01T00:00:00") == "2026-01-01T00:00:00Z"


def test_document_without_id_is_refused() -> None:
    with pytest.raises(ValueError):
        build_row({"name": "x"})


def test_term_lexemes() -> None:
    assert term_lexeme("tags", "air bersih") == "tags=air bersih"
    assert term_lexeme("tags", "") == "tags="
    long = term_lexeme("res_url", "x" * MAX_TERM_BYTES)
    assert long.startswith("res_url#") and len(long) == len("res_url#") + 32
    assert long != term_lexeme("res_url", "y" * MAX_TERM_BYTES)


def test_row_terms_hold_values_numbers_and_presence() -> None:
    row = build_row({"id": "d1", "name": "air", "tags": ["a", "b"], "num_resources": 3,
                     "notes": "teks", "extras_x": ""})
    assert {"tags=a", "tags=b", "name=air", "num_resources=3", "num_resources~3.0",
            "tags?", "notes?", "num_resources?"} <= set(row.terms)
    assert "extras_x?" in row.terms and "title?" not in row.terms
    assert row.facets == ["tags=a", "tags=b"]


def test_tsquery_literal_quotes_everything() -> None:
    assert tsquery_literal("tags=a b") == "'tags=a b'"
    assert tsquery_literal("t=it's") == "'t=it''s'"
    assert tsquery_literal("t=a\\b") == "'t=a\\\\b'"
    assert tsquery_literal("t=x & !y | (z)") == "'t=x & !y | (z)'"


def test_field_kinds() -> None:
    assert kind_of("title") is Kind.TEXT and kind_of("extras_x") is Kind.TEXT
    assert kind_of("tags") is Kind.STRING and kind_of("anything") is Kind.STRING
    assert kind_of("metadata_modified") is Kind.DATE and kind_of("start_date") is Kind.DATE
    assert kind_of("views_total") is Kind.NUMBER and kind_of("name_ngram") is Kind.NGRAM


def test_bool_query_parser_local_params() -> None:
    request = parse_request({"q": "{!bool must=tags:air must_not=state:draft should=banjir}"})
    assert request.q == Bool((
        (Occur.MUST, Bool(((Occur.MUST, Term("tags", "air")),))),
        (Occur.MUST_NOT, Bool(((Occur.MUST, Term("state", "draft")),))),
        (Occur.SHOULD, Bool(((Occur.MUST, Term(None, "banjir")),))),
    ))
    with pytest.raises(ParamError):
        parse_request({"q": "{!bool nope=x}"})
    with pytest.raises(ParamError):
        parse_request({"q": "{!bool must=x} extra text"})
