"""Template helpers shared by every page: dates and times in WIB, durations in words.

``render_datetime`` is chained onto CKAN's own helper, so CKAN's templates and ours show
"2 Desember 2026, 14.05 WIB" (``id``) or "2 December 2026, 14:05 WIB" (``en``); an explicit
``date_format`` still goes to CKAN's helper. The formatting itself is ``common/timefmt.py``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common import timefmt


def _locale() -> str:
    try:
        return str(tk.h.lang() or "id")
    except (RuntimeError, AttributeError):  # outside a request (CLI, jobs)
        return str(tk.config.get("ckan.locale_default") or "id")


def _timezone() -> str:
    name = str(tk.config.get("ckan.display_timezone") or timefmt.DISPLAY_TIMEZONE)
    return timefmt.DISPLAY_TIMEZONE if name in ("", "server") else name


@tk.chained_helper
def render_datetime(next_helper: Callable[..., str], datetime_: Any,
                    date_format: str | None = None, with_hours: bool = False,
                    with_seconds: bool = False) -> str:
    """CKAN's ``h.render_datetime`` in WIB and Indonesian order ('' for a bad value)."""
    if date_format:
        return next_helper(datetime_, date_format=date_format, with_hours=with_hours,
                           with_seconds=with_seconds)
    try:
        return timefmt.format_datetime(datetime_, _locale(), _timezone(),
                                       with_hours=with_hours, with_seconds=with_seconds)
    except (ValueError, OverflowError, KeyError):
        return ""


def splpdepok_datetime(value: Any, with_hours: bool = True) -> str:
    """A timestamp as '2 Desember 2026, 14.05 WIB' (date only with ``with_hours=False``)."""
    return timefmt.format_datetime(value, _locale(), _timezone(), with_hours=with_hours)


def splpdepok_duration(minutes: Any) -> str:
    """Working minutes as '2 jam 5 menit' / '8 jam' / '0 menit' ('2 h 5 min' in English)."""
    return timefmt.format_duration(minutes, _locale())


def all_helpers() -> dict[str, Any]:
    return {
        "render_datetime": render_datetime,
        "splpdepok_datetime": splpdepok_datetime,
        "splpdepok_duration": splpdepok_duration,
    }
