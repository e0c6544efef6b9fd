"""Notifications: CKAN's mailer in Indonesian (English on request) and the same notices on site."""
from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.registration.conftest import act, fields


def _returned(people: SimpleNamespace) -> dict[str, Any]:
    reg = act("create", people.applicant, **fields("ippd"))
    act("submit", people.applicant, id=reg["id"])
    act("return", people.walidata, id=reg["id"], note="Lengkapi surat")
    return reg


def _notices(user: dict[str, Any], **data: Any) -> Any:
    return helpers.call_action("splpdepok_notice_list",
                               context={"user": user["name"], "ignore_auth": False}, **data)


def test_mail_is_indonesian_by_default(people: SimpleNamespace, mail_to_test_smtp: Any) -> None:
    _returned(people)
    mail = mail_to_test_smtp.to("pemohon@depok.go.id")[0]
    assert mail.subject.endswith("Pendaftaran dikembalikan karena belum lengkap: depok.go.id")
    assert "Yth. Pemohon," in mail.body and "Catatan pemeriksa: Lengkapi surat" in mail.body
    review = mail_to_test_smtp.to("walidata@depok.go.id")[0]
    assert "Pendaftaran perlu diperiksa" in review.subject
    assert "/ckan-admin/pendaftaran/" in review.body


@pytest.mark.ckan_config("ckanext.splpdepok.notify.locale", "en")
def test_mail_in_english_when_configured(people: SimpleNamespace,
                                         mail_to_test_smtp: Any) -> None:
    _returned(people)
    mail = mail_to_test_smtp.to("pemohon@depok.go.id")[0]
    assert "Registration returned as incomplete: depok.go.id" in mail.subject
    assert "Reviewer note: Lengkapi surat" in mail.body


def test_notices_on_site(app: Any, people: SimpleNamespace, mail_to_test_smtp: Any) -> None:
    reg = _returned(people)
    mine = _notices(people.applicant)
    assert len(mine) == 1 and not mine[0]["read"]
    assert mine[0]["link"].endswith(f"/pendaftaran/{reg['id']}")
    assert _notices(people.other) == []
    assert len(_notices(people.walidata)) == 1  # "to review" on submit
    with pytest.raises(helpers.logic.NotAuthorized):
        _notices({"name": ""})

    token = factories.APIToken(user=people.applicant["name"])["token"]
    page = app.get("/pemberitahuan", headers={"Authorization": token}).get_data(as_text=True)
    assert "Lengkapi surat" in page
    assert app.get("/pemberitahuan", follow_redirects=False).status_code == 302
    helpers.call_action("splpdepok_notice_mark_read",
                        context={"user": people.applicant["name"], "ignore_auth": False})
    assert _notices(people.applicant, unread_only=True) == []


def test_mail_failure_does_not_undo_the_decision(people: SimpleNamespace,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from ckan.common import config

    monkeypatch.setitem(config, "smtp.server", "127.0.0.1:1")  # nothing listens there
    reg = _returned(people)
    assert act("show", people.applicant, id=reg["id"])["status"] == "returned"
    assert len(_notices(people.applicant)) == 1


def test_forms_refuse_posts_without_csrf_token(app: Any, people: SimpleNamespace) -> None:
    """A browser session (cookie login) must send the form's CSRF token."""
    user = factories.User(password="Rahasia-123456", email="kuki@depok.go.id")
    reg = act("create", user, **fields("ippd"))
    client = app.test_client()  # one client: the session cookie persists between requests
    login_form = client.get("/user/login").get_data(as_text=True)
    found = re.search(r'name="_csrf_token" value="([^"]+)"', login_form)
    assert found
    client.post("/user/login", data={"login": user["name"], "password": "Rahasia-123456",
                                     "_csrf_token": found.group(1)})
    page = client.get(f"/pendaftaran/{reg['id']}").get_data(as_text=True)
    assert "admin.ippd@depok.go.id" in page, "the cookie session is signed in"
    response = client.post(f"/pendaftaran/{reg['id']}/kirim", data={})
    assert response.status_code in (400, 403)
    assert act("show", user, id=reg["id"])["status"] == "draft"
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert token
    client.post(f"/pendaftaran/{reg['id']}/kirim", data={"_csrf_token": token.group(1)})
    assert act("show", user, id=reg["id"])["status"] == "submitted"
