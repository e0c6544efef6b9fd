"""Turns a parsed Lucene query (``lucene.Node``) into a SQLAlchemy condition (no database needed).

Every value from the query travels as a bound parameter; the only SQL text produced here is
fixed by this module. Text leaves of one boolean group are merged into a single tsquery so the
GIN index on ``search_vector`` answers them in one probe.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from ckanext.splpdepok.common.text import LIKE_ESCAPE, like_contains, like_escape
from ckanext.splpdepok.search import lucene
from ckanext.splpdepok.search.documents import (
    exists_lexeme,
    is_hashed,
    number_lexeme,
    term_lexeme,
)
from ckanext.splpdepok.search.fields import (
    DEFAULT_FIELD,
    WEIGHT_OF_FIELD,
    Kind,
    as_number,
    canonical_date,
    is_valid_field_name,
    kind_of,
    ngram_source,
    parse_date_bound,
)
from ckanext.splpdepok.search.table import PUBLIC_LABEL, SCALAR_COLUMNS, search_index_table
from sqlalchemy.dialects.postgresql import JSONB

_COLUMN_DATES = ("metadata_created", "metadata_modified")
_WORD_RE = re.compile(r"[^\W_]+")


class TSQUERY(sa.types.UserDefinedType):
    """PostgreSQL's tsquery type, for CAST (SQLAlchemy 1.4 has none)."""

    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "tsquery"


class QueryError(ValueError):
    """A query that parses but cannot be run (bad date, bad field...): shown to the user."""


def _json_param(value: Any) -> Any:
    return sa.bindparam(None, value, type_=JSONB)


@dataclass
class Builder:
    """Builds conditions over ``table`` (the index table or an alias of it)."""

    text_config: str = "indonesian"
    table: Any = search_index_table
    now: dt.datetime | None = None
    # positive text queries met while building (used for ranking)
    rank_queries: list[Any] = field(default_factory=list)
    collect_rank: bool = True
    # build for rows whose scalar columns hold their field's one value (``scalars_exact``):
    # a scalar filter is then the column comparison alone
    exact_scalars: bool = False

    # --- public ------------------------------------------------------------------------------

    def condition(self, node: lucene.Node, min_should: int | None = None) -> Any:
        return self._node(node, min_should)

    # --- tsquery helpers ---------------------------------------------------------------------

    def _cfg(self) -> Any:
        return sa.literal_column(f"'{self.text_config}'::regconfig")

    def _tsquery_for(self, term: lucene.Term) -> Any | None:
        """A tsquery for a text term, or None when the term cannot be one (odd wildcards)."""
        if term.wildcard:
            text = term.text
            body = text[:-1]
            if not text.endswith("*") or "*" in body or "?" in body:
                return None
            words = _WORD_RE.findall(lucene.unescape_pattern(body).lower())
            if not words:
                return None
            expr = " & ".join(words[:-1] + [words[-1] + ":*"])
            return sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), expr).op("||")(
                sa.func.to_tsquery(self._cfg(), expr))
        if term.phrase:
            return sa.func.phraseto_tsquery(self._cfg(), term.text)
        return sa.func.plainto_tsquery(self._cfg(), term.text)

    def _is_default_text(self, node: lucene.Node) -> bool:
        return isinstance(node, lucene.Term) and (node.field in (None, DEFAULT_FIELD))

    def _merged_tsquery(self, node: lucene.Node) -> Any | None:
        """One tsquery for a subtree made only of default-field text terms, else None."""
        if self._is_default_text(node):
            assert isinstance(node, lucene.Term)
            return self._tsquery_for(node)
        if not isinstance(node, lucene.Bool) or not node.clauses:
            return None
        musts: list[Any] = []
        shoulds: list[Any] = []
        nots: list[Any] = []
        for occur, child in node.clauses:
            tsq = self._merged_tsquery(child)
            if tsq is None:
                return None
            {lucene.Occur.MUST: musts, lucene.Occur.SHOULD: shoulds,
             lucene.Occur.MUST_NOT: nots}[occur].append(tsq)
        positives = musts or ([_tsq_join(shoulds, "||")] if shoulds else [])
        if not positives:
            return None
        combined = _tsq_join(positives, "&&")
        for neg in nots:
            combined = combined.op("&&")(sa.func.tsquery_not(neg))
        return combined

    def _text_match(self, tsq: Any, only_field: str | None) -> Any:
        vector = self.table.c.search_vector
        if self.collect_rank:
            self.rank_queries.append(tsq)
        match = vector.op("@@")(tsq)
        if only_field is None or only_field == DEFAULT_FIELD:
            return match
        weight = WEIGHT_OF_FIELD.get(only_field)
        if weight is not None:
            filtered = sa.func.ts_filter(
                vector, sa.literal_column(f"'{{{weight.lower()}}}'::\"char\"[]"))
            return sa.and_(match, filtered.op("@@")(tsq))
        per_field = sa.func.jsonb_to_tsvector(
            self._cfg(), self.table.c.texts[only_field], sa.literal_column("'\"string\"'::jsonb"))
        return sa.and_(match, per_field.op("@@")(tsq))

    # --- nodes -------------------------------------------------------------------------------

    def _node(self, node: lucene.Node, min_should: int | None = None) -> Any:
        if isinstance(node, lucene.MatchAll):
            return sa.true()
        if isinstance(node, lucene.Bool):
            return self._bool(node, min_should)
        if isinstance(node, lucene.Exists):
            return self._exists(node.field)
        if isinstance(node, lucene.Range):
            return self._range(node)
        return self._term(node)

    def _bool(self, node: lucene.Bool, min_should: int | None) -> Any:
        if not node.clauses:
            return sa.false()
        if min_should is None:
            merged = self._merged_tsquery(node)
            if merged is not None:
                return self._text_match(merged, None)
        musts = [self._node(c) for o, c in node.clauses if o is lucene.Occur.MUST]
        shoulds_nodes = [c for o, c in node.clauses if o is lucene.Occur.SHOULD]
        nots = [self._node(c) for o, c in node.clauses if o is lucene.Occur.MUST_NOT]
        parts = list(musts)
        if shoulds_nodes:
            shoulds = [self._node(c) for c in shoulds_nodes]
            if min_should is not None and min_should > 1:
                hits = sum(
                    (sa.case((s, 1), else_=0) for s in shoulds), sa.literal(0))
                parts.append(sa.and_(_or_all(shoulds), hits >= min_should))
            elif not musts or min_should:
                parts.append(_or_all(shoulds))
        for neg in nots:
            parts.append(sa.not_(neg))
        if not parts:
            return sa.true()
        return parts[0] if len(parts) == 1 else sa.and_(*parts)

    def _exists(self, fld: str | None) -> Any:
        if fld is None or fld == DEFAULT_FIELD:
            return sa.true()
        _check_field(fld)
        if kind_of(fld) is Kind.NGRAM:
            fld = ngram_source(fld)
        return self._has_term(exists_lexeme(fld))

    def _term(self, term: lucene.Term) -> Any:
        fld = term.field
        if fld is not None:
            _check_field(fld)
        kind = Kind.TEXT if fld is None else kind_of(fld)
        if kind is Kind.TEXT:
            tsq = self._tsquery_for(term)
            if tsq is None:
                return self._regex_text(term, fld)
            return self._text_match(tsq, fld)
        assert fld is not None
        if kind is Kind.NGRAM:
            return self._ngram(term, ngram_source(fld))
        if term.wildcard:
            pattern = _like_pattern(term.text)
            return self._values_where(fld, lambda v: v.like(pattern, escape=LIKE_ESCAPE))
        return self._value_term(fld, kind, term.text)

    def _value_term(self, fld: str, kind: Kind, value: str) -> Any:
        """A field:value term on a string, date or number field (no wildcard)."""
        if kind is Kind.DATE:
            canonical = canonical_date(value)
            if canonical is None:
                raise QueryError(f"invalid date for {fld}: {value!r}")
            value = canonical
        elif kind is Kind.NUMBER:
            number = as_number(value)
            if number is None:
                raise QueryError(f"invalid number for {fld}: {value!r}")
            return self._has_term(number_lexeme(fld, number))
        lexeme = term_lexeme(fld, value)
        contains = self._has_term(lexeme)
        if is_hashed(lexeme):  # a long value: the hash finds it, the value confirms it
            contains = sa.and_(contains, self.table.c.fields.op("@>")(
                _json_param({fld: [value]})))
        if fld == "permission_labels" and value == PUBLIC_LABEL:
            return self.table.c.label_public
        if fld in SCALAR_COLUMNS:
            column = self.table.c[fld]
            if self.exact_scalars:
                return column == value
            return sa.or_(column == value, sa.and_(column.is_(None), contains))
        return contains

    def _has_term(self, lexeme: str) -> Any:
        """``terms @@ 'lexeme'``: answered by the GIN index on ``terms`` alone."""
        return self.table.c.terms.op("@@")(sa.cast(
            sa.bindparam(None, tsquery_literal(lexeme), type_=sa.Text), TSQUERY))

    def _values_where(self, fld: str, predicate: Any) -> Any:
        column = self.table.c.texts if kind_of(fld) is Kind.TEXT else self.table.c.fields
        value = sa.func.jsonb_array_elements_text(column[fld]).table_valued(
            "value").alias("v")
        return sa.exists(sa.select(sa.literal(1)).select_from(value).where(
            predicate(value.c.value)))

    def _ngram(self, term: lucene.Term, source: str) -> Any:
        words = [w for w in lucene.unescape_pattern(term.text).lower().split() if w]
        if not words:
            return sa.false()
        # plain columns of the row (no jsonb, no decompression): autocomplete scans them all
        column = {"name": self.table.c.name, "title": self.table.c.title_sort}[source]
        text = sa.func.lower(sa.func.coalesce(column, ""))
        return sa.and_(*[text.like(like_contains(w), escape=LIKE_ESCAPE) for w in words])

    def _regex_text(self, term: lucene.Term, fld: str | None) -> Any:
        """Wildcards a tsquery cannot express (``*ab``, ``a?c``): a word-level regex."""
        pieces: list[str] = []
        for token in re.findall(r"\\.|[*?]|[^*?\\]+", term.text):
            if token == "*":
                pieces.append(r"\w*")
            elif token == "?":
                pieces.append(r"\w")
            else:
                pieces.append(re.sub(r"(\W)", r"\\\1", lucene.unescape_pattern(token).lower()))
        pattern = r"(^|\W)" + "".join(pieces) + r"($|\W)"
        if fld is None or fld == DEFAULT_FIELD:
            everything = sa.cast(self.table.c.texts, sa.Text).op("||")(
                sa.cast(self.table.c.fields, sa.Text))
            return sa.func.lower(everything).op("~")(pattern)
        return self._values_where(fld, lambda v: sa.func.lower(v).op("~")(pattern))

    def _range(self, node: lucene.Range) -> Any:
        fld = node.field
        if fld is None or fld == DEFAULT_FIELD:
            raise QueryError("a range query needs a field, e.g. metadata_modified:[a TO b]")
        _check_field(fld)
        kind = kind_of(fld)
        if kind is Kind.DATE:
            try:
                low = parse_date_bound(node.low, self.now) if node.low is not None else None
                high = parse_date_bound(node.high, self.now) if node.high is not None else None
            except ValueError as error:
                raise QueryError(f"invalid date range for {fld}: {error}") from error
            if fld in _COLUMN_DATES:
                column = self.table.c[fld]
                conds = []
                if low is not None:
                    bound = _as_datetime(low)
                    conds.append(column >= bound if node.include_low else column > bound)
                if high is not None:
                    bound = _as_datetime(high)
                    conds.append(column <= bound if node.include_high else column < bound)
                return sa.func.coalesce(sa.and_(column.isnot(None), *conds), False)
            return self._text_range(fld, low, high, node)
        numbers = [as_number(b) if b is not None else None for b in (node.low, node.high)]
        if all(n is not None or b is None for n, b in zip(numbers, (node.low, node.high),
                                                           strict=True)):
            element = sa.func.jsonb_array_elements(self.table.c.nums[fld]).table_valued(
                "value").alias("n")
            value = sa.cast(element.c.value, sa.Numeric)
            conds = []
            if numbers[0] is not None:
                conds.append(value >= numbers[0] if node.include_low else value > numbers[0])
            if numbers[1] is not None:
                conds.append(value <= numbers[1] if node.include_high else value < numbers[1])
            return sa.exists(sa.select(sa.literal(1)).select_from(element).where(
                sa.and_(sa.true(), *conds)))
        return self._text_range(fld, node.low, node.high, node)

    def _text_range(self, fld: str, low: str | None, high: str | None,
                    node: lucene.Range) -> Any:
        def predicate(v: Any) -> Any:
            v = v.collate("C")
            conds = []
            if low is not None:
                conds.append(v >= low if node.include_low else v > low)
            if high is not None:
                conds.append(v <= high if node.include_high else v < high)
            return sa.and_(sa.true(), *conds)
        return self._values_where(fld, predicate)


def tsquery_literal(lexeme: str) -> str:
    """tsquery input for exactly one lexeme (quoted, so no operator or space is parsed)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsq_join(items: list[Any], operator: str) -> Any:
    combined = items[0]
    for item in items[1:]:
        combined = combined.op(operator)(item)
    return combined


def _or_all(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else sa.or_(*items)


def _check_field(fld: str) -> None:
    if not is_valid_field_name(fld):
        raise QueryError(f"invalid field name: {fld!r}")


def _like_pattern(pattern: str) -> str:
    out: list[str] = []
    for token in re.findall(r"\\.|[*?]|[^*?\\]+", pattern):
        if token == "*":
            out.append("%")
        elif token == "?":
            out.append("_")
        else:
            out.append(like_escape(lucene.unescape_pattern(token)))
    return "".join(out)


def _as_datetime(canonical: str) -> dt.datetime:
    return dt.datetime.strptime(canonical, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=dt.timezone.utc)
