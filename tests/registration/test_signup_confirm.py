"""Self-service sign-up waits for its mailed link (security/views.py, security/logic/account.py),
through the Flask test client with a real SMTP server: the account is pending and nobody is
signed in until the link is followed; the link works once; bad, missing and unknown keys and
malformed input answer 400/403, never 500; a resend is rate-limited; a mail failure is said;
a signed-in sysadmin keeps CKAN's behaviour; an invited (unmarked) pending account is left to
CKAN's reset link."""
from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.security.logic import account

from tests.support.live_server import free_port
from tests.support.smtp import SmtpServer, mail_to_test_smtp, smtp_server  # noqa: F401

pytestmark = [pytest.mark.ckan_config("ckan.auth.create_user_via_web", "true"),
              pytest.mark.usefixtures("with_plugins", "clean_db")]
LINK = re.compile(r"https?://\S+/user/konfirmasi/([^?\s]+)\?key=(\w+)")


def _csrf(client: Any, path: str, headers: dict[str, str] | None = None) -> str:
    page = client.get(path, headers=headers or {}).get_data(as_text=True)
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert match, page[:2000]
    return match.group(1)


def _sign_up(client: Any, login: str, prefix: str = "", **extra: str) -> Any:
    password = extra.pop("password", "Depok-" + secrets.token_urlsafe(8))
    data = {"_csrf_token": _csrf(client, f"{prefix}/user/register"), "name": login,
            "fullname": "Pemohon Dinas", "email": f"{login}@depok.go.id",
            "password1": password, "password2": password, "save": "", **extra}
    return client.post(f"{prefix}/user/register", data=data)


def _user(name: str) -> model.User:
    model.Session.remove()
    user = model.User.get(name)
    assert user is not None
    return user


def _link(smtp: SmtpServer, email: str) -> tuple[str, str, str]:
    smtp.wait_for(1)
    mails = smtp.to(email)
    assert mails, "no confirmation mail"
    match = LINK.search(mails[-1].body)
    assert match, mails[-1].body
    return match.group(0), match.group(1), match.group(2)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_sign_up_leaves_the_account_pending_and_the_link_activates_it_once(
        app: Any, mail_to_test_smtp: SmtpServer) -> None:  # noqa: F811
    client = app.test_client()
    response = _sign_up(client, "pemohon-baru", prefix="/id")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Periksa kotak surat Anda" in page and "pemohon-baru@depok.go.id" in page
    user = _user("pemohon-baru")
    assert user.state == "pending"
    # not signed in: the dashboard sends the visitor to the sign-in page
    assert client.get("/dashboard/datasets", follow_redirects=False).status_code == 302
    url, user_id, key = _link(mail_to_test_smtp, "pemohon-baru@depok.go.id")
    mail = mail_to_test_smtp.to("pemohon-baru@depok.go.id")[-1]
    assert "Konfirmasi akun" in mail.subject and "Halo Pemohon Dinas" in mail.body
    assert user_id == user.id and key not in page, "the key is in the mail only"

    done = client.get(_path(url), follow_redirects=False)
    assert done.status_code == 302
    assert done.headers["Location"].rstrip("/").endswith("/id/pendaftaran")
    user = _user("pemohon-baru")
    assert user.state == "active" and user.reset_key is None
    assert client.get("/dashboard/datasets", follow_redirects=False).status_code == 200, "signed in"

    again = app.test_client().get(_path(url))
    assert again.status_code == 403
    assert "Akun ini sudah aktif" in again.get_data(as_text=True)


def test_english_mail_in_english(app: Any, mail_to_test_smtp: SmtpServer) -> None:  # noqa: F811
    response = _sign_up(app.test_client(), "applicant-en", prefix="/en")
    assert "Check your mailbox" in response.get_data(as_text=True)
    mail = mail_to_test_smtp.wait_for(1)[-1]
    assert mail.subject.startswith("Confirm your account")
    assert "open this link within 72 hours" in mail.body


@pytest.mark.parametrize("query,status", [
    ("", 400), ("?key=", 400), ("?key=%20", 400), ("?key=salah", 403),
    ("?key=" + "a" * 32, 403), ("?key=%00", 400), ("?key=x&key=y", 403),
])
def test_bad_keys_answer_400_or_403(app: Any, mail_to_test_smtp: SmtpServer,  # noqa: F811
                                    query: str, status: int) -> None:
    client = app.test_client()
    _sign_up(client, "kunci-salah")
    user = _user("kunci-salah")
    response = client.get(f"/user/konfirmasi/{user.id}{query}")
    assert response.status_code == status
    assert _user("kunci-salah").state == "pending"


@pytest.mark.parametrize("user_id", ["tidak-ada", "x" * 300, "%00", "..%2F..", "'--"])
def test_unknown_or_malformed_ids_answer_without_500(app: Any, user_id: str) -> None:
    response = app.test_client().get(f"/user/konfirmasi/{user_id}?key=abcdef")
    assert response.status_code in (400, 403, 404)


def test_an_expired_link_is_refused_with_a_way_to_ask_again(
        app: Any, mail_to_test_smtp: SmtpServer) -> None:  # noqa: F811
    client = app.test_client()
    _sign_up(client, "kedaluwarsa")
    url = _link(mail_to_test_smtp, "kedaluwarsa@depok.go.id")[0]
    user = _user("kedaluwarsa")
    mark = dict(user.plugin_extras[account.MARK])
    mark["key_made"] = "2020-01-01T00:00:00+00:00"
    user.plugin_extras = {account.MARK: mark}
    model.repo.commit()
    response = client.get(_path(url))
    assert response.status_code == 403
    assert "expired" in response.get_data(as_text=True)
    assert 'id="splpdepok-resend"' in response.get_data(as_text=True)
    assert _user("kedaluwarsa").state == "pending"


def test_sign_in_before_confirming_says_so_and_offers_a_resend(
        app: Any, mail_to_test_smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    client = app.test_client()
    _sign_up(client, "belum-konfirmasi", password="Benar-sekali-123")
    first = _link(mail_to_test_smtp, "belum-konfirmasi@depok.go.id")[0]
    data = {"_csrf_token": _csrf(client, "/user/login"), "login": "belum-konfirmasi",
            "password": "Benar-sekali-123"}
    response = client.post("/user/login", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "not active yet" in page and 'id="splpdepok-resend"' in page
    assert "Benar-sekali-123" not in page and _user("belum-konfirmasi").reset_key not in page
    # a wrong password gets CKAN's answer: nothing said about the account
    data["password"] = "salah-salah-salah"
    wrong = client.post("/user/login", data=data).get_data(as_text=True)
    assert "not active yet" not in wrong and 'id="splpdepok-resend"' not in wrong

    resend = {"_csrf_token": _csrf(client, "/user/login"), "login": "belum-konfirmasi"}
    too_soon = client.post("/user/konfirmasi/kirim-ulang", data=resend)
    assert too_soon.status_code == 429, "one mail a minute"
    assert len(mail_to_test_smtp.to("belum-konfirmasi@depok.go.id")) == 1
    monkeypatch.setattr(account, "RESEND_SECONDS", 0)
    again = client.post("/user/konfirmasi/kirim-ulang", data=resend)
    assert again.status_code == 200
    assert "belum-konfirmasi@depok.go.id" not in again.get_data(as_text=True)
    mail_to_test_smtp.wait_for(2)
    newest = _link(mail_to_test_smtp, "belum-konfirmasi@depok.go.id")[0]
    assert newest != first
    assert app.test_client().get(_path(first)).status_code == 403, "the old link stops"
    assert app.test_client().get(_path(newest), follow_redirects=False).status_code == 302


def test_smtp_down_is_said_and_the_account_stays_pending(
        app: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from ckan.common import config

    for name in ("ckan.lib.mailer", "ckanext.splpdepok.notify.logic.mail"):
        logging.getLogger(name).disabled = False  # the migrations' fileConfig disables loggers
    monkeypatch.setitem(config, "smtp.server", f"127.0.0.1:{free_port()}")  # nobody listens
    with caplog.at_level(logging.DEBUG):
        response = _sign_up(app.test_client(), "tanpa-surat")
    assert [r.levelname for r in caplog.records if "not sent" in r.getMessage()] == ["WARNING"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "one warning line"
    page = response.get_data(as_text=True)
    assert "could NOT be sent" in page and "Check your mailbox" not in page
    assert 'id="splpdepok-resend"' in page
    assert _user("tanpa-surat").state == "pending"


def test_a_form_without_csrf_token_is_refused(app: Any) -> None:
    response = app.test_client().post("/user/register", data={
        "name": "tanpa-token", "email": "t@depok.go.id", "password1": "Depok-12345678",
        "password2": "Depok-12345678"}, follow_redirects=False)
    assert response.status_code == 400
    model.Session.remove()
    assert model.User.get("tanpa-token") is None
    resend = app.test_client().post("/user/konfirmasi/kirim-ulang", data={"login": "x"},
                                    follow_redirects=False)
    assert resend.status_code == 400


@pytest.mark.parametrize("field,value", [
    ("name", ""), ("name", "Bukan Nama!"), ("email", "bukan-email"), ("password1", "pendek"),
    ("name", "x" * 5000), ("fullname", "a\x00b"),
])
def test_malformed_sign_up_answers_with_the_form(
        app: Any, mail_to_test_smtp: SmtpServer, field: str, value: str) -> None:  # noqa: F811
    response = _sign_up(app.test_client(), "baru-" + secrets.token_hex(3), **{field: value})
    assert response.status_code in (200, 400)
    assert mail_to_test_smtp.messages == []


def test_a_duplicate_name_answers_with_the_form(app: Any) -> None:
    factories.User(name="sudah-ada")
    response = _sign_up(app.test_client(), "sudah-ada")
    assert response.status_code == 200
    assert "That login name is not available" in response.get_data(as_text=True)


def test_a_sysadmin_creating_an_account_keeps_ckans_behaviour(
        app: Any, mail_to_test_smtp: SmtpServer) -> None:  # noqa: F811
    admin = factories.Sysadmin()
    headers: dict[str, str] = {"Authorization": factories.APIToken(user=admin["name"])["token"]}
    client = app.test_client()
    data = {"_csrf_token": _csrf(client, "/user/register", headers), "name": "dibuat-admin",
            "email": "dibuat-admin@depok.go.id", "password1": "Depok-12345678",
            "password2": "Depok-12345678", "save": ""}
    response = client.post("/user/register", data=data, headers=headers,
                           follow_redirects=False)
    assert response.status_code == 302
    assert _user("dibuat-admin").state == "active"
    assert mail_to_test_smtp.messages == []


def test_an_invited_pending_account_is_not_confirmed_here(app: Any) -> None:
    """An approval's invitation: pending, no mark, CKAN's reset key; /user/reset is its way."""
    invited = factories.User(name="undangan")
    user = _user("undangan")
    user.state = "pending"
    user.reset_key = "a" * 32
    model.repo.commit()
    assert app.test_client().get(
        f"/user/konfirmasi/{invited['id']}?key={'a' * 32}").status_code == 403
    assert _user("undangan").state == "pending"
    assert app.test_client().get(
        f"/user/reset/{invited['id']}?key={'a' * 32}").status_code == 200
