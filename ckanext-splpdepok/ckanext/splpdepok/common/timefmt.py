"""Dates, times and durations as the pages show them: Indonesian order, in WIB.

Pure: no CKAN import. Every page goes through these (``render_datetime`` is chained onto CKAN's
helper in ``common/helpers.py``), so a timestamp reads "2 Desember 2026, 14.05 WIB" in ``id`` and
"2 December 2026, 14:05 WIB" in ``en`` wherever it appears. Naive values are taken as UTC
(``clock.aware``); strings are ISO 8601 (what the API and CKAN's dicts hold).
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from ckanext.splpdepok.common import clock

DISPLAY_TIMEZONE = "Asia/Jakarta"

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
# Indonesia's own zone names; any other zone shows its usual abbreviation.
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
               "Asia/Jayapura": "WIT"}


def _language(locale: str | None) -> str:
    base = (locale or "id").replace("-", "_").split("_")[0].lower()
    return base if base in MONTHS else "en"


def parse(value: Any) -> dt.datetime | None:
    """An aware datetime from a datetime, a date or an ISO 8601 string; None if it is none."""
    if isinstance(value, dt.datetime):
        return clock.aware(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=clock.UTC)
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            return clock.aware(dt.datetime.fromisoformat(text))
        except ValueError:
            return None
    return None


def zone_label(moment: dt.datetime, timezone: str) -> str:
    return ZONE_LABELS.get(timezone) or moment.tzname() or timezone


def local(value: Any, timezone: str = DISPLAY_TIMEZONE) -> dt.datetime | None:
    """``value`` moved to the display zone (WIB by default)."""
    moment = parse(value)
    return None if moment is None else moment.astimezone(ZoneInfo(timezone))


def format_date(value: Any, locale: str | None = "id",
                timezone: str = DISPLAY_TIMEZONE) -> str:
    """'2 Desember 2026' (id) / '2 December 2026' (en); '' for no date."""
    moment = local(value, timezone)
    if moment is None:
        return ""
    return f"{moment.day} {MONTHS[_language(locale)][moment.month - 1]} {moment.year}"


def format_time(value: Any, locale: str | None = "id", timezone: str = DISPLAY_TIMEZONE,
                with_seconds: bool = False) -> str:
    """'14.05 WIB' (id: a dot between hours and minutes) / '14:05 WIB' (en)."""
    moment = local(value, timezone)
    if moment is None:
        return ""
    sep = "." if _language(locale) == "id" else ":"
    text = f"{moment.hour:02d}{sep}{moment.minute:02d}"
    if with_seconds:
        text += f"{sep}{moment.second:02d}"
    return f"{text} {zone_label(moment, timezone)}"


def format_datetime(value: Any, locale: str | None = "id", timezone: str = DISPLAY_TIMEZONE,
                    with_hours: bool = True, with_seconds: bool = False) -> str:
    """'2 Desember 2026, 14.05 WIB'; the date alone when ``with_hours`` is false."""
    day = format_date(value, locale, timezone)
    if not day or not (with_hours or with_seconds):
        return day
    return f"{day}, {format_time(value, locale, timezone, with_seconds)}"


DURATION_UNITS = {
    "id": ("menit", "jam"),
    "en": ("min", "h"),
}


def format_duration(minutes: Any, locale: str | None = "id") -> str:
    """Minutes (working time) as '2 jam 5 menit', '8 jam', '0 menit' (id) or '2 h 5 min' (en).

    A zero part is left out except for a zero total; '—' for no value.
    """
    if minutes is None or minutes == "":
        return "—"
    try:
        total = int(round(float(minutes)))
    except (TypeError, ValueError):
        return "—"
    minute_unit, hour_unit = DURATION_UNITS[_language(locale)]
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 60)
    parts = []
    if hours:
        parts.append(f"{hours} {hour_unit}")
    if rest or not hours:
        parts.append(f"{rest} {minute_unit}")
    return sign + " ".join(parts)
