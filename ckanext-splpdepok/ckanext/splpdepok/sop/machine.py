"""A state machine written as one table of transitions, each naming its SOP step.

Generic on purpose: registrations (steps 1-10) and the SPLP connection (steps 11-18) each
declare a ``Machine`` from a tuple of ``Transition`` rows; the SOP trace CLI, the events, the
compliance report, the auth functions (``performers``), the pages (``label``) and the SOP clock
(``restarts_clock``) read the same rows: the table is the one source of truth. Pure code.
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
    """One row of the SOP table.

    ``actor`` is the SOP's column (who the SOP says acts); ``performers`` are the role keys the
    capability's auth functions accept (empty: the ``actor`` alone); ``may`` is the one answer
    both give. ``label`` is an English msgid (translate it with ``sop.helpers.label``).
    ``restarts_clock`` False: the event neither starts nor stops an SOP clock (editing a draft
    is still the same step). ``follow_ups`` names, in order, the automatic transitions that run
    right after this one in the same action.
    """

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
    restarts_clock: bool = True
    follow_ups: tuple[str, ...] = ()

    @property
    def may(self) -> tuple[str, ...]:
        """The roles that may carry this transition out (``performers``, else ``actor``)."""
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
        for t in self.transitions:
            self.follow_ups(t, t.variant)  # every follow-up named exists where it must run

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

    def follow_ups(self, transition: Transition, variant: str = "") -> list[Transition]:
        """The automatic transitions that run right after ``transition`` (same action), in the
        order its ``follow_ups`` names them; a name without a row for ``variant`` is skipped.

        ValueError: a named follow-up is not an automatic transition out of the target state.
        """
        found: list[Transition] = []
        for name in transition.follow_ups:
            rows = [t for t in self.transitions
                    if t.name == name and t.source == transition.target]
            if not rows or not all(t.automatic for t in rows):
                raise ValueError(f"{transition.name}: follow-up {name!r} is not an automatic "
                                 f"transition from {transition.target!r}")
            found += [t for t in rows if t.variant in ("", variant)][:1]
        return found

    def restarts_clock(self, name: str, state: str | None = NEW, variant: str = "") -> bool:
        """Whether transition ``name`` (from ``state``) starts a new SOP clock."""
        return self.find(name, state, variant).restarts_clock

    def label(self, name: str, state: str | None = NEW, variant: str = "") -> str:
        """The msgid labelling transition ``name``: from ``state`` when such a row exists, else
        the first row of that name for ``variant``; ``name`` itself when the table has none."""
        rows = [t for t in self.transitions if t.name == name and t.variant in ("", variant)]
        exact = [t for t in rows if t.source == state]
        chosen = (exact or rows)[:1]
        return (chosen[0].label or name) if chosen else name

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
