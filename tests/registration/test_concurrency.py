"""Two reviewers acting on one registration at the same moment, each thread with its own session."""
from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers
from ckanext.splpdepok.registration.model import Ippd
from ckanext.splpdepok.sop.model import SopEvent, events_table
from sqlalchemy import exc

from tests.registration.conftest import act, fields


def _race(app: Any, calls: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> list[Any]:
    """Runs the calls in threads released together; returns each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, action: str, user: dict[str, Any], data: dict[str, Any]) -> None:
        with app.flask_app.test_request_context():
            try:
                barrier.wait(timeout=10)
                results[index] = helpers.call_action(
                    f"splpdepok_registration_{action}",
                    context={"user": user["name"], "ignore_auth": False}, **data)
            except (helpers.logic.ActionError, exc.SQLAlchemyError,
                    threading.BrokenBarrierError) as error:  # the outcome the test checks
                model.Session.rollback()
                results[index] = error
            finally:
                model.Session.remove()

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results


def _submitted(people: SimpleNamespace) -> dict[str, Any]:
    reg = act("create", people.applicant, **fields("ippd"))
    act("submit", people.applicant, id=reg["id"])
    model.Session.remove()
    return reg


@pytest.mark.parametrize("round_", range(3))
def test_two_approvals_one_wins(app: Any, people: SimpleNamespace, round_: int) -> None:
    reg = _submitted(people)
    results = _race(app, [("approve", people.walidata, {"id": reg["id"]}),
                          ("approve", people.sysadmin, {"id": reg["id"]})])
    wins = [r for r in results if isinstance(r, dict)]
    losses = [r for r in results if not isinstance(r, dict)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], helpers.logic.ValidationError)
    assert "conflict" in losses[0].error_dict
    assert model.Session.query(model.User).filter_by(name="admin-ippd").count() == 1
    assert model.Session.query(Ippd).count() == 1
    assert model.Session.query(model.Group).filter_by(
        title="Dinas Komunikasi dan Informatika").count() == 1
    transitions = [e.transition for e in model.Session.query(SopEvent).filter_by(
        subject_id=reg["id"]).order_by(SopEvent.seq)]
    assert transitions == ["create", "submit", "approve", "approve:provision"]


def test_approve_and_reject_at_once(app: Any, people: SimpleNamespace) -> None:
    reg = _submitted(people)
    results = _race(app, [("approve", people.walidata, {"id": reg["id"]}),
                          ("reject", people.sysadmin, {"id": reg["id"], "note": "tidak"})])
    winners = [r for r in results if isinstance(r, dict)]
    assert len(winners) == 1
    status = act("show", people.sysadmin, id=reg["id"])["status"]
    assert status == winners[0]["status"]
    approved = status == "approved"
    assert (model.Session.query(model.User).filter_by(name="admin-ippd").count() == 1) is approved
    decisions = model.Session.query(SopEvent).filter(
        events_table.c.subject_id == reg["id"],
        events_table.c.transition.in_(["approve", "reject"])).count()
    assert decisions == 1


@pytest.mark.parametrize("round_", range(3))
def test_one_ippd_per_domain_when_two_applications_are_approved_at_once(
        app: Any, people: SimpleNamespace, round_: int) -> None:
    """Two applications for the same new IPPD domain, approved by two reviewers at the same
    moment: the domain lock lets exactly one through; the other gets a 409-style error."""
    first = act("create", people.applicant, **fields("ippd"))
    act("submit", people.applicant, id=first["id"])
    second = act("create", people.other, **fields("ippd", username="admin-dua",
                                                   email="dua@depok.go.id",
                                                   new_organization="Dinas Dua"))
    act("submit", people.other, id=second["id"])
    model.Session.remove()
    results = _race(app, [("approve", people.walidata, {"id": first["id"]}),
                          ("approve", people.sysadmin, {"id": second["id"]})])
    wins = [r for r in results if isinstance(r, dict)]
    losses = [r for r in results if not isinstance(r, dict)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], helpers.logic.ValidationError), losses
    assert "already registered" in str(losses[0].error_dict)
    assert model.Session.query(Ippd).filter_by(domain="depok.go.id").count() == 1
    statuses = {act("show", people.sysadmin, id=r["id"])["status"] for r in (first, second)}
    assert statuses == {"approved", "submitted"}
    loser_user = "admin-dua" if wins[0]["id"] == first["id"] else "admin-ippd"
    assert model.User.get(loser_user) is None  # the loser's provisioning rolled back


def test_the_database_refuses_a_second_approved_ippd_registration(
        people: SimpleNamespace) -> None:
    """The partial unique index behind the lock."""

    regs = [act("create", who, **fields("ippd", username=f"admin-{n}", email=f"{n}@depok.go.id"))
            for n, who in enumerate((people.applicant, people.other))]
    model.Session.execute(sa.text(
        "UPDATE splpdepok_registrations SET status = 'approved' WHERE id = :id"),
        {"id": regs[0]["id"]})
    with pytest.raises(exc.IntegrityError):
        model.Session.execute(sa.text(
            "UPDATE splpdepok_registrations SET status = 'approved' WHERE id = :id"),
            {"id": regs[1]["id"]})
    model.Session.rollback()
