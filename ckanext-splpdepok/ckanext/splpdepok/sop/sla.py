"""Time standards (Mutu Baku) maths: working-time clocks, standards parsing, compliance figures.

Pure code. "1 sesi" (one review session) is a setting, by default one working day; elapsed time
is counted in working minutes of the configured calendar, so a registration submitted on Friday
evening is not overdue on Monday morning.
"""
from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

_STANDARD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(min|mins|minutes?|menit|sessions?|sesi)\s*$", re.I)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkCalendar:
    timezone: str = "Asia/Jakarta"
    start: dt.time = dt.time(8, 0)
    end: dt.time = dt.time(16, 0)
    workdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))

    @classmethod
    def parse(cls, timezone: str, hours: str, days: str) -> WorkCalendar:
        """From settings like ``"08:00-16:00"`` and ``"mon tue wed thu fri"``."""
        first, last = (dt.time.fromisoformat(p.strip()) for p in hours.split("-", 1))
        if last <= first:
            raise ValueError(f"working hours must end after they start: {hours!r}")
        wanted = {d.strip().lower()[:3] for d in days.replace(",", " ").split()}
        unknown = wanted - set(_DAYS)
        if unknown or not wanted:
            raise ValueError(f"unknown working days: {days!r}")
        ZoneInfo(timezone)
        return cls(timezone, first, last, frozenset(_DAYS.index(d) for d in wanted))

    @property
    def day_minutes(self) -> float:
        return (dt.datetime.combine(dt.date.min, self.end)
                - dt.datetime.combine(dt.date.min, self.start)).total_seconds() / 60

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working minutes between two instants (naive datetimes are taken as UTC)."""
        zone = ZoneInfo(self.timezone)
        a, b = _aware(start).astimezone(zone), _aware(end).astimezone(zone)
        if b <= a:
            return 0.0
        total = 0.0
        day = a.date()
        while day <= b.date():
            if day.weekday() in self.workdays:
                open_ = dt.datetime.combine(day, self.start, zone)
                close = dt.datetime.combine(day, self.end, zone)
                lo, hi = max(a, open_), min(b, close)
                if hi > lo:
                    total += (hi - lo).total_seconds() / 60
            day += dt.timedelta(days=1)
        return total


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def parse_standard(text: str, session_minutes: float) -> float:
    """Minutes of a standard written ``"10 min"``, ``"1 session"`` or ``"2 sesi"``."""
    match = _STANDARD.match(text or "")
    if not match:
        raise ValueError(f"not a time standard (use '<n> min' or '<n> session'): {text!r}")
    amount, unit = float(match.group(1)), match.group(2).lower()
    return amount * (session_minutes if unit.startswith(("ses", "sesi")) else 1.0)


@dataclass(frozen=True)
class StepFigures:
    step: int
    count: int
    measured: int
    median_minutes: float | None
    within_standard: int
    standard_minutes: float

    @property
    def share_within(self) -> float | None:
        """Share of the measured events within the standard (None when none was measured)."""
        return self.within_standard / self.measured if self.measured else None


def compliance(samples: Iterable[tuple[int, float | None]],
               standards: dict[int, float]) -> list[StepFigures]:
    """Per SOP step: how many events, median time, share within the standard.

    ``samples`` are (step, elapsed working minutes, or None for an event whose clock started
    outside the portal, e.g. step 1's draft and step 11's plan: they happened, so they count,
    but they have no time to compare). Every step in ``standards`` gets a row, zero counts
    included, so the report shows steps nobody has reached yet.
    """
    by_step: dict[int, list[float]] = {n: [] for n in standards}
    counts: dict[int, int] = dict.fromkeys(standards, 0)
    for number, minutes in samples:
        counts[number] = counts.get(number, 0) + 1
        values_of_step = by_step.setdefault(number, [])
        if minutes is not None:
            values_of_step.append(minutes)
    rows = []
    for number in sorted(by_step):
        values = by_step[number]
        standard = standards.get(number, 0.0)
        rows.append(StepFigures(
            step=number,
            count=counts.get(number, 0),
            measured=len(values),
            median_minutes=statistics.median(values) if values else None,
            within_standard=sum(1 for v in values if v <= standard),
            standard_minutes=standard,
        ))
    return rows
