"""The SOP mechanism without a database: steps, transition table, working-time maths."""
from __future__ import annotations

import datetime as dt

import pytest
from ckanext.splpdepok.registration.workflow import MACHINE, STATES
from ckanext.splpdepok.sop import sla
from ckanext.splpdepok.sop.machine import Machine, Transition, TransitionError
from ckanext.splpdepok.sop.steps import STEPS

CAL = sla.WorkCalendar()  # Asia/Jakarta (UTC+7), 08:00-16:00, Monday-Friday


def test_all_eighteen_steps_have_a_standard() -> None:
    assert sorted(STEPS) == list(range(1, 19))
    for number, step in STEPS.items():
        assert sla.parse_standard(step.default_standard, 480) > 0, number


def test_transition_table_covers_sop_steps_1_to_10() -> None:
    missing = set(range(1, 11)) - MACHINE.steps_covered()
    assert not missing, f"SOP steps without a transition: {sorted(missing)}"


def test_returned_registration_goes_back_to_the_submission_step() -> None:
    resubmit = MACHINE.find("submit", "returned", "ippd")
    assert (resubmit.target, resubmit.step) == ("submitted", 2)
    assert MACHINE.find("return", "submitted", "ippd").note_required
    assert MACHINE.find("reject", "submitted", "lid").note_required
    assert not MACHINE.find("approve", "submitted", "lid").note_required


@pytest.mark.parametrize("kind,review,provision", [("ippd", 3, 4), ("ippd_admin", 6, 6),
                                                    ("lid", 9, 10)])
def test_review_and_provision_steps_per_kind(kind: str, review: int, provision: int) -> None:
    approve = MACHINE.find("approve", "submitted", kind)
    assert approve.step == review
    assert next(t.step for t in MACHINE.follow_ups(approve, kind)) == provision


def test_no_transition_out_of_final_states() -> None:
    for state in ("approved", "rejected"):
        assert MACHINE.allowed(state, "ippd") == []
    with pytest.raises(TransitionError) as raised:
        MACHINE.find("approve", "approved", "ippd")
    assert "approved" in str(raised.value)


def test_machine_refuses_unknown_states() -> None:
    with pytest.raises(ValueError):
        Machine("x", STATES, [Transition("go", "draft", "nowhere", 1, "applicant")])


def test_parse_standard() -> None:
    assert sla.parse_standard("10 min", 480) == 10
    assert sla.parse_standard("1 session", 480) == 480
    assert sla.parse_standard("2 sesi", 300) == 600
    with pytest.raises(ValueError):
        sla.parse_standard("soon", 480)


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.timezone.utc)  # as stored


def test_working_minutes_inside_one_day() -> None:
    # 2026-11-23 is a Monday; 02:00 UTC = 09:00 WIB
    assert CAL.working_minutes(_utc(2026, 11, 23, 2, 0), _utc(2026, 11, 23, 2, 30)) == 30


def test_working_minutes_skip_nights_and_weekends() -> None:
    friday_1500_wib = _utc(2026, 11, 27, 8, 0)
    monday_0900_wib = _utc(2026, 11, 30, 2, 0)
    assert CAL.working_minutes(friday_1500_wib, monday_0900_wib) == 120


def test_working_minutes_outside_hours_is_zero() -> None:
    saturday = _utc(2026, 11, 28, 3, 0)
    assert CAL.working_minutes(saturday, saturday + dt.timedelta(hours=5)) == 0
    assert CAL.working_minutes(monday := _utc(2026, 11, 23, 5), monday) == 0


def test_calendar_parse_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        sla.WorkCalendar.parse("Asia/Jakarta", "16:00-08:00", "mon")
    with pytest.raises(ValueError):
        sla.WorkCalendar.parse("Asia/Jakarta", "08:00-16:00", "caturday")
    cal = sla.WorkCalendar.parse("Asia/Jakarta", "07:30-15:30", "mon,tue")
    assert cal.workdays == frozenset({0, 1}) and cal.day_minutes == 480


def test_compliance_counts_median_and_share() -> None:
    rows = {r.step: r for r in sla.compliance([(3, 100), (3, 500), (3, 200), (4, 30)],
                                              {3: 480.0, 4: 20.0, 5: 20.0})}
    assert rows[3].count == 3 and rows[3].median_minutes == 200
    assert rows[3].within_standard == 2 and rows[3].share_within == pytest.approx(2 / 3)
    assert rows[4].within_standard == 0
    assert rows[5].count == 0 and rows[5].share_within is None
