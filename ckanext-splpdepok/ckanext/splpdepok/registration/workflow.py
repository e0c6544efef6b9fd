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

# Who may carry out a transition (``performers``), read by the auth functions:
# APPLICANT is the registration's creator; REVIEWER the walidata; IPPD_ADMIN the admin of the
# registration's own IPPD. Nobody reviews a registration they created or that names them.
# Editing (``update``) does not restart the SOP clock: it is still the same step.
# Approving runs its automatic follow-ups (``follow_ups``, in order) in the same action.
BY_APPLICANT = (APPLICANT,)
# (kind, prepare step, submit step, review step, provision step, who prepares, who reviews,
#  who may review)
_ROWS = (
    ("ippd", 1, 2, 3, 4, APPLICANT, REVIEWER, (REVIEWER,)),
    ("ippd_admin", 5, 5, 6, 6, APPLICANT, REVIEWER, (REVIEWER,)),
    # SOP step 9 is the IPPD admin's; the walidata reviews when the admin cannot (its own
    # application, or one naming it)
    ("lid", 7, 8, 9, 10, IPPD_ADMIN, IPPD_ADMIN, (IPPD_ADMIN, REVIEWER)),
)


def _rows() -> list[Transition]:
    rows: list[Transition] = []
    for kind, prepare, submit, review, provision, preparer, reviewer, may in _ROWS:
        submitter = LID_OPERATOR if kind == "lid" else APPLICANT
        mine = BY_APPLICANT
        after_approval = (("approve:provision", "approve:notify") if kind == "ippd_admin"
                          else ("approve:provision",))
        rows += [
            Transition("create", NEW, DRAFT, prepare, preparer, kind,
                       label="Registration prepared (draft)", performers=mine),
            Transition("update", DRAFT, DRAFT, prepare, preparer, kind,
                       label="Draft edited", performers=mine, restarts_clock=False),
            Transition("submit", DRAFT, SUBMITTED, submit, submitter, kind,
                       label="Submitted with the assessment document", performers=mine),
            Transition("approve", SUBMITTED, APPROVED, review, reviewer, kind,
                       label="Requirements complete: approved", performers=may,
                       follow_ups=after_approval),
            Transition("approve:provision", APPROVED, APPROVED, provision, SYSTEM, kind,
                       automatic=True, label="Account, organization and membership created"),
            Transition("return", SUBMITTED, RETURNED, review, reviewer, kind,
                       note_required=True, label="Incomplete: returned to the applicant",
                       performers=may),
            Transition("update", RETURNED, RETURNED, submit, submitter, kind,
                       label="Returned registration edited", performers=mine,
                       restarts_clock=False),
            Transition("submit", RETURNED, SUBMITTED, submit, submitter, kind,
                       label="Resubmitted (back to the submission step)", performers=mine),
            Transition("reject", SUBMITTED, REJECTED, review, reviewer, kind,
                       note_required=True, label="Rejected", performers=may),
        ]
        if kind == "ippd_admin":
            rows.append(Transition(
                "approve:notify", APPROVED, APPROVED, 7, IPPD_ADMIN, kind, automatic=True,
                label="Admin notified; may now prepare LID operator registrations"))
    return rows


MACHINE = Machine(SUBJECT, STATES, _rows())
# Review transitions: every one the applicant may not carry out itself (from the table).
REVIEW_TRANSITIONS = tuple(dict.fromkeys(
    t.name for t in MACHINE.transitions if not t.automatic and APPLICANT not in t.may))


def review_step(kind: str) -> int:
    """The SOP step whose clock runs while a registration of ``kind`` waits for review."""
    return MACHINE.find("approve", SUBMITTED, kind).step
