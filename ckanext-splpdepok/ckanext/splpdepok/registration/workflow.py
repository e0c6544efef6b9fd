"""The registration state machine: one transition table mirroring SOP steps 1-10.

Read it as the SOP: an IPPD registration is prepared (1) and submitted (2), checked (3) and either
approved, after which the account is created and notified (4), or returned as incomplete (back to
step 2: the applicant edits and resubmits) or rejected. The admin registration repeats the
pattern in steps 5-7, the LID operator registration in steps 7-10 (reviewed by the walidata or
the IPPD's admin, step 9). ``ckan splpdepok sop`` prints this table; a test checks 1-10 are covered.
"""
from __future__ import annotations

from ckanext.splpdepok.sop.machine import NEW, Machine, Transition
from ckanext.splpdepok.sop.steps import APPLICANT, IPPD_ADMIN, LID_OPERATOR, REVIEWER, SYSTEM

SUBJECT = "registration"
DRAFT, SUBMITTED, RETURNED, APPROVED, REJECTED = (
    "draft", "submitted", "returned", "approved", "rejected")
STATES = (DRAFT, SUBMITTED, RETURNED, APPROVED, REJECTED)
EDITABLE = (DRAFT, RETURNED)
REVIEW_TRANSITIONS = ("approve", "return", "reject")
# Transitions that do not restart the SOP clock (editing a draft is still the same step).
CLOCK_NEUTRAL = ("update",)

# (kind, prepare step, submit step, review step, provision step, who prepares, who reviews)
_ROWS = (
    ("ippd", 1, 2, 3, 4, APPLICANT, REVIEWER),
    ("ippd_admin", 5, 5, 6, 6, APPLICANT, REVIEWER),
    ("lid", 7, 8, 9, 10, IPPD_ADMIN, IPPD_ADMIN),
)


def _rows() -> list[Transition]:
    rows: list[Transition] = []
    for kind, prepare, submit, review, provision, preparer, reviewer in _ROWS:
        submitter = LID_OPERATOR if kind == "lid" else APPLICANT
        rows += [
            Transition("create", NEW, DRAFT, prepare, preparer, kind,
                       label="Registration prepared (draft)"),
            Transition("update", DRAFT, DRAFT, prepare, preparer, kind,
                       label="Draft edited"),
            Transition("submit", DRAFT, SUBMITTED, submit, submitter, kind,
                       label="Submitted with the assessment document"),
            Transition("approve", SUBMITTED, APPROVED, review, reviewer, kind,
                       label="Requirements complete: approved"),
            Transition("approve:provision", APPROVED, APPROVED, provision, SYSTEM, kind,
                       automatic=True, label="Account, organization and membership created"),
            Transition("return", SUBMITTED, RETURNED, review, reviewer, kind,
                       note_required=True, label="Incomplete: returned to the applicant"),
            Transition("update", RETURNED, RETURNED, submit, submitter, kind,
                       label="Returned registration edited"),
            Transition("submit", RETURNED, SUBMITTED, submit, submitter, kind,
                       label="Resubmitted (back to the submission step)"),
            Transition("reject", SUBMITTED, REJECTED, review, reviewer, kind,
                       note_required=True, label="Rejected"),
        ]
        if kind == "ippd_admin":
            rows.append(Transition(
                "approve:notify", APPROVED, APPROVED, 7, IPPD_ADMIN, kind, automatic=True,
                label="Admin notified; may now prepare LID operator registrations"))
    return rows


MACHINE = Machine(SUBJECT, STATES, _rows())


def review_step(kind: str) -> int:
    """The SOP step whose clock runs while a registration of ``kind`` waits for review."""
    return MACHINE.find("approve", SUBMITTED, kind).step
