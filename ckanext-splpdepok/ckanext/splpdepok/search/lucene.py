"""A parser for the Lucene/Solr query syntax CKAN uses in ``q`` and ``fq`` (pure, no database).

Supported: terms, ``field:value``, quoted phrases (``~N`` slop and ``^N`` boosts are accepted
and ignored), ``AND``/``OR``/``NOT``/``&&``/``||``/``!``, ``+``/``-``, parentheses, field-scoped
groups ``tags:(a OR b)``, ``*:*``, ``field:*``, wildcards ``ab*``/``a?c``, ranges ``[a TO b]``,
``{a TO b}`` (mixed brackets too) and a leading ``{!...}`` local-params block. Boolean
semantics follow Lucene's classic QueryParser (``addClause``), with a configurable default
operator (CKAN sends ``q.op=AND``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

MAX_QUERY_LENGTH = 20_000
MAX_DEPTH = 40
MAX_CLAUSES = 1024


class QuerySyntaxError(ValueError):
    """The query string is not valid Lucene syntax (shown to the user)."""


class Occur(Enum):
    MUST = "+"
    SHOULD = ""
    MUST_NOT = "-"


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class Term:
    """A single term or a quoted phrase; ``field`` None means the default field."""
    field: str | None
    text: str
    phrase: bool = False
    wildcard: bool = False  # ``text`` holds a pattern with unescaped * and ?


@dataclass(frozen=True)
class Exists:
    field: str


@dataclass(frozen=True)
class Range:
    field: str | None
    low: str | None  # None: open (``*``)
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class Bool:
    clauses: tuple[tuple[Occur, Node], ...] = field(default_factory=tuple)


Node = MatchAll | Term | Exists | Range | Bool

_WHITESPACE = " \t\r\n\u3000"
_SPECIAL = set('+-!():^[]"{}~\\') | set(_WHITESPACE)
_NUMBER_RE = re.compile(r"\d+(\.\d+)?|\.\d+")


@dataclass
class _Tok:
    kind: str  # TERM QUOTED RANGE LPAREN RPAREN PLUS MINUS NOT AND OR COLON CARAT TILDE
    value: str = ""
    wildcard: bool = False
    extra: tuple[str | None, str | None, bool, bool] | None = None


def _read_quoted(text: str, i: int) -> tuple[str, int]:
    out: list[str] = []
    i += 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise QuerySyntaxError("unbalanced double quote")


def _read_range(text: str, i: int) -> tuple[_Tok, int]:
    include_low = text[i] == "["
    i += 1
    bounds: list[str | None] = []
    words: list[tuple[str, bool]] = []  # (word, quoted)
    end = None
    while i < len(text):
        ch = text[i]
        if ch in _WHITESPACE:
            i += 1
            continue
        if ch in "]}":
            end = ch
            i += 1
            break
        if ch == '"':
            word, i = _read_quoted(text, i)
            words.append((word, True))
            continue
        start = i
        buf: list[str] = []
        while i < len(text) and text[i] not in _WHITESPACE and text[i] not in "]}\"":
            if text[i] == "\\" and i + 1 < len(text):
                buf.append(text[i + 1])
                i += 2
                continue
            buf.append(text[i])
            i += 1
        if i == start:
            break
        words.append(("".join(buf), False))
    if end is None:
        raise QuerySyntaxError("unterminated range (expected ] or })")
    if len(words) != 3 or words[1] != ("TO", False):
        raise QuerySyntaxError("a range must look like [low TO high]")
    for word, quoted in (words[0], words[2]):
        bounds.append(None if (word == "*" and not quoted) else word)
    return _Tok("RANGE", extra=(bounds[0], bounds[1], include_low, end == "]")), i


_SINGLE_TOKENS = {"(": "LPAREN", ")": "RPAREN", "+": "PLUS", "-": "MINUS", "!": "NOT",
                  ":": "COLON"}
_DOUBLE_TOKENS = {"&&": "AND", "||": "OR"}


def _read_quoted_token(text: str, i: int) -> tuple[_Tok, int]:
    value, i = _read_quoted(text, i)
    return _Tok("QUOTED", value), i


def _read_suffix(text: str, i: int) -> tuple[_Tok, int]:
    """``^boost`` or ``~slop``: the sign and the number after it."""
    ch = text[i]
    i += 1
    match = _NUMBER_RE.match(text, i)
    value = match.group(0) if match else ""
    if ch == "^" and not value:
        raise QuerySyntaxError("a boost (^) must be followed by a number")
    i = match.end() if match else i
    return _Tok("CARAT" if ch == "^" else "TILDE", value), i


def _read_word(text: str, i: int) -> tuple[_Tok, int]:
    n = len(text)
    buf: list[str] = []
    wildcard = False
    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 >= n:
                raise QuerySyntaxError("the query ends with a lone backslash")
            nxt = text[i + 1]
            buf.append("\\" + nxt if nxt in "*?\\" else nxt)
            i += 2
            continue
        if (c in _SPECIAL and not (c in "+-" and buf)) or c == ":":
            break
        if c in "*?":
            wildcard = True
        buf.append(c)
        i += 1
    word = "".join(buf)
    if word in ("AND", "OR", "NOT"):
        return _Tok(word), i
    return _Tok("TERM", word, wildcard), i


_READERS = {'"': _read_quoted_token, "[": _read_range, "{": _read_range, "^": _read_suffix,
            "~": _read_suffix}


def _next_token(text: str, i: int) -> tuple[_Tok, int]:
    ch = text[i]
    if ch in _SINGLE_TOKENS:
        return _Tok(_SINGLE_TOKENS[ch]), i + 1
    if text[i:i + 2] in _DOUBLE_TOKENS:
        return _Tok(_DOUBLE_TOKENS[text[i:i + 2]]), i + 2
    if ch in "]}":
        raise QuerySyntaxError(f"unexpected '{ch}'")
    return _READERS.get(ch, _read_word)(text, i)


def tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i = 0
    while i < len(text):
        if text[i] in _WHITESPACE:
            i += 1
            continue
        token, i = _next_token(text, i)
        tokens.append(token)
    return tokens


def unescape_pattern(word: str) -> str:
    """A term with wildcard escapes (\\* \\? \\\\) kept, as plain text."""
    return re.sub(r"\\(.)", r"\1", word)


class _Parser:
    def __init__(self, tokens: list[_Tok], default_and: bool) -> None:
        self.tokens = tokens
        self.pos = 0
        self.default_and = default_and
        self.clause_count = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse_query(self, fld: str | None, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise QuerySyntaxError("the query is nested too deeply")
        clauses: list[list[object]] = []  # [occur, node]
        while True:
            tok = self.peek()
            if tok is None or tok.kind == "RPAREN":
                break
            conj = None
            if tok.kind in ("AND", "OR"):
                conj = tok.kind
                self.take()
                if not clauses:
                    raise QuerySyntaxError(f"'{conj}' needs something before it")
                tok = self.peek()
                if tok is None or tok.kind == "RPAREN":
                    raise QuerySyntaxError(f"'{conj}' needs something after it")
            mods = None
            if tok.kind in ("PLUS", "MINUS", "NOT"):
                mods = "REQ" if tok.kind == "PLUS" else "NOT"
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in ("RPAREN", "AND", "OR"):
                    raise QuerySyntaxError("an operator (+, -, !, NOT) needs a term after it")
            node = self.parse_clause(fld, depth)
            self.clause_count += 1
            if self.clause_count > MAX_CLAUSES:
                raise QuerySyntaxError("too many clauses in the query")
            self._add_clause(clauses, conj, mods, node)
        if not clauses:
            return Bool(())
        if len(clauses) == 1 and clauses[0][0] is Occur.SHOULD:
            return clauses[0][1]  # type: ignore[return-value]
        return Bool(tuple((c[0], c[1]) for c in clauses))  # type: ignore[misc]

    def _add_clause(self, clauses: list[list[object]], conj: str | None, mods: str | None,
                    node: Node) -> None:
        # Lucene's QueryParserBase.addClause, verbatim in spirit.
        if clauses and conj == "AND" and clauses[-1][0] is not Occur.MUST_NOT:
            clauses[-1][0] = Occur.MUST
        if clauses and self.default_and and conj == "OR" and clauses[-1][0] is not Occur.MUST_NOT:
            clauses[-1][0] = Occur.SHOULD
        prohibited = mods == "NOT"
        if self.default_and:
            required = not prohibited and conj != "OR"
        else:
            required = mods == "REQ" or (conj == "AND" and not prohibited)
        if required and not prohibited:
            occur = Occur.MUST
        elif prohibited:
            occur = Occur.MUST_NOT
        else:
            occur = Occur.SHOULD
        clauses.append([occur, node])

    def _skip_boosts(self) -> None:
        while (tok := self.peek()) is not None and tok.kind in ("CARAT", "TILDE"):
            self.take()

    def parse_clause(self, fld: str | None, depth: int) -> Node:
        tok = self.take()
        if tok.kind == "TERM" and (nxt := self.peek()) is not None and nxt.kind == "COLON":
            self.take()
            name = unescape_pattern(tok.value)
            if fld is not None:
                raise QuerySyntaxError(f"a field ({name}:) cannot be nested inside {fld}:(...)")
            value = self.peek()
            if value is None:
                raise QuerySyntaxError(f"'{name}:' needs a value")
            if name == "*":
                if value.kind == "TERM" and value.value == "*":
                    self.take()
                    self._skip_boosts()
                    return MatchAll()
                raise QuerySyntaxError("'*:' is only allowed as '*:*'")
            return self.parse_value(name, depth)
        self.pos -= 1
        return self.parse_value(fld, depth)

    def parse_value(self, fld: str | None, depth: int) -> Node:
        tok = self.take()
        node: Node
        if tok.kind == "LPAREN":
            node = self.parse_query(fld, depth + 1)
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise QuerySyntaxError("missing closing parenthesis")
            self.take()
        elif tok.kind == "QUOTED":
            node = Term(fld, tok.value, phrase=True)
        elif tok.kind == "RANGE":
            assert tok.extra is not None
            low, high, inc_low, inc_high = tok.extra
            node = Exists(fld) if (low is None and high is None and fld) else Range(
                fld, low, high, inc_low, inc_high)
        elif tok.kind == "TERM":
            if tok.value == "*":
                node = Exists(fld) if fld else MatchAll()
            elif tok.wildcard:
                node = Term(fld, tok.value, wildcard=True)
            else:
                node = Term(fld, unescape_pattern(tok.value))
        elif tok.kind == "RPAREN":
            raise QuerySyntaxError("unexpected ')'")
        elif tok.kind == "COLON":
            raise QuerySyntaxError("unexpected ':' (a field name is missing)")
        elif tok.kind in ("CARAT", "TILDE"):
            raise QuerySyntaxError("a boost or slop must follow a term")
        else:
            raise QuerySyntaxError(f"unexpected '{tok.kind}'")
        self._skip_boosts()
        return node


def parse(text: str, default_and: bool = True) -> Node:
    """Parses a Lucene query. Raises QuerySyntaxError with a readable message."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError("the query is too long")
    parser = _Parser(tokenize(text), default_and)
    node = parser.parse_query(None, 0)
    if parser.peek() is not None:
        raise QuerySyntaxError("unexpected ')'")
    return node


_LOCAL_PARAMS_RE = re.compile(
    r"""^\{!\s*((?:[\w.]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s}'"]+))?\s*)*)\}""")
_PARAM_RE = re.compile(r"""([\w.]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s}'"]+))?""")


def local_param_pairs(text: str) -> tuple[list[tuple[str, str]], str]:
    """``{!bool must=a must=b} rest`` -> ([("type", "bool"), ("must", "a"), ...], " rest")."""
    stripped = text.lstrip()
    if not stripped.startswith("{!"):
        return [], text
    match = _LOCAL_PARAMS_RE.match(stripped)
    if not match:
        raise QuerySyntaxError("malformed local parameters {!...}")
    pairs: list[tuple[str, str]] = []
    for i, (key, value) in enumerate(_PARAM_RE.findall(match.group(1))):
        if not value and i == 0:
            pairs.append(("type", key))
            continue
        pairs.append((key, value[1:-1] if value[:1] in "\"'" else value))
    return pairs, stripped[match.end():]


def split_local_params(text: str) -> tuple[dict[str, str], str]:
    """``{!type=lucene v='x'} rest`` -> ({"type": "lucene", "v": "x"}, "rest")."""
    pairs, rest = local_param_pairs(text)
    return dict(pairs), rest
