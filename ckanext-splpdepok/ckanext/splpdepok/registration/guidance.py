"""What an applicant is told before and after applying, read from the transition table.

Pure module: the SOP path of each kind of registration (which steps, who acts, who reviews) is
taken from ``workflow.MACHINE`` and ``sop.steps``, and the review deadline is the submission time
plus the step's standard in working time of the SOP calendar (``sop.sla.WorkCalendar``). The
time standards themselves come from the configuration (``sop.logic.standards``) in the helpers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ckanext.splpdepok.registration.workflow import MACHINE, SUBMITTED
from ckanext.splpdepok.sop.machine import NEW
from ckanext.splpdepok.sop.sla import WorkCalendar
from ckanext.splpdepok.sop.steps import IPPD_ADMIN, REVIEWER, STEPS

# The SOP's order of kinds: the IPPD first, then its admin, then the LID operators.
ORDER = ("ippd", "ippd_admin", "lid")
# The documents every application carries (document kind -> label msgid).
DOCUMENT_LABELS = {
    "letter": "Registration letter",
    "kajian": "Interoperability needs assessment document",
}
# Who reviews, by role (never a person's name): msgids.
REVIEWER_LABELS = {
    REVIEWER: "the walidata (Diskominfo Kota Depok)",
    IPPD_ADMIN: "the admin of your IPPD",
}
# What must exist before a kind can be applied for (msgids).
PREREQUISITES = {
    "ippd": "",
    "ippd_admin": "The IPPD registration of the same domain must be approved first.",
    "lid": "The IPPD must be approved and its admin account activated first.",
}


@dataclass(frozen=True)
class PathStep:
    number: int
    activity: str  # msgid of sop.steps
    actor: str  # role key of sop.steps


def path(kind: str) -> list[PathStep]:
    """The SOP steps an application of ``kind`` passes through, in order, without repeats:
    prepare, submit, review, and what the approval does."""
    create = MACHINE.find("create", NEW, kind)
    submit = MACHINE.find("submit", "draft", kind)
    approve = MACHINE.find("approve", SUBMITTED, kind)
    numbers = [create.step, submit.step, approve.step]
    numbers += [t.step for t in MACHINE.follow_ups(approve, kind)]
    seen: list[int] = []
    for number in numbers:
        if number not in seen:
            seen.append(number)
    return [PathStep(n, STEPS[n].activity, STEPS[n].actor) for n in seen]


def review_roles(kind: str) -> tuple[str, ...]:
    """Who may review an application of ``kind``, by role, first the SOP's own reviewer."""
    approve = MACHINE.find("approve", SUBMITTED, kind)
    roles = [approve.actor] + [r for r in approve.performers if r != approve.actor]
    return tuple(r for r in dict.fromkeys(roles) if r in REVIEWER_LABELS)


def add_working_minutes(calendar: WorkCalendar, start: dt.datetime,
                        minutes: float) -> dt.datetime:
    """The instant ``minutes`` working minutes after ``start`` in ``calendar`` (the inverse of
    ``WorkCalendar.working_minutes``), in the calendar's time zone."""
    zone = ZoneInfo(calendar.timezone)
    moment = (start if start.tzinfo else start.replace(tzinfo=dt.timezone.utc)).astimezone(zone)
    left = max(0.0, float(minutes))
    day = moment.date()
    for _ in range(3660):  # ten years of days: a calendar always has a working day
        if day.weekday() in calendar.workdays:
            open_ = dt.datetime.combine(day, calendar.start, zone)
            close = dt.datetime.combine(day, calendar.end, zone)
            begin = max(moment, open_)
            if begin < close:
                available = (close - begin).total_seconds() / 60
                if left <= available:
                    return begin + dt.timedelta(minutes=left)
                left -= available
        day += dt.timedelta(days=1)
    raise ValueError("the working calendar has no working time")
