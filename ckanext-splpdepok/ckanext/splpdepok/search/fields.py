"""How each index field behaves, mirroring CKAN's Solr ``schema.xml`` (pure, no database).

Solr decides per field whether a value is matched exactly (``string``), through the text
analyser (``text``), as a date or as a number. The PostgreSQL backend needs the same decisions
to turn ``field:value`` into SQL, so they live here in one place.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, cast

from dateutil import parser as date_parser


class Kind(Enum):
    STRING = "string"  # exact, case-sensitive match on every value (tags, organization ...)
    TEXT = "text"  # analysed: Indonesian stemming through tsvector
    NGRAM = "ngram"  # substring match (Solr's NGramTokenizer 2..10), for autocomplete
    DATE = "date"
    NUMBER = "number"


# The single default search field ("df"): every text-like value of the dataset.
DEFAULT_FIELD = "text"

# Weights of the tsvector: title > tags > description > the rest.
WEIGHT_OF_FIELD: dict[str, str] = {"title": "A", "tags": "B", "notes": "C"}

_TEXT_FIELDS = frozenset({
    "text", "title", "notes", "urls", "author", "author_email", "maintainer",
    "maintainer_email", "res_name", "res_description", "depends_on", "dependency_of",
    "derives_from", "has_derivation", "links_to", "linked_from", "child_of", "parent_of",
})
_NGRAM_FIELDS = {"name_ngram": "name", "title_ngram": "title"}
_DATE_FIELDS = frozenset({"metadata_created", "metadata_modified", "indexed_ts"})
_NUMBER_FIELDS = frozenset({
    "ratings_count", "ratings_average", "views_total", "views_recent",
    "resources_accessed_total", "resources_accessed_recent",
})
# Never searchable: CKAN stores whole dataset dicts there for display only.
UNINDEXED_FIELDS = frozenset({"data_dict", "validated_data_dict"})

# Facets counted from the row's narrow ``facets`` column: CKAN's default facets, the portal's own
# (schemas/logic/facets.py) and vocabulary tags. Any other field still facets, from ``fields``.
FACET_FIELDS = frozenset({
    "organization", "groups", "tags", "res_format", "license_id", "jenis",
    "accrualPeriodicity", "prioritas_tahun",
})
FACET_PREFIXES = ("vocab_",)


def is_facet_field(field: str) -> bool:
    """True when ``field``'s values are kept in the narrow ``facets`` column."""
    return field in FACET_FIELDS or field.startswith(FACET_PREFIXES)

FIELD_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def kind_of(field: str) -> Kind:
    if field in _NGRAM_FIELDS:
        return Kind.NGRAM
    if field in _TEXT_FIELDS or field.startswith(("extras_", "res_extras_")):
        return Kind.TEXT
    if field in _DATE_FIELDS or field.endswith("_date"):
        return Kind.DATE
    if field in _NUMBER_FIELDS:
        return Kind.NUMBER
    return Kind.STRING


def ngram_source(field: str) -> str:
    return _NGRAM_FIELDS[field]


def is_valid_field_name(name: str) -> bool:
    return bool(FIELD_NAME_RE.match(name))


# --- values ------------------------------------------------------------------------------------

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_NOW_RE = re.compile(r"^NOW((?:[+-]\d+[A-Z]+|/[A-Z]+)*)$")
_MATH_RE = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")
_UNITS = {
    "YEAR": "years", "YEARS": "years", "MONTH": "months", "MONTHS": "months",
    "DAY": "days", "DAYS": "days", "DATE": "days", "HOUR": "hours", "HOURS": "hours",
    "MINUTE": "minutes", "MINUTES": "minutes", "SECOND": "seconds", "SECONDS": "seconds",
}


def canonical_date(value: object) -> str | None:
    """A date as fixed-width UTC text, so text order is time order; None if not a date."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    elif isinstance(value, str) and value.strip():
        try:
            moment = date_parser.isoparse(value.strip())
        except (ValueError, OverflowError):
            try:
                moment = date_parser.parse(value.strip())
            except (ValueError, OverflowError, date_parser.ParserError):
                return None
    else:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if not 1 <= moment.year <= 9999:
        return None
    return moment.strftime(_DATE_FORMAT).rjust(len("0000-00-00T00:00:00.000000Z"), "0")


def solr_date(value: object) -> str | None:
    """A date as Solr returns it: UTC, milliseconds, ``Z`` (``2014-06-10T08:24:12.782Z``)."""
    canonical = canonical_date(value)
    if canonical is None:
        return None
    seconds, fraction = canonical[:19], canonical[20:23]
    return f"{seconds}Z" if fraction == "000" else f"{seconds}.{fraction}Z"


def parse_date_bound(value: str, now: dt.datetime | None = None) -> str:
    """A range bound for a date field: ISO dates and Solr date math (``NOW-7DAYS/DAY``)."""
    from dateutil.relativedelta import relativedelta

    match = _NOW_RE.match(value)
    if not match:
        parsed = canonical_date(value)
        if parsed is None:
            raise ValueError(f"not a date: {value!r}")
        return parsed
    moment = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    for sign, amount, unit, round_unit in _MATH_RE.findall(match.group(1)):
        if round_unit:
            moment = _round_down(moment, round_unit)
            continue
        if unit not in _UNITS:
            raise ValueError(f"unknown date unit: {unit}")
        # keyword arguments only (years=, days=...): relativedelta's positional ones are dates
        delta = relativedelta(**cast(dict[str, Any], {_UNITS[unit]: int(amount)}))
        moment = moment + delta if sign == "+" else moment - delta
    result = canonical_date(moment)
    if result is None:
        raise ValueError(f"date out of range: {value!r}")
    return result


def _round_down(moment: dt.datetime, unit: str) -> dt.datetime:
    if unit not in _UNITS:
        raise ValueError(f"unknown date unit: {unit}")
    name = _UNITS[unit]
    if name == "years":
        return moment.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if name == "months":
        return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if name == "days":
        return moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if name == "hours":
        return moment.replace(minute=0, second=0, microsecond=0)
    if name == "minutes":
        return moment.replace(second=0, microsecond=0)
    return moment.replace(microsecond=0)


def as_number(value: object) -> Decimal | None:
    """A finite number if the value is one (bools are not), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 40:
            return None
    else:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None
