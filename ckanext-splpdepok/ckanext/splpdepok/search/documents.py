"""Turns the document CKAN sends to Solr into the values of one index row (pure).

Every field is normalised to a list of strings (``fields``), so ``field:value`` is a GIN-indexed
jsonb containment test; numbers are also kept as numbers (``nums``) for ranges and sorting; dates
become fixed-width UTC text; the weighted text parts feed the tsvector.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, SupportsFloat

from ckanext.splpdepok.search.fields import (
    UNINDEXED_FIELDS,
    WEIGHT_OF_FIELD,
    Kind,
    as_number,
    canonical_date,
    is_facet_field,
    kind_of,
    solr_date,
)

# The single-valued fields CKAN filters every search on, mirrored as columns (table.SCALAR_COLUMNS)
SCALAR_FIELDS = ("site_id", "state", "capacity", "dataset_type")

# Fields whose text goes to the lowest-weight part of the tsvector (Solr copies them to "text").
_REST_TEXT_PREFIXES = ("extras_", "res_extras_", "vocab_")
_REST_TEXT_FIELDS = frozenset({
    "name", "text", "urls", "url", "ckan_url", "download_url", "license", "license_id",
    "license_title", "groups", "organization", "res_name", "res_description", "res_url",
    "res_format", "maintainer", "author", "version",
})


@dataclass(frozen=True)
class IndexRow:
    index_id: str
    id: str
    name: str | None
    site_id: str | None
    state: str | None
    capacity: str | None
    dataset_type: str | None
    label_public: bool
    scalars_exact: bool
    terms: list[str]
    facets: list[str]
    fields: dict[str, list[str]]
    texts: dict[str, list[str]]
    nums: dict[str, list[float]]
    doc: dict[str, Any]
    text_a: str
    text_b: str
    text_c: str
    text_d: str
    metadata_created: dt.datetime | None
    metadata_modified: dt.datetime | None
    title_sort: str | None

    def as_params(self) -> dict[str, Any]:
        return {
            "index_id": self.index_id, "id": self.id, "name": self.name,
            "site_id": self.site_id, "state": self.state, "capacity": self.capacity,
            "dataset_type": self.dataset_type, "label_public": self.label_public,
            "scalars_exact": self.scalars_exact,
            "terms": self.terms, "facets": self.facets,
            "fields": self.fields, "texts": self.texts,
            "nums": self.nums,
            "doc": self.doc, "text_a": self.text_a, "text_b": self.text_b,
            "text_c": self.text_c, "text_d": self.text_d,
            "metadata_created": self.metadata_created,
            "metadata_modified": self.metadata_modified, "title_sort": self.title_sort,
        }


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        out: list[Any] = []
        for item in value:
            out.extend(_values(item))
        return out
    return [value]


def _as_string(field: str, value: Any) -> str | None:
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    if kind_of(field) is Kind.DATE:
        return canonical_date(value) or str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _json_safe(value: Any) -> Any:
    """The stored document must survive jsonb (datetimes become ISO text, \\x00 is dropped)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, float) and math.isnan(value):  # NaN is not valid JSON
        return None
    return value


def _parse_moment(value: Any) -> dt.datetime | None:
    text = canonical_date(value)
    if text is None:
        return None
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


MAX_TERM_BYTES = 1000


def term_lexeme(field: str, value: str) -> str:
    """``field=value`` as one tsvector lexeme, the exact-match key of the ``terms`` index.

    Values too long for a lexeme get ``field#<md5>`` (the caller confirms the match against
    ``fields``). Field names never hold ``=``, ``#``, ``~`` or ``?``, so the kinds of lexeme
    (``field=value``, ``field#hash``, ``field~number``, ``field?``) cannot collide.
    """
    lexeme = f"{field}={value}"
    if len(lexeme.encode()) <= MAX_TERM_BYTES:
        return lexeme
    return f"{field}#{hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()}"


def is_hashed(lexeme: str) -> bool:
    return "=" not in lexeme


def number_lexeme(field: str, number: SupportsFloat) -> str:
    """``field~number``: numeric equality from the index, whatever the number's spelling."""
    return f"{field}~{float(number)!r}"


def exists_lexeme(field: str) -> str:
    """``field?``: the dataset has a value for ``field`` (``field:*`` and ``field:[* TO *]``)."""
    return f"{field}?"


def _terms(fields: dict[str, list[str]], texts: dict[str, list[str]],
           nums: dict[str, list[float]]) -> list[str]:
    terms = {term_lexeme(name, value) for name, values in fields.items() for value in values}
    terms.update(number_lexeme(name, n) for name, numbers in nums.items() for n in numbers)
    terms.update(exists_lexeme(name) for name in (*fields, *texts))
    return sorted(terms)


def _scalar(values: list[str] | None) -> str | None:
    """The column copy of a field, only when it has exactly one value."""
    return values[0] if values and len(values) == 1 else None


def build_row(doc: dict[str, Any]) -> IndexRow:
    """One index row from one Solr document (as built by ``PackageSearchIndex.index_package``)."""
    if not doc.get("id"):
        raise ValueError("document without id")
    clean = _json_safe(doc)
    for field, value in list(clean.items()):
        # stored dates read back the way Solr returns them
        if kind_of(field) is Kind.DATE and isinstance(value, str):
            clean[field] = solr_date(value) or value
    fields: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {}
    nums: dict[str, list[float]] = {}
    parts: dict[str, list[str]] = {"A": [], "B": [], "C": [], "D": []}
    for field, raw in clean.items():
        if field in UNINDEXED_FIELDS:
            continue
        values = _values(raw)
        strings = [s for s in (_as_string(field, v) for v in values) if s is not None]
        if not strings:
            continue
        # analysed (long) text stays out of ``fields`` so exact filters read a small value
        (texts if kind_of(field) is Kind.TEXT else fields)[field] = strings
        numbers = [as_number(v) for v in values]
        if numbers and all(n is not None for n in numbers):
            nums[field] = [float(n) for n in numbers if n is not None]
        weight = WEIGHT_OF_FIELD.get(field)
        if weight is None and field.startswith("vocab_"):
            weight = "B"
        if weight is None and (
            field in _REST_TEXT_FIELDS or field.startswith(_REST_TEXT_PREFIXES)
        ):
            weight = "D"
        if weight is not None:
            parts[weight].extend(strings)
    index_id = str(clean.get("index_id") or clean["id"])
    title = clean.get("title_string") or clean.get("title")
    return IndexRow(
        index_id=index_id,
        id=str(clean["id"]),
        name=str(clean["name"]) if clean.get("name") is not None else None,
        site_id=_scalar(fields.get("site_id")),
        state=_scalar(fields.get("state")),
        capacity=_scalar(fields.get("capacity")),
        dataset_type=_scalar(fields.get("dataset_type")),
        label_public="public" in fields.get("permission_labels", []),
        scalars_exact=all(len(fields.get(name, ())) == 1 for name in SCALAR_FIELDS),
        terms=_terms(fields, texts, nums),
        facets=sorted({f"{name}={value}" for name, values in fields.items()
                       if is_facet_field(name) for value in values}),
        fields=fields,
        texts=texts,
        nums=nums,
        doc=clean,
        text_a="\n".join(parts["A"]),
        text_b="\n".join(parts["B"]),
        text_c="\n".join(parts["C"]),
        text_d="\n".join(parts["D"]),
        metadata_created=_parse_moment(clean.get("metadata_created")),
        metadata_modified=_parse_moment(clean.get("metadata_modified")),
        title_sort=str(title) if title else None,
    )
