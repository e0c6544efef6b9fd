"""``ckan splpdepok sop``: the SOP trace, printed from the transition tables themselves."""
from __future__ import annotations

from typing import Any

import click
from ckanext.splpdepok.sop import table
from ckanext.splpdepok.sop.logic import standards
from ckanext.splpdepok.sop.machine import Machine
from ckanext.splpdepok.sop.steps import ACTOR_LABELS

# Workflows that implement SOP steps (the one list lives in sop.table).
MACHINES = table.MACHINES


def machines() -> list[Machine]:
    return table.machines(MACHINES)


def _extras(t: dict[str, Any]) -> str:
    extra = " [note required]" if t["note_required"] else ""
    extra += " [automatic]" if t["automatic"] else ""
    if t["performers"]:
        extra += " [may: " + " or ".join(ACTOR_LABELS[r] for r in t["may"]) + "]"
    extra += "" if t["restarts_clock"] else " [clock unchanged]"
    if t["follow_ups"]:
        extra += " [then: " + ", ".join(t["follow_ups"]) + "]"
    return extra


def trace_lines(all_machines: list[Machine]) -> list[str]:
    """The trace, read from the SOP table (``sop.table.steps_table``) in English."""
    lines = []
    for row in table.steps_table(standards.all_standard_texts(), all_machines):
        number, standard = row["number"], row["standard"]
        lines.append(f"Step {number:>2}  {row['activity']}")
        lines.append(f"          actor: {ACTOR_LABELS[row['actor']]}; standard: "
                     f"{standard['text']} ({standard['minutes']:g} working min)")
        found = [(subject, t) for subject, rows in row["transitions"].items() for t in rows]
        for subject, t in found:
            lines.append(f"          {subject}/{t['variant'] or '*'}: "
                         f"{t['name']}: {t['source'] or '(new)'} -> {t['target']} "
                         f"by {ACTOR_LABELS[t['actor']]}{_extras(t)}")
        if not found:
            lines.append("          (not implemented by any workflow yet)")
    return lines


@click.command("sop", short_help="SOP trace: step -> transitions -> actor -> time standard")
def sop() -> None:
    """Print every SOP step with the transitions that carry it out and its time standard."""
    for line in trace_lines(machines()):
        click.echo(line)
