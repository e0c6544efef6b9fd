"""Mail failures are honest and quiet: one WARNING line, the decision stands, and the reviewer is
told the mail did not go out; with the (real) SMTP server up, it says how many went out."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from ckan.tests import factories

from tests.registration.conftest import act, fields, found
from tests.support.live_server import free_port


@pytest.fixture
def loud_loggers() -> Iterator[None]:
    """The migrations' ``fileConfig`` disables existing loggers: CKAN's mailer logger must be
    live, or a traceback it logs would go unnoticed."""
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if name.startswith(("ckan", "ckanext")) and isinstance(logger, logging.Logger):
            logger.disabled = False
    yield


def _decide_in_the_page(app: Any, user: dict[str, Any], reg_id: str, decision: str,
                        note: str = "") -> str:
    """Review form -> confirmation page -> confirmed decision, as the browser does."""
    client = app.test_client()
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]}
    page = client.get(f"/ckan-admin/pendaftaran/{reg_id}", headers=headers).get_data(as_text=True)
    token = found(re.search(r'name="_csrf_token" value="([^"]+)"', page)).group(1)
    confirm = client.post(f"/ckan-admin/pendaftaran/{reg_id}/{decision}", headers=headers,
                          data={"_csrf_token": token, "note": note}).get_data(as_text=True)
    assert 'name="confirmed"' in confirm
    fields_ = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm))
    done = client.post(f"/ckan-admin/pendaftaran/{reg_id}/{decision}", headers=headers,
                       data=fields_, follow_redirects=True)
    assert done.status_code == 200
    return done.get_data(as_text=True)


def _submitted(people: SimpleNamespace) -> dict[str, Any]:
    reg = act("create", people.applicant, **fields("ippd"))
    return act("submit", people.applicant, id=reg["id"])


def test_smtp_down_one_warning_per_mail_and_the_reviewer_is_told(
        app: Any, people: SimpleNamespace, loud_loggers: None,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from ckan.common import config

    reg = _submitted(people)
    monkeypatch.setitem(config, "smtp.server", f"127.0.0.1:{free_port()}")  # nobody listens
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        page = _decide_in_the_page(app, people.walidata, reg["id"], "approve")
    assert "could NOT be sent" in page and "e-mails sent:" not in page
    assert act("show", people.walidata, id=reg["id"])["status"] == "approved"
    warnings = [r for r in caplog.records if r.name == "ckanext.splpdepok.notify.logic.mail"]
    # the applicant (approved) and the new account holder (invitation)
    assert sorted(r.getMessage().split()[2] for r in warnings) == [
        "admin.ippd@depok.go.id", "pemohon@depok.go.id"]
    assert all(r.levelno == logging.WARNING and "not sent" in r.getMessage()
               and r.exc_info is None for r in warnings)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


def test_smtp_down_for_the_api_too(people: SimpleNamespace, loud_loggers: None,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from ckan.common import config

    reg = _submitted(people)
    monkeypatch.setitem(config, "smtp.server", f"127.0.0.1:{free_port()}")
    result = act("return", people.walidata, id=reg["id"], note="Lengkapi")
    assert result["status"] == "returned"
    assert result["mail"] == {"sent": 0, "failed": 1, "queued": 0}


def test_smtp_up_the_reviewer_is_told_the_mails_went_out(
        app: Any, people: SimpleNamespace, mail_to_test_smtp: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    reg = _submitted(people)
    mail_to_test_smtp.clear()
    page = _decide_in_the_page(app, people.walidata, reg["id"], "reject", note="Bukan OPD")
    assert "Notification e-mails sent: 1." in page and "could NOT" not in page
    assert [m.subject for m in mail_to_test_smtp.wait_for(1)
            if "pemohon@depok.go.id" in m.rcpt_tos]
    assert not [r for r in caplog.records if r.name == "ckanext.splpdepok.notify.logic.mail"]
    assert act("show", people.walidata, id=reg["id"])["status"] == "rejected"


def test_reject_without_a_note_is_refused_before_the_confirmation(
        app: Any, people: SimpleNamespace) -> None:
    reg = _submitted(people)
    client = app.test_client()
    headers = {"Authorization": factories.APIToken(user=people.walidata["name"])["token"]}
    url = f"/ckan-admin/pendaftaran/{reg['id']}"
    page = client.get(url, headers=headers).get_data(as_text=True)
    token = found(re.search(r'name="_csrf_token" value="([^"]+)"', page)).group(1)
    done = client.post(f"{url}/reject", headers=headers,
                       data={"_csrf_token": token, "note": "  "}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "A note is required" in html and 'name="confirmed"' not in html
    assert act("show", people.walidata, id=reg["id"])["status"] == "submitted"
