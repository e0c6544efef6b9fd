"""``ckan splpdepok sop``: the SOP trace, printed from the transition tables themselves."""
from __future__ import annotations

from importlib import import_module

import click
from ckanext.splpdepok.sop import standards
from ckanext.splpdepok.sop.machine import Machine
from ckanext.splpdepok.sop.steps import ACTOR_LABELS, STEPS

# Workflows that implement SOP steps; the LID / SPLP connection workflow appends its machine.
MACHINES = (
    "ckanext.splpdepok.registration.workflow:MACHINE",
    "ckanext.splpdepok.lid.workflow:MACHINE",
)


def machines() -> list[Machine]:
    found = []
    for path in MACHINES:
        module, _sep, attr = path.partition(":")
        found.append(getattr(import_module(module), attr))
    return found


def trace_lines(all_machines: list[Machine]) -> list[str]:
    lines = []
    for number, step in STEPS.items():
        lines.append(f"Step {number:>2}  {step.activity}")
        lines.append(f"          actor: {ACTOR_LABELS[step.actor]}; standard: "
                     f"{standards.standard_text(number)} "
                     f"({standards.standard_minutes(number):g} working min)")
        covered = False
        for machine in all_machines:
            for t in machine.by_step().get(number, []):
                covered = True
                source = t.source or "(new)"
                extra = " [note required]" if t.note_required else ""
                extra += " [automatic]" if t.automatic else ""
                if t.performers:
                    extra += " [may: " + " or ".join(ACTOR_LABELS[r] for r in t.may) + "]"
                lines.append(f"          {machine.subject_type}/{t.variant or '*'}: "
                             f"{t.name}: {source} -> {t.target} by {ACTOR_LABELS[t.actor]}"
                             f"{extra}")
        if not covered:
            lines.append("          (not implemented by any workflow yet)")
    return lines


@click.command("sop", short_help="SOP trace: step -> transitions -> actor -> time standard")
def sop() -> None:
    """Print every SOP step with the transitions that carry it out and its time standard."""
    for line in trace_lines(machines()):
        click.echo(line)
