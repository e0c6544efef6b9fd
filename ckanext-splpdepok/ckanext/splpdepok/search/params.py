"""Validates the Solr request parameters CKAN sends into one ``SearchRequest`` (pure).

Anything a caller can get wrong (``sort``, ``rows``, ``fl``, ``facet.*``, ``mm``, ``q.op``,
local params) raises ``ParamError`` with a message fit for the user; nothing reaches SQL
unchecked.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ckanext.splpdepok.search import lucene
from ckanext.splpdepok.search.fields import is_valid_field_name

MAX_ROWS = 1_000_000
MAX_START = 10_000_000
MAX_FACET_FIELDS = 50

_SORT_CLAUSE_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s+(asc|desc)\s*$", re.IGNORECASE)
# local-param query parsers whose body is still Lucene syntax for our purposes
_LUCENE_PARSERS = {"", "lucene", "edismax", "dismax"}


class ParamError(ValueError):
    """A request parameter is invalid (shown to the user)."""


@dataclass(frozen=True)
class SortClause:
    field: str
    descending: bool


@dataclass
class SearchRequest:
    q: lucene.Node
    min_should: int | None
    fqs: list[lucene.Node]
    sort: list[SortClause]
    rows: int
    start: int
    fl: list[str]  # ["*"] means every stored field
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = 50
    facet_mincount: int = 0


def _int(params: Mapping[str, Any], key: str, default: int, low: int, high: int) -> int:
    raw = params.get(key, default)
    if isinstance(raw, list | tuple):
        raw = raw[-1] if raw else default
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) else raw
    except (TypeError, ValueError) as error:
        raise ParamError(f'"{key}" must be an integer, got {raw!r}') from error
    if isinstance(raw, bool):
        raise ParamError(f'"{key}" must be an integer, got {raw!r}')
    if not low <= value <= high:
        raise ParamError(f'"{key}" must be between {low} and {high}, got {value}')
    return value


def _strings(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        items = list(value)
        if all(isinstance(i, str) for i in items):
            return items
    raise ParamError(f'"{key}" must be a string or a list of strings')


def parse_sort(text: str | None) -> list[SortClause]:
    if text is None or not str(text).strip():
        return [SortClause("score", True)]
    clauses: list[SortClause] = []
    for part in str(text).split(","):
        match = _SORT_CLAUSE_RE.match(part)
        if not match:
            raise ParamError(
                f'Invalid "sort" parameter: {part.strip()!r} (expected "field asc|desc")')
        clauses.append(SortClause(match.group(1), match.group(2).lower() == "desc"))
    if len(clauses) > 10:
        raise ParamError('Invalid "sort" parameter: too many clauses')
    return clauses


def parse_fl(value: Any) -> list[str]:
    names: list[str] = []
    for item in _strings(value, "fl") or ["*"]:
        names.extend(n for n in re.split(r"[\s,]+", item) if n)
    out: list[str] = []
    for name in names or ["*"]:
        if name != "*" and not is_valid_field_name(name):
            raise ParamError(f'Invalid "fl" field: {name!r}')
        if name not in out:
            out.append(name)
    return ["*"] if "*" in out else out


def min_should_match(spec: str, optional: int) -> int:
    """Solr's ``mm`` (e.g. ``2<-1 5<80%``) for ``optional`` clauses."""
    spec = spec.strip()
    if not spec:
        return optional
    if "<" in spec:
        result = optional
        for part in spec.split():
            if "<" not in part:
                raise ParamError(f'Invalid "mm" parameter: {spec!r}')
            limit_text, rule = part.split("<", 1)
            try:
                limit = int(limit_text)
            except ValueError as error:
                raise ParamError(f'Invalid "mm" parameter: {spec!r}') from error
            if optional > limit:
                result = _mm_single(rule, optional, spec)
        return max(0, min(optional, result))
    return max(0, min(optional, _mm_single(spec, optional, spec)))


def _mm_single(rule: str, optional: int, spec: str) -> int:
    try:
        if rule.endswith("%"):
            pct = int(rule[:-1])
            amount = int(optional * abs(pct) / 100)
            return optional - amount if pct < 0 else amount
        number = int(rule)
    except ValueError as error:
        raise ParamError(f'Invalid "mm" parameter: {spec!r}') from error
    return optional + number if number < 0 else number


_BOOL_OCCURS = {"must": lucene.Occur.MUST, "filter": lucene.Occur.MUST,
                "should": lucene.Occur.SHOULD, "must_not": lucene.Occur.MUST_NOT}


def _parse_bool(pairs: list[tuple[str, str]], key: str, default_and: bool) -> lucene.Node:
    """Solr's ``{!bool must=.. should=.. must_not=.. filter=..}`` query parser."""
    clauses = []
    for name, value in pairs:
        if name in ("type", "tag", "cache", "cost", "excludeTags"):
            continue
        if name not in _BOOL_OCCURS:
            raise ParamError(f'unknown parameter "{name}" of the bool query parser in "{key}"')
        clauses.append((_BOOL_OCCURS[name], _parse_lucene(value, key, default_and)))
    if not clauses:
        raise ParamError(f'the bool query parser needs must/should/must_not/filter in "{key}"')
    return lucene.Bool(tuple(clauses))


def _parse_lucene(text: str, key: str, default_and: bool) -> lucene.Node:
    try:
        pairs, body = lucene.local_param_pairs(text)
    except lucene.QuerySyntaxError as error:
        raise ParamError(f'Invalid "{key}": {error}') from error
    local = dict(pairs)
    kind = local.get("type", "")
    if kind == "bool":
        if body.strip():
            raise ParamError(f'the bool query parser takes no query text in "{key}"')
        return _parse_bool(pairs, key, default_and)
    if kind not in _LUCENE_PARSERS:
        raise ParamError(f'query parser "{kind}" is not supported in "{key}"')
    if "q.op" in local:
        default_and = local["q.op"].upper() != "OR"
    if "v" in local:
        body = local["v"]
    if not body.strip():
        return lucene.MatchAll()
    try:
        return lucene.parse(body, default_and)
    except lucene.QuerySyntaxError as error:
        raise ParamError(f'Invalid "{key}": {error}') from error


def _has_explicit_operators(text: str) -> bool:
    """AND/OR/NOT typed by the user win over dismax's minimum-match (as in edismax)."""
    try:
        tokens = lucene.tokenize(text)
    except lucene.QuerySyntaxError:
        return False
    return any(tok.kind in ("AND", "OR", "NOT") for tok in tokens)


def _reject_nul(params: Mapping[str, Any]) -> None:
    for key, value in params.items():
        items = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(i, str) and "\x00" in i for i in items):
            raise ParamError(f'"{key}" contains a NUL character')


def _dismax_query(q_text: str, def_type: str, mm: str) -> tuple[lucene.Node, int | None]:
    """Free text under dismax: Solr's ``mm`` applies to the optional clauses."""
    min_should = None
    q_node = _parse_lucene(q_text, "q", default_and=False)
    if q_text.strip() == "*:*" and def_type == "dismax":
        q_node = lucene.MatchAll()
    if isinstance(q_node, lucene.Bool):
        optional = sum(1 for o, _ in q_node.clauses if o is lucene.Occur.SHOULD)
        if optional:
            min_should = max(1, min_should_match(mm, optional))
            has_must = any(o is lucene.Occur.MUST for o, _ in q_node.clauses)
            if min_should >= optional:
                # every optional clause is required: plain AND, one tsquery
                q_node = lucene.Bool(tuple(
                    (lucene.Occur.MUST if o is lucene.Occur.SHOULD else o, c)
                    for o, c in q_node.clauses))
                min_should = None
            elif min_should == 1 and not has_must:
                min_should = None
    elif not isinstance(q_node, lucene.MatchAll):
        q_node = lucene.Bool(((lucene.Occur.MUST, q_node),))
    return q_node, min_should


def _query(params: Mapping[str, Any], default_and: bool) -> tuple[lucene.Node, int | None]:
    q_texts = _strings(params.get("q"), "q")
    q_text = q_texts[-1] if q_texts else "*:*"
    if not q_text.strip() or q_text.strip() in ('""', "''"):
        q_text = "*:*"
    def_type = str(params.get("defType") or "lucene")
    dismax = (def_type in ("dismax", "edismax") and not q_text.lstrip().startswith("{!")
              and not _has_explicit_operators(q_text))
    if dismax:
        return _dismax_query(q_text, def_type, str(params.get("mm") or "100%"))
    return _parse_lucene(q_text, "q", default_and), None


def _facet_fields(params: Mapping[str, Any]) -> list[str]:
    facet_on = str(params.get("facet", "true")).lower() in ("true", "on", "1", "yes")
    facet_fields = _strings(params.get("facet.field"), "facet.field") if facet_on else []
    if len(facet_fields) > MAX_FACET_FIELDS:
        raise ParamError(f'too many "facet.field" values (max {MAX_FACET_FIELDS})')
    for name in facet_fields:
        if not is_valid_field_name(name):
            raise ParamError(f'Invalid "facet.field": {name!r}')
    return facet_fields


def parse_request(params: Mapping[str, Any]) -> SearchRequest:
    _reject_nul(params)
    q_op = str(params.get("q.op") or "AND").upper()
    if q_op not in ("AND", "OR"):
        raise ParamError('"q.op" must be AND or OR')
    default_and = q_op == "AND"
    q_node, min_should = _query(params, default_and)
    fqs: list[lucene.Node] = []
    for fq in _strings(params.get("fq"), "fq"):
        if fq.strip():
            fqs.append(_parse_lucene(fq, "fq", default_and))
    facet_fields = _facet_fields(params)
    return SearchRequest(
        q=q_node,
        min_should=min_should,
        fqs=fqs,
        sort=parse_sort(params.get("sort")),
        rows=_int(params, "rows", 10, 0, MAX_ROWS),
        start=_int(params, "start", 0, 0, MAX_START),
        fl=parse_fl(params.get("fl")),
        facet_fields=list(dict.fromkeys(facet_fields)),
        facet_limit=_int(params, "facet.limit", 50, -1_000_000, 1_000_000),
        facet_mincount=_int(params, "facet.mincount", 0, 0, 1_000_000_000),
    )
