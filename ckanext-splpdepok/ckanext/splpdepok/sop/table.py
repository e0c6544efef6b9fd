"""The SOP table as one whole: the 18 steps and every workflow's transitions, as plain data.

Pure code (imports only the pure transition tables). The ``ckan splpdepok sop`` trace, the
``splpdepok_sop_steps`` action and the label helper read it, so they cannot disagree.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

from ckanext.splpdepok.sop.machine import Machine, Transition
from ckanext.splpdepok.sop.steps import ACTOR_LABELS, STEPS

# Workflows that implement SOP steps (pure modules, each with a ``MACHINE``).
MACHINES = (
    "ckanext.splpdepok.registration.workflow:MACHINE",
    "ckanext.splpdepok.lid.workflow:MACHINE",
)

Translate = Callable[[str], str]


def machines(paths: tuple[str, ...] = MACHINES) -> list[Machine]:
    found = []
    for path in paths:
        module, _sep, attr = path.partition(":")
        found.append(getattr(import_module(module), attr))
    return found


def machine(subject_type: str, paths: tuple[str, ...] = MACHINES) -> Machine | None:
    """The workflow whose events carry ``subject_type`` (``registration``, ``lid_plan``)."""
    return next((m for m in machines(paths) if m.subject_type == subject_type), None)


def _same(text: str) -> str:
    return text


def transition_dict(t: Transition, translate: Translate = _same) -> dict[str, Any]:
    return {
        "name": t.name, "source": t.source, "target": t.target, "step": t.step,
        "variant": t.variant, "actor": t.actor, "performers": list(t.performers),
        "may": list(t.may),
        "label": translate(t.label or t.name), "note_required": t.note_required,
        "automatic": t.automatic, "restarts_clock": t.restarts_clock,
        "follow_ups": list(t.follow_ups),
    }


def steps_table(standards: Mapping[int, tuple[str, float]], all_machines: list[Machine],
                translate: Translate = _same) -> list[dict[str, Any]]:
    """Every SOP step with its actor, its standard (text and working minutes) and the
    transitions of each workflow that carry it out (``transitions[subject_type]``)."""
    rows = []
    for number, step in STEPS.items():
        text, minutes = standards[number]
        rows.append({
            "number": number,
            "activity": translate(step.activity),
            "actor": step.actor,
            "actor_label": translate(ACTOR_LABELS[step.actor]),
            "required_input": translate(step.required_input),
            "output": translate(step.output),
            "branch": step.branch,
            "standard": {"text": text, "minutes": minutes},
            "transitions": {m.subject_type: [transition_dict(t, translate)
                                             for t in m.by_step().get(number, [])]
                            for m in all_machines},
        })
    return rows
