"""A state machine written as one table of transitions, each naming its SOP step.

Generic on purpose: registrations (steps 1-10) and the SPLP connection (steps 11-18) each
declare a ``Machine`` from a tuple of ``Transition`` rows; the SOP trace CLI, the events and the
compliance report read the same rows. Pure code.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NEW = None  # the "source" of a transition that creates the record


class TransitionError(Exception):
    """The requested transition does not exist from the record's current state."""

    def __init__(self, name: str, state: str | None, allowed: list[str]) -> None:
        self.name, self.state, self.allowed = name, state, allowed
        super().__init__(
            f"cannot {name} from state {state!r}; allowed now: {', '.join(allowed) or 'nothing'}"
        )


@dataclass(frozen=True)
class Transition:
    name: str
    source: str | None  # None: the record is created by this transition
    target: str
    step: int  # the SOP row this transition carries out
    actor: str  # one of sop.steps actor keys
    variant: str = ""  # e.g. the registration kind; "" applies to every variant
    note_required: bool = False
    automatic: bool = False  # follows another transition in the same action (no caller)
    label: str = ""
    # Who may carry it out (role keys the capability's auth functions resolve); empty: ``actor``.
    performers: tuple[str, ...] = ()

    @property
    def may(self) -> tuple[str, ...]:
        return self.performers or (self.actor,)


class Machine:
    def __init__(self, subject_type: str, states: Iterable[str],
                 transitions: Iterable[Transition]) -> None:
        self.subject_type = subject_type
        self.states = tuple(states)
        self.transitions = tuple(transitions)
        for t in self.transitions:
            for state in (t.source, t.target):
                if state is not None and state not in self.states:
                    raise ValueError(f"{t.name}: unknown state {state!r}")

    def find(self, name: str, state: str | None, variant: str = "") -> Transition:
        for t in self.transitions:
            if t.name == name and t.source == state and t.variant in ("", variant):
                return t
        raise TransitionError(name, state, self.allowed(state, variant))

    def allowed(self, state: str | None, variant: str = "", *,
                include_automatic: bool = False) -> list[str]:
        names: list[str] = []
        for t in self.transitions:
            if (t.source == state and t.variant in ("", variant)
                    and (include_automatic or not t.automatic) and t.name not in names):
                names.append(t.name)
        return names

    def following(self, transition: Transition, variant: str = "") -> list[Transition]:
        """Automatic transitions that run right after ``transition`` (same action)."""
        return [t for t in self.transitions
                if t.automatic and t.source == transition.target and t.variant in ("", variant)
                and t.name.startswith(transition.name + ":")]

    def performers(self, name: str, variant: str = "") -> tuple[str, ...]:
        """Every role that may carry out ``name`` for ``variant``, whatever the current state."""
        roles: list[str] = []
        for t in self.transitions:
            if t.name == name and t.variant in ("", variant) and not t.automatic:
                roles += [r for r in t.may if r not in roles]
        return tuple(roles)

    def steps_covered(self) -> set[int]:
        return {t.step for t in self.transitions}

    def by_step(self) -> dict[int, list[Transition]]:
        table: dict[int, list[Transition]] = {}
        for t in self.transitions:
            table.setdefault(t.step, []).append(t)
        return dict(sorted(table.items()))
