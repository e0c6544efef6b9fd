"""Time, always timezone-aware (UTC in the database, WIB on the pages).

Pure: no CKAN import. Every table stores ``timestamp with time zone``; a naive value can only
come from old data or a caller's mistake, and is read as UTC.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

UTC = dt.timezone.utc


def now() -> dt.datetime:
    """The current instant, aware (UTC)."""
    return dt.datetime.now(UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """``value`` with a timezone; a naive one is taken as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def iso(value: Any) -> Any:
    """ISO 8601 for datetimes (aware), anything else unchanged: what the API returns."""
    return aware(value).isoformat() if isinstance(value, dt.datetime) else value
