"""The configured time standards and working calendar (settings read through config.py)."""
from __future__ import annotations

from ckan.config.declaration import Declaration, Key
from ckanext.splpdepok import config
from ckanext.splpdepok.sop import sla
from ckanext.splpdepok.sop.steps import STEPS


def calendar() -> sla.WorkCalendar:
    return sla.WorkCalendar.parse(*config.sop_calendar())


def standard_text(step: int) -> str:
    return config.sop_step_standard(step)


def standard_minutes(step: int) -> float:
    return sla.parse_standard(standard_text(step), config.sop_session_minutes())


def all_standard_texts() -> dict[int, tuple[str, float]]:
    """(text, working minutes) of every SOP step's configured standard."""
    return {n: (standard_text(n), standard_minutes(n)) for n in STEPS}


def all_standards() -> dict[int, float]:
    """Minutes of every SOP step's standard (all 18: the LID workflow uses 11-18)."""
    return {n: standard_minutes(n) for n in STEPS}


def option_key(number: int) -> str:
    """The setting that overrides step ``number``'s standard."""
    return f"ckanext.splpdepok.sop.step_{number}.standard"


def declare_options(declaration: Declaration, key: Key) -> None:
    """Declares the 18 ``ckanext.splpdepok.sop.step_N.standard`` settings (IConfigDeclaration),
    their defaults taken from ``sop.steps.STEPS``: the standards are written there only."""
    declaration.annotate("ckanext-splpdepok SOP step time standards (Mutu Baku)")
    for number, step in STEPS.items():
        declaration.declare(option_key(number), step.default_standard).set_description(
            f"Time standard of SOP step {number} ('<n> min' or '<n> session').")
