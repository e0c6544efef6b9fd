"""Unit tests of the Lucene query parser (no database, no CKAN)."""
from __future__ import annotations

import pytest
from ckanext.splpdepok.search.lucene import (
    Bool,
    Exists,
    MatchAll,
    Occur,
    QuerySyntaxError,
    Range,
    Term,
    parse,
    split_local_params,
)

MUST, SHOULD, NOT = Occur.MUST, Occur.SHOULD, Occur.MUST_NOT


def test_match_all() -> None:
    assert parse("*:*") == Bool(((MUST, MatchAll()),))


def test_single_term_default_field() -> None:
    assert parse("sungai") == Bool(((MUST, Term(None, "sungai")),))


def test_default_operator_and() -> None:
    assert parse("a b") == Bool(((MUST, Term(None, "a")), (MUST, Term(None, "b"))))


def test_default_operator_or() -> None:
    node = parse("a b", default_and=False)
    assert node == Bool(((SHOULD, Term(None, "a")), (SHOULD, Term(None, "b"))))


def test_or_makes_both_sides_optional() -> None:
    assert parse("a OR b") == Bool(((SHOULD, Term(None, "a")), (SHOULD, Term(None, "b"))))
    assert parse("a || b") == parse("a OR b")


def test_and_not_and_prefix_operators() -> None:
    assert parse("+a -b") == Bool(((MUST, Term(None, "a")), (NOT, Term(None, "b"))))
    assert parse("a AND NOT b") == Bool(((MUST, Term(None, "a")), (NOT, Term(None, "b"))))
    assert parse("a && !b") == parse("a AND NOT b")


def test_lucene_precedence_quirk() -> None:
    # Lucene's classic parser: "a AND b OR c" -> +a b c
    node = parse("a AND b OR c")
    assert node == Bool(((MUST, Term(None, "a")), (SHOULD, Term(None, "b")),
                         (SHOULD, Term(None, "c"))))


def test_fielded_terms_and_phrases() -> None:
    node = parse('name:"x y" OR id:abc')
    assert node == Bool(((SHOULD, Term("name", "x y", phrase=True)),
                         (SHOULD, Term("id", "abc"))))


def test_field_scoped_group() -> None:
    node = parse("tags:(air OR sungai)")
    inner = Bool(((SHOULD, Term("tags", "air")), (SHOULD, Term("tags", "sungai"))))
    assert node == Bool(((MUST, inner),))


def test_nested_parentheses_with_required_clause() -> None:
    node = parse("(creator_user_id:u1 AND +state:draft)")
    inner = Bool(((MUST, Term("creator_user_id", "u1")), (MUST, Term("state", "draft"))))
    assert node == Bool(((MUST, inner),))


def test_ckan_filters() -> None:
    node = parse('+site_id:"s1" +state:(active OR draft) +permission_labels:("public" OR "m-1")')
    assert isinstance(node, Bool)
    assert [o for o, _ in node.clauses] == [MUST, MUST, MUST]


def test_exists_and_wildcards() -> None:
    assert parse("extras_x:*") == Bool(((MUST, Exists("extras_x")),))
    assert parse("res_format:CS*") == Bool(((MUST, Term("res_format", "CS*", wildcard=True)),))
    assert parse("x:[* TO *]") == Bool(((MUST, Exists("x")),))


def test_ranges() -> None:
    node = parse("metadata_modified:[2020-01-01T00:00:00Z TO NOW]")
    assert node == Bool(((MUST, Range("metadata_modified", "2020-01-01T00:00:00Z", "NOW")),))
    node = parse("views_total:{1 TO *]")
    assert node == Bool(((MUST, Range("views_total", "1", None, False, True)),))


def test_hyphen_inside_term_is_not_an_operator() -> None:
    assert parse("creator-abc") == Bool(((MUST, Term(None, "creator-abc")),))


def test_escapes() -> None:
    assert parse(r"id:a\:b") == Bool(((MUST, Term("id", "a:b")),))
    assert parse(r'title:"say \"hi\""') == Bool(((MUST, Term("title", 'say "hi"', phrase=True)),))


def test_boost_and_slop_are_ignored() -> None:
    assert parse('res_format:CSV^2 "a b"~3') == Bool(
        ((MUST, Term("res_format", "CSV")), (MUST, Term(None, "a b", phrase=True))))


@pytest.mark.parametrize("bad", [
    "(", ")", "a)", '"open', "title:(x", "AND a", "a OR", "+", "[a TO", "x:[a b c]",
    "a:b:c", "*:x", "\\", "^2", "a ^", "}", "x:",
])
def test_syntax_errors(bad: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse(bad)


def test_too_deep_and_too_long() -> None:
    with pytest.raises(QuerySyntaxError):
        parse("(" * 100 + "a" + ")" * 100)
    with pytest.raises(QuerySyntaxError):
        parse("a " * 20_000)


def test_local_params() -> None:
    assert split_local_params("{!lucene q.op=OR v='a b'} rest") == (
        {"type": "lucene", "q.op": "OR", "v": "a b"}, " rest")
    assert split_local_params("plain") == ({}, "plain")
    with pytest.raises(QuerySyntaxError):
        split_local_params("{!unterminated")
