"""The SOP table is the one source: performers, labels, the clock and follow-ups (no database)."""
from __future__ import annotations

import datetime as dt

import pytest
from ckanext.splpdepok.lid import workflow as lid
from ckanext.splpdepok.registration import workflow as registration
from ckanext.splpdepok.sop import table
from ckanext.splpdepok.sop.machine import NEW, Machine, Transition
from ckanext.splpdepok.sop.sla import WorkCalendar
from ckanext.splpdepok.sop.steps import (
    ACTOR_LABELS,
    APPLICANT,
    IPPD_ADMIN,
    LID_OPERATOR,
    REVIEWER,
    STEPS,
)

REG, PLAN = registration.MACHINE, lid.MACHINE


def test_follow_ups_are_named_in_order_per_variant() -> None:
    approve = REG.find("approve", "submitted", "ippd_admin")
    assert approve.follow_ups == ("approve:provision", "approve:notify")
    assert [t.name for t in REG.follow_ups(approve, "ippd_admin")] == list(approve.follow_ups)
    assert [t.step for t in REG.follow_ups(approve, "ippd_admin")] == [6, 7]
    ippd = REG.find("approve", "submitted", "ippd")
    assert [(t.name, t.step) for t in REG.follow_ups(ippd, "ippd")] == [("approve:provision", 4)]
    passed = PLAN.find("check_pass", "synced")
    assert [(t.name, t.step) for t in PLAN.follow_ups(passed)] == [
        ("check_pass:notify", 17), ("check_pass:received", 18)]
    assert REG.follow_ups(REG.find("submit", "draft", "ippd"), "ippd") == []


def test_every_automatic_transition_is_somebody_s_follow_up() -> None:
    for machine in (REG, PLAN):
        named = {n for t in machine.transitions for n in t.follow_ups}
        automatic = {t.name for t in machine.transitions if t.automatic}
        assert automatic == named, machine.subject_type


def test_a_follow_up_must_exist_and_be_automatic() -> None:
    states = ("a", "b")
    with pytest.raises(ValueError, match="missing"):
        Machine("x", states, [Transition("go", "a", "b", 1, APPLICANT, follow_ups=("missing",))])
    with pytest.raises(ValueError, match="back"):
        Machine("x", states, [Transition("go", "a", "b", 1, APPLICANT, follow_ups=("back",)),
                              Transition("back", "b", "a", 1, APPLICANT)])


def test_only_editing_leaves_the_sop_clock_alone() -> None:
    for machine, variant in ((REG, "ippd"), (REG, "lid"), (PLAN, "")):
        still = {t.name for t in machine.transitions if not t.restarts_clock}
        assert still == {"update"}, machine.subject_type
        assert not machine.restarts_clock("update", "draft", variant)
        assert machine.restarts_clock("submit" if machine is REG else "send", "draft", variant)
    assert not REG.restarts_clock("update", "returned", "ippd")
    assert REG.restarts_clock("create", NEW, "ippd")


def test_labels_come_from_the_table() -> None:
    assert REG.label("update", "draft", "ippd") == "Draft edited"
    assert REG.label("update", "returned", "ippd") == "Returned registration edited"
    assert REG.label("approve:provision", variant="lid") == \
        "Account, organization and membership created"
    assert PLAN.label("check_pass:received") == \
        "Notification of the connection delivered to the IPPD"
    assert REG.label("no-such-transition") == "no-such-transition"
    for machine in (REG, PLAN):
        assert all(t.label for t in machine.transitions), machine.subject_type


def test_performers_are_in_the_table_for_both_workflows() -> None:
    assert REG.performers("approve", "lid") == (IPPD_ADMIN, REVIEWER)
    assert REG.performers("submit", "ippd") == (APPLICANT,)
    assert PLAN.performers("create") == (LID_OPERATOR, IPPD_ADMIN, REVIEWER)
    for name in ("send", "receive_guide", "instruct_sync", "sync", "check_fail", "check_pass"):
        assert PLAN.performers(name) == (IPPD_ADMIN, REVIEWER), name
    for machine in (REG, PLAN):
        for t in machine.transitions:
            assert all(role in ACTOR_LABELS for role in t.may), t.name
            assert t.automatic or t.performers, f"{machine.subject_type}: {t.name}"


def test_steps_table_joins_steps_standards_and_transitions() -> None:
    standards = {n: (s.default_standard, 1.0) for n, s in STEPS.items()}
    rows = table.steps_table(standards, table.machines())
    assert [r["number"] for r in rows] == list(range(1, 19))
    step16 = rows[15]
    assert step16["standard"] == {"text": "1 session", "minutes": 1.0}
    assert step16["actor"] == "splp" and step16["transitions"]["registration"] == []
    fail = next(t for t in step16["transitions"]["lid_plan"] if t["name"] == "check_fail")
    assert fail["note_required"] and fail["may"] == fail["performers"] == [IPPD_ADMIN, REVIEWER]
    assert fail["label"] == "Connection check failed: back to synchronisation"
    assert table.machine("lid_plan") is PLAN and table.machine("nothing") is None
    shouted = table.steps_table(standards, [PLAN], str.upper)
    assert shouted[0]["activity"] == STEPS[1].activity.upper()


def test_working_minutes_mix_naive_utc_and_aware_instants() -> None:
    """Naive instants are UTC (as the docstring says), even next to an aware one."""
    cal = WorkCalendar()
    naive = dt.datetime(2026, 11, 23, 2, 0)  # noqa: DTZ001 - the naive input under test
    aware = dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.timezone.utc)
    assert cal.working_minutes(naive, aware) == 30
    assert cal.working_minutes(aware, naive) == 0
