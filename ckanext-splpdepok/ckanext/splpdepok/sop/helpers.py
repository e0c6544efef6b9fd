"""Template helpers of sop: the SOP table's texts, translated in one place (``label``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.sop import steps, table
from ckanext.splpdepok.sop.logic import standards


def label(msgid: str) -> str:
    """The one translation of an SOP table text (transition label, activity, actor)."""
    return tk._(msgid) if msgid else ""


def splpdepok_sop_label(subject_type: str, name: str, from_state: str | None = None,
                        variant: str = "") -> str:
    """The translated label of transition ``name`` of ``subject_type``'s workflow, read from
    the SOP table (an event passes its ``transition`` and ``from_state``); the name itself
    when no workflow has it."""
    found = table.machine(subject_type)
    return label(found.label(name, from_state, variant) if found else name)


def splpdepok_sop_actor_label(actor: str) -> str:
    """The translated name of an SOP role key (``reviewer``: "Reviewer (walidata)")."""
    return label(steps.ACTOR_LABELS.get(actor, actor))


def splpdepok_sop_activity_label(number: int) -> str:
    """The translated activity of SOP step ``number`` ("" for a number the SOP lacks)."""
    found = steps.STEPS.get(int(number))
    return label(found.activity) if found else ""


def splpdepok_sop_step(number: int) -> steps.Step | None:
    return steps.STEPS.get(int(number))


def splpdepok_sop_standard(number: int) -> str:
    return standards.standard_text(int(number))
