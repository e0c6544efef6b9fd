"""SOP steps 11-18: the connection-plan transition table and the ``ckan splpdepok sop`` trace."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.cli.cli import ckan
from ckanext.splpdepok.lid import workflow
from ckanext.splpdepok.registration.workflow import MACHINE as REGISTRATION
from ckanext.splpdepok.sop import cli as sop_cli
from ckanext.splpdepok.sop.machine import TransitionError

LID_MACHINE_PATH = "ckanext.splpdepok.lid.workflow:MACHINE"


def test_plan_machine_covers_steps_11_to_18() -> None:
    assert workflow.MACHINE.steps_covered() == set(range(11, 19))
    assert REGISTRATION.steps_covered() | workflow.MACHINE.steps_covered() == set(range(1, 19))


def test_failed_check_goes_back_to_step_15_and_success_notifies() -> None:
    machine = workflow.MACHINE
    fail = machine.find("check_fail", "synced")
    assert (fail.step, fail.target, fail.note_required) == (16, "check_failed", True)
    assert machine.allowed("check_failed") == ["sync", "publish_manual"]
    assert machine.find("sync", "check_failed").step == 15
    assert machine.find("publish_manual", "check_failed").step == 15
    manual_pass = machine.find("check_manual_pass", "synced")
    assert [t.step for t in machine.follow_ups(manual_pass)] == [17, 18]
    manual_fail = machine.find("check_manual_fail", "synced")
    assert (manual_fail.step, manual_fail.target, manual_fail.note_required) == (
        16, "check_failed", True)
    passed = machine.find("check_pass", "synced")
    assert [t.step for t in machine.follow_ups(passed)] == [17, 18]
    with pytest.raises(TransitionError):
        machine.find("check_pass", "check_failed")  # no check without syncing again
    assert machine.allowed("draft") == ["update", "send"]


def _trace(cli: Any) -> str:
    result = cli.invoke(ckan, ["splpdepok", "sop"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("with_plugins")
def test_sop_trace_covers_all_18_steps_with_the_lid_machine(
        cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the registration requested from sop/cli.py (MACHINES lists the LID workflow)."""
    if LID_MACHINE_PATH not in sop_cli.MACHINES:
        monkeypatch.setattr(sop_cli, "MACHINES", (*sop_cli.MACHINES, LID_MACHINE_PATH))
    out = _trace(cli)
    for number in range(1, 19):
        assert f"Step {number:>2}" in out
    assert "(not implemented by any workflow yet)" not in out
    assert "lid_plan/*: check_fail: synced -> check_failed by SPLP (national) " \
           "[note required]" in out
    assert "lid_plan/*: sync: check_failed -> synced by IPPD admin" in out
    assert "lid_plan/*: check_pass:received: connected -> connected by Portal (automatic) " \
           "[automatic]" in out


@pytest.mark.usefixtures("with_plugins")
def test_sop_command_as_shipped_covers_all_18_steps(cli: Any) -> None:
    assert "(not implemented by any workflow yet)" not in _trace(cli)
