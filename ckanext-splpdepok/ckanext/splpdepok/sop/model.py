"""Immutable SOP events: who moved which record through which SOP step, when, and how long it took.

One table for every workflow (``subject_type`` tells them apart). Rows are only ever inserted;
a database trigger refuses updates. Elapsed time is the working time since the subject's previous
event, compared with the step's standard.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.sop.logic import standards
from ckanext.splpdepok.sop.machine import Transition
from sqlalchemy.dialects.postgresql import JSONB

events_table = sa.Table(
    "splpdepok_sop_events",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("subject_type", sa.UnicodeText, nullable=False),
    sa.Column("subject_id", sa.UnicodeText, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("transition", sa.UnicodeText, nullable=False),
    sa.Column("from_state", sa.UnicodeText),
    sa.Column("to_state", sa.UnicodeText, nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("actor_user_id", sa.UnicodeText),
    sa.Column("actor_name", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.UnicodeText, nullable=False, default=""),
    sa.Column("elapsed_minutes", sa.Float),
    sa.Column("standard_minutes", sa.Float),
    sa.Column("within_standard", sa.Boolean),
    sa.Column("data", JSONB, nullable=False, default=dict),
)


class SopEvent(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = events_table

    id: str
    subject_type: str
    subject_id: str
    seq: int
    transition: str
    from_state: str | None
    to_state: str
    step: int
    actor_user_id: str | None
    actor_name: str
    created: dt.datetime
    note: str
    elapsed_minutes: float | None
    standard_minutes: float | None
    within_standard: bool | None
    data: dict[str, Any]

    def dictize(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "transition": self.transition,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "sop_step": self.step,
            "actor": self.actor_name,
            "created": self.created.isoformat(),
            "note": self.note,
            "elapsed_minutes": (None if self.elapsed_minutes is None
                                else round(self.elapsed_minutes, 1)),
            "standard_minutes": self.standard_minutes,
            "within_standard": self.within_standard,
            "data": dict(self.data or {}),
        }


def for_subject(subject_type: str, subject_id: str) -> list[SopEvent]:
    return (model.Session.query(SopEvent)
            .filter(SopEvent.subject_type == subject_type, SopEvent.subject_id == subject_id)
            .order_by(SopEvent.seq).all())


def record(subject_type: str, subject_id: str, transition: Transition, *,
           actor_user_id: str | None, actor_name: str, note: str = "",
           data: dict[str, Any] | None = None, measured: bool = True,
           now: dt.datetime | None = None) -> SopEvent:
    """Append one event (in the caller's transaction; the caller holds the subject's row lock).

    Elapsed time runs from the subject's latest event that started a clock. A transition with
    ``restarts_clock=False`` in the SOP table (e.g. editing a draft) neither starts nor stops
    one: its event is stored with ``data["clock"] = False`` and is not measured.
    ``measured=False`` for events whose clock started outside the portal (creating a draft:
    the SOP's preparation happens on paper first).
    """
    data = dict(data or {})
    if not transition.restarts_clock:
        data["clock"], measured = False, False
    else:
        data.setdefault("clock", True)
    model.Session.flush()
    now = now or clock.now()
    history = for_subject(subject_type, subject_id)
    clock_start = next((e for e in reversed(history) if (e.data or {}).get("clock", True)),
                       None)
    standard = standards.standard_minutes(transition.step)
    elapsed = None
    if measured and clock_start is not None:
        elapsed = standards.calendar().working_minutes(clock_start.created, now)
    event = SopEvent(
        id=new_id(),
        subject_type=subject_type,
        subject_id=subject_id,
        seq=(history[-1].seq + 1) if history else 1,
        transition=transition.name,
        from_state=transition.source,
        to_state=transition.target,
        step=transition.step,
        actor_user_id=actor_user_id,
        actor_name=actor_name,
        created=now,
        note=note or "",
        elapsed_minutes=elapsed,
        standard_minutes=standard,
        within_standard=None if elapsed is None else elapsed <= standard,
        data=data,
    )
    model.Session.add(event)
    model.Session.flush()
    return event


def measured_samples(subject_type: str | None = None) -> list[tuple[int, float | None]]:
    """(step, elapsed minutes) of every event, for the compliance report.

    Events that were not measured (a draft created, a plan prepared: their clock started on
    paper) come with ``None`` minutes: they still count as the step having happened. Before,
    they were filtered out and the report said 0 for steps 1 and 11.
    """
    query = model.Session.query(SopEvent.step, SopEvent.elapsed_minutes)
    if subject_type:
        query = query.filter(SopEvent.subject_type == subject_type)
    return [(step, minutes) for step, minutes in query]
