"""The LID form for the walidata: an IPPD select (she manages every IPPD, so the form must ask
which one), and errors shown with Indonesian field labels, never raw keys."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.lid.model import Lid

from tests.lid.test_lid_forms import FORM
from tests.lid.test_lid_manual import OTHER, people  # noqa: F401

pytestmark = pytest.mark.usefixtures("lid_db")


def _headers(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _errors(response: Any) -> str:
    box = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
        ".splpdepok-lid-errors")
    assert box is not None
    return box.get_text(" ", strip=True)


def test_walidata_chooses_the_ippd(people: SimpleNamespace, app: Any) -> None:  # noqa: F811
    headers = _headers(people.walidata)
    page = BeautifulSoup(app.get("/id/katalog-lid/baru", headers=headers).get_data(
        as_text=True), "html.parser")
    choices = [o["value"] for o in page.select("#field-ippd_domain option")]
    assert choices == ["", OTHER, "depok.go.id"]

    missing = app.post("/id/katalog-lid/baru", headers=headers, data=dict(FORM))
    text = _errors(missing)
    assert "IPPD:" in text and "ippd_domain" not in text
    bad = app.post("/id/katalog-lid/baru", headers=headers,
                   data=dict(FORM, ippd_domain=OTHER, context="a b"))
    text = _errors(bad)
    assert "Path context:" in text and "context:" not in text.replace("Path context:", "")

    done = app.post("/id/katalog-lid/baru", headers=headers,
                    data=dict(FORM, ippd_domain=OTHER), follow_redirects=False)
    assert done.status_code == 302
    lid = model.Session.query(Lid).one()
    assert lid.ippd_domain == OTHER and lid.status == "ready"


def test_operator_of_one_ippd_gets_no_choice(people: SimpleNamespace, app: Any) -> None:  # noqa: F811
    page = BeautifulSoup(app.get("/katalog-lid/baru", headers=_headers(
        people.operator)).get_data(as_text=True), "html.parser")
    assert [o["value"] for o in page.select("#field-ippd_domain option")] == ["depok.go.id"]
