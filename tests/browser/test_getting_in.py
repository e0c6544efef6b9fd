"""Getting in, in Chromium against the live portal (demo data, config/portal.ini) with a real
SMTP server: a stranger finds how to get an account from /pendaftaran and the sign-in page,
signs up, is not signed in until the mailed confirmation link is followed (once), reaches the
registration form with no extra rights, and a forgotten password is reset through the mailed
link. Signing in before confirming says so; a mail failure is said. Bad input answers with a
message, never a 500.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.support.browser import login
from tests.support.live_server import LiveServer, demo_portal  # noqa: F401
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.browser
LIVE_SERVER_CONFIG: dict[str, str] = {}


@pytest.fixture(scope="module")
def smtp(request: pytest.FixtureRequest) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.controller.start()
    # read by demo_portal, which this module's ``portal`` fixture asks for after this one
    request.module.LIVE_SERVER_CONFIG = {"smtp.server": server.address,
                                         "smtp.mail_from": "noreply@depok.go.id"}
    yield server
    server.controller.stop()


@pytest.fixture(scope="module")
def portal(smtp: SmtpServer, demo_portal: LiveServer) -> LiveServer:  # noqa: F811
    return demo_portal


def _sign_up(page: Page, base: str, name: str, email: str, password: str) -> None:
    page.goto(f"{base}/user/register")
    page.fill("#field-username", name)
    page.fill("#field-fullname", "Pemohon Dinas")
    page.fill("#field-email", email)
    page.fill("#field-password", password)
    page.fill("#field-confirm-password", password)
    page.locator("#user-register-form button[name=save]").click()
    page.wait_for_load_state("networkidle")


def test_registration_and_sign_in_pages_say_how_to_get_an_account(
    page: Page, portal: LiveServer,
) -> None:
    page.goto(f"{portal.url}/pendaftaran")
    link = page.locator(".splpdepok-get-account a#splpdepok-sign-up")
    assert "Belum punya akun?" in page.locator(".splpdepok-get-account").inner_text()
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/user/register")
    assert page.locator("#user-register-form").count() == 1
    assert "Mengapa membuat akun?" in page.content()
    page.goto(f"{portal.url}/user/login")
    assert page.locator("#splpdepok-sign-up").get_attribute("href") == "/user/register"


def _confirmation_link(smtp: SmtpServer, email: str, count: int = 1) -> str:
    smtp.wait_for(count)
    mails = smtp.to(email)
    assert len(mails) >= count, "the confirmation mail did not arrive"
    match = re.search(r"https?://\S+/user/konfirmasi/\S+\?key=\w+", mails[-1].body)
    assert match, mails[-1].body
    return match.group(0)


def _signed_in(page: Page, base: str) -> bool:
    page.goto(f"{base}/dashboard/datasets")
    return "/user/login" not in page.url


def test_a_stranger_signs_up_confirms_the_mailed_link_and_reaches_the_registration_form(
    page: Page, portal: LiveServer, smtp: SmtpServer,
) -> None:
    name = "pemohon-" + secrets.token_hex(3)
    email = f"{name}@depok.go.id"
    password = "Depok-" + secrets.token_urlsafe(10)
    _sign_up(page, portal.url, name, email, password)
    assert "Periksa kotak surat Anda" in page.content()
    assert email in page.locator("#splpdepok-check-mail").inner_text()
    assert not _signed_in(page, portal.url), "not signed in before the link is followed"
    link = _confirmation_link(smtp, email)
    assert "Konfirmasi akun" in smtp.to(email)[-1].subject
    page.goto(link)
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/").endswith("/pendaftaran")
    assert "akun Anda aktif" in page.content()
    page.locator("#new-ippd").click()
    page.wait_for_load_state("networkidle")
    assert "/pendaftaran/baru/ippd" in page.url
    assert page.locator("form").count() >= 1
    # no extra rights: not a member of any organization, no access to the review queue
    token = portal.api_token(name)
    assert portal.action("organization_list_for_user", {"permission": "read"}, token) == []
    assert portal.get("/ckan-admin/pendaftaran", token=token).status_code == 403
    # the link works once
    response = page.context.new_page().goto(link)
    assert response is not None and response.status == 403
    assert "sudah aktif" in response.text()


def test_signing_in_before_confirming_says_so_and_a_new_link_can_be_asked_for(
    page: Page, portal: LiveServer, smtp: SmtpServer,
) -> None:
    name = "belum-" + secrets.token_hex(3)
    email = f"{name}@depok.go.id"
    password = "Depok-" + secrets.token_urlsafe(10)
    _sign_up(page, portal.url, name, email, password)
    first = _confirmation_link(smtp, email)
    login(page, portal.url, name, password)
    assert "Akun ini belum aktif" in page.content()
    resend = page.locator("#splpdepok-resend button[name=resend]")
    assert resend.inner_text().strip() == "Kirim ulang tautan"
    resend.click()
    page.wait_for_load_state("networkidle")
    # a minute has not passed since the sign-up mail: refused, no second mail
    assert "kurang dari satu menit" in page.content()
    assert len(smtp.to(email)) == 1
    assert not _signed_in(page, portal.url)
    page.goto(first)
    page.wait_for_load_state("networkidle")
    assert _signed_in(page, portal.url), "the mailed link still works"


def test_smtp_down_is_said_honestly_and_the_account_stays_pending(
    page: Page, portal: LiveServer, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = "tanpa-surat-" + secrets.token_hex(3)
    password = "Depok-" + secrets.token_urlsafe(10)

    async def refuse(server: Any, session: Any, envelope: Any) -> str:
        return "451 4.3.0 mail system unavailable"

    # the real server refuses every message (a new connection reads the handler's hooks anew)
    monkeypatch.setattr(smtp.handler, "handle_DATA", refuse)
    _sign_up(page, portal.url, name, f"{name}@depok.go.id", password)
    monkeypatch.undo()
    assert smtp.to(f"{name}@depok.go.id") == []
    text = page.locator("#splpdepok-check-mail").inner_text()
    assert "TIDAK dapat dikirim" in text and "Periksa kotak surat" not in text
    assert page.locator("#splpdepok-resend button[name=resend]").count() == 1
    login(page, portal.url, name, password)
    assert "Akun ini belum aktif" in page.content()


def test_a_forgotten_password_is_reset_through_the_mailed_link(
    page: Page, portal: LiveServer, smtp: SmtpServer,
) -> None:
    name = "lupa-" + secrets.token_hex(3)
    email = f"{name}@depok.go.id"
    portal.create_user(name, email=email)
    page.goto(f"{portal.url}/user/reset")
    page.fill("input[name=user]", name)
    page.locator("button[name=reset]").click()
    page.wait_for_load_state("networkidle")
    mails = [m for m in smtp.wait_for(1) if email in m.rcpt_tos]
    assert mails, "the reset mail did not arrive"
    match = re.search(r"https?://\S+/user/reset/\S+", mails[-1].body)
    assert match, mails[-1].body
    new_password = "Baru-" + secrets.token_urlsafe(10)
    page.goto(match.group(0))
    page.fill("#field-password", new_password)
    page.fill("#field-confirm-password", new_password)
    page.locator("form:has(#field-confirm-password) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    login(page, portal.url, name, new_password)
    assert "/dashboard" in page.url, "signed in: CKAN's dashboard"


@pytest.mark.parametrize("field,value,expected", [
    ("name", "sudah-ada", "Nama login tersebut tidak tersedia."),
    ("password", "pendek", None),  # CKAN's own message; its translation: "indonesian" helper
])
def test_bad_sign_up_input_answers_with_a_message(
    page: Page, portal: LiveServer, field: str, value: str, expected: str | None,
) -> None:
    data: dict[str, Any] = {"name": "baru-" + secrets.token_hex(3),
                            "password": "Depok-" + secrets.token_urlsafe(8)}
    data["email"] = f"{data['name']}@depok.go.id"
    portal.create_user("sudah-ada")
    data[field] = value
    responses: list[int] = []
    page.on("response", lambda r: responses.append(r.status))
    _sign_up(page, portal.url, data["name"], data["email"], data["password"])
    assert all(status < 500 for status in responses)
    assert page.locator(".error-explanation, .error-block").count() >= 1
    if expected:
        assert expected in page.content()


def _make_pending(name: str) -> None:
    """The state an approval leaves an invited IPPD admin or LID operator in."""
    import os

    import sqlalchemy as sa

    engine = sa.create_engine(os.environ["CKAN_SQLALCHEMY_URL"])
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE \"user\" SET state = 'pending' WHERE name = :n"), {"n": name})
    engine.dispose()


def test_a_pending_invited_user_sets_a_password_through_the_mailed_link_and_signs_in(
    page: Page, portal: LiveServer, smtp: SmtpServer,
) -> None:
    name = "undangan-" + secrets.token_hex(3)
    email = f"{name}@depok.go.id"
    old_password = portal.create_user(name, email=email)
    _make_pending(name)
    login(page, portal.url, name, old_password)
    assert "/dashboard" not in page.url, "a pending user cannot sign in"
    page.goto(f"{portal.url}/user/reset")
    page.fill("input[name=user]", email)
    page.locator("button[name=reset]").click()
    page.wait_for_load_state("networkidle")
    mails = [m for m in smtp.wait_for(1) if email in m.rcpt_tos]
    assert mails, "the mail with the link did not arrive"
    match = re.search(r"https?://\S+/user/reset/\S+", mails[-1].body)
    assert match, mails[-1].body
    password = "Undangan-" + secrets.token_urlsafe(10)
    page.goto(match.group(0))
    page.fill("#field-password", password)
    page.fill("#field-confirm-password", password)
    page.locator("form:has(#field-confirm-password) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    login(page, portal.url, name, password)
    assert "/dashboard" in page.url, "signed in: CKAN's dashboard"
