"""Every action against anonymous, applicant, another user, org editor, walidata, sysadmin."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from ckan.tests import factories, helpers
from ckan.tests.helpers import logic
from ckan.types import Context

from tests.registration.conftest import act, fields

ROLES = ("anonymous", "applicant", "other", "editor", "walidata", "sysadmin")


def _who(people: SimpleNamespace, role: str) -> dict[str, Any] | None:
    return None if role == "anonymous" else getattr(people, role)


def _allowed(call: Any) -> bool:
    try:
        call()
    except logic.NotAuthorized:
        return False
    return True


@pytest.fixture
def draft(people: SimpleNamespace) -> dict[str, Any]:
    return act("create", people.applicant, **fields("ippd"))


@pytest.mark.parametrize("role", ROLES)
def test_create(people: SimpleNamespace, role: str) -> None:
    call = lambda: act("create", _who(people, role), **fields("ippd"))  # noqa: E731
    assert _allowed(call) is (role != "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_update_and_submit_only_by_the_applicant(people: SimpleNamespace, draft: Any,
                                                 role: str) -> None:
    who = _who(people, role)
    expected = role in ("applicant", "sysadmin")
    assert _allowed(lambda: act("update", who, id=draft["id"], full_name="X Y")) is expected
    assert _allowed(lambda: act("submit", who, id=draft["id"])) is expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("decision", ["approve", "return", "reject"])
def test_decisions_only_by_reviewers(people: SimpleNamespace, draft: Any, role: str,
                                     decision: str) -> None:
    act("submit", people.applicant, id=draft["id"])
    call = lambda: act(decision, _who(people, role), id=draft["id"], note="catatan")  # noqa: E731
    assert _allowed(call) is (role in ("walidata", "sysadmin"))


@pytest.mark.parametrize("role", ROLES)
def test_show(people: SimpleNamespace, draft: Any, role: str) -> None:
    expected = role in ("applicant", "walidata", "sysadmin")
    assert _allowed(lambda: act("show", _who(people, role), id=draft["id"])) is expected
    if expected:
        shown = act("show", _who(people, role), id=draft["id"])
        assert shown["email"] == "admin.ippd@depok.go.id" and shown["documents"]


@pytest.mark.parametrize("role,visible", [("applicant", 1), ("other", 0), ("editor", 0),
                                          ("walidata", 1), ("sysadmin", 1)])
def test_list_shows_only_what_the_caller_may_see(people: SimpleNamespace, draft: Any,
                                                 role: str, visible: int) -> None:
    result = act("list", _who(people, role))
    assert result["count"] == visible
    assert all(r["email"] for r in result["results"])


def test_list_refuses_anonymous(people: SimpleNamespace, draft: Any) -> None:
    with pytest.raises(logic.NotAuthorized):
        act("list", None)


@pytest.mark.parametrize("role", ROLES)
def test_sla_report_and_export_for_the_walidata_only(people: SimpleNamespace, role: str) -> None:
    who = _who(people, role)
    context: Context = {"user": who["name"] if who else "", "ignore_auth": False}
    expected = role in ("walidata", "sysadmin")
    assert _allowed(lambda: helpers.call_action("splpdepok_sla_report", context=dict(context))) \
        is expected
    assert _allowed(lambda: logic.check_access("splpdepok_registration_export",
                                               cast(Context, dict(context)), {})) is expected


def test_api_over_http(app: Any, people: SimpleNamespace, draft: Any) -> None:
    """Status codes a ckanapi client sees: 403 for outsiders, 409 for a lost race."""
    act("submit", people.applicant, id=draft["id"])
    other = factories.APIToken(user=people.other["name"])["token"]
    walidata = factories.APIToken(user=people.walidata["name"])["token"]
    url = "/api/3/action/splpdepok_registration_show"
    assert app.get(url, query_string={"id": draft["id"]}, status=403)
    body = app.get(url, query_string={"id": draft["id"]}, headers={"Authorization": other},
                   status=403).get_data(as_text=True)
    assert "depok.go.id" not in body and "+62" not in body
    approve = "/api/3/action/splpdepok_registration_approve"
    ok = app.post(approve, json={"id": draft["id"]}, headers={"Authorization": walidata})
    assert ok.json["result"]["status"] == "approved"
    again = app.post(approve, json={"id": draft["id"]}, headers={"Authorization": walidata},
                     status=409)
    assert "conflict" in again.json["error"]
    listing = app.get("/api/3/action/splpdepok_registration_list",
                      headers={"Authorization": other}).json["result"]
    assert listing == {"count": 0, "results": []}
