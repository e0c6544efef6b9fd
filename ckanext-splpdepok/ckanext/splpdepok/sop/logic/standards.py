"""The configured time standards and working calendar (settings read through config.py)."""
from __future__ import annotations

from ckanext.splpdepok import config
from ckanext.splpdepok.sop import sla
from ckanext.splpdepok.sop.steps import STEPS


def calendar() -> sla.WorkCalendar:
    return sla.WorkCalendar.parse(*config.sop_calendar())


def standard_text(step: int) -> str:
    return config.sop_step_standard(step)


def standard_minutes(step: int) -> float:
    return sla.parse_standard(standard_text(step), config.sop_session_minutes())


def all_standards() -> dict[int, float]:
    """Minutes of every SOP step's standard (all 18: the LID workflow uses 11-18)."""
    return {n: standard_minutes(n) for n in STEPS}
