"""No row lock is held while SPLP or the gateway answers: publication (step 15) and the
connection check (16) read, end their transaction, call out, then lock and record.

The SPLP double's handlers try, from a connection of their own, to lock every plan and LID row
with ``FOR UPDATE NOWAIT`` before they answer: a lock the portal held across the call would make
that fail, and the test lists it.
"""
from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok.lid.model import Plan
from sqlalchemy import exc

from tests.lid.conftest import call
from tests.lid.test_lid_connection import _entries, _plan_to_step_14
from tests.support.splp_double import SplpDouble

pytestmark = pytest.mark.usefixtures("lid_db")
LOCKED_TABLES = ("splpdepok_lid_plan", "splpdepok_lid")


def _locked_rows() -> list[str]:
    """The tables whose rows another transaction holds locked right now."""
    assert model.meta.engine is not None
    held: list[str] = []
    with model.meta.engine.connect() as conn:
        for table in LOCKED_TABLES:
            try:
                with conn.begin():
                    conn.execute(sa.text(f"SELECT id FROM {table} FOR UPDATE NOWAIT"))
            except exc.OperationalError as error:
                held.append(f"{table}: {str(error.orig).strip()}")
    return held


@pytest.fixture
def probed(splp_portal: SplpDouble, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The double, probing the locks at every request it answers."""
    seen = SimpleNamespace(calls=[], held=[])

    def probing(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def answer(request: Any) -> Any:
            seen.calls.append(request.path)
            seen.held.extend(f"{request.path}: {lock}" for lock in _locked_rows())
            return handler(request)
        return answer

    for name in ("_token_endpoint", "_publisher", "_gateway"):
        monkeypatch.setattr(splp_portal, name, probing(getattr(splp_portal, name)))
    return seen


def test_the_probe_sees_a_row_lock(
        lid_people: SimpleNamespace, splp_portal: SplpDouble) -> None:
    plan = call("lid_plan_create", lid_people.operator, lid_ids=[])
    assert _locked_rows() == []
    Plan.get(plan["id"], for_update=True)
    try:
        assert [h.split(":")[0] for h in _locked_rows()] == ["splpdepok_lid_plan"]
    finally:
        model.Session.rollback()


def test_no_lock_is_held_while_splp_answers(
        lid_people: SimpleNamespace, probed: SimpleNamespace) -> None:
    plan = _plan_to_step_14(lid_people, _entries(lid_people))
    assert probed.calls == []
    dry = call("lid_sync", lid_people.admin, id=plan["id"], dry_run=True, background=False)
    real = call("lid_sync", lid_people.admin, id=plan["id"], background=False)
    assert (dry["status"], real["status"]) == ("succeeded", "succeeded")
    published = len(probed.calls)
    assert published > 0
    check = call("lid_check", lid_people.admin, id=plan["id"])
    assert check["connected"] is True
    assert any(path.startswith("/t/") for path in probed.calls[published:])  # the gateway
    assert probed.held == []
