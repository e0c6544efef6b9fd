"""The dataset form's value rules, as pure functions (no CKAN import).

Years and periods of the SDI schema (``prioritas_tahun``, ``temporal_start``/``_end``), choice
values matched the way an editor or an old catalog writes them, and the Kategori list split.
``schemas/logic/validators.py`` turns these answers into CKAN validation errors.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping

# Years a dataset may cover (temporal_start/_end): old series and projections, nothing absurd.
YEAR_MIN, YEAR_MAX = 1900, 2100
# Satu Data Indonesia priority data lists exist since the Perpres 39/2019 programme; a list is
# set at most one year ahead.
PRIORITY_YEAR_MIN = 2019
PRIORITY_YEARS_AHEAD = 1

_YEAR = re.compile(r"\d{4}")
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class RuleError(ValueError):
    """A value breaks a rule; ``code`` says which (the validators pick the message)."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def year(value: str, low: int, high: int) -> int:
    """A 4-digit year between ``low`` and ``high`` (inclusive); RuleError otherwise."""
    text = value.strip()
    if not _YEAR.fullmatch(text):
        raise RuleError("not_a_year")
    number = int(text)
    if not low <= number <= high:
        raise RuleError("year_out_of_range", low=low, high=high)
    return number


def priority_year(value: str, today: dt.date) -> int:
    return year(value, PRIORITY_YEAR_MIN, today.year + PRIORITY_YEARS_AHEAD)


def period(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a real date)."""
    text = value.strip()
    match = _PERIOD.fullmatch(text)
    if not match:
        raise RuleError("not_a_period")
    first_year = year(match.group(1), YEAR_MIN, YEAR_MAX)
    month_text, day_text = match.group(2), match.group(3)
    if month_text is None:
        return dt.date(first_year, 1, 1), dt.date(first_year, 12, 31)
    month = int(month_text)
    if not 1 <= month <= 12:
        raise RuleError("not_a_date")
    last_day = calendar.monthrange(first_year, month)[1]
    if day_text is None:
        return dt.date(first_year, month, 1), dt.date(first_year, month, last_day)
    day = int(day_text)
    if not 1 <= day <= last_day:
        raise RuleError("not_a_date")
    return dt.date(first_year, month, day), dt.date(first_year, month, day)


def end_before_start(start: str, end: str) -> bool:
    """Whether the covered period ends before it starts (both valid periods)."""
    return period(end)[1] < period(start)[0]


def _key(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.strip().casefold())


def choice(value: str, options: Mapping[str, Iterable[str]]) -> str | None:
    """The stored value for ``value``: an option's value or any of its labels, case and
    spaces/hyphens aside; None when nothing matches."""
    wanted = _key(value)
    if not wanted:
        return None
    for stored, labels in options.items():
        if wanted in {_key(stored), *(_key(label) for label in labels)}:
            return stored
    return None


def categories(value: str) -> list[str]:
    """Kategori may name several themes, separated by commas (as ``dcat_vocab`` reads it)."""
    seen: list[str] = []
    for raw in value.split(","):
        part = raw.strip()
        if part and part not in seen:
            seen.append(part)
    return seen
