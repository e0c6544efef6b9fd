"""Headless Chromium walks the whole registration path of SOP steps 1-10 on a live CKAN.

IPPD registered -> returned as incomplete -> fixed and resubmitted -> approved (user and
organization exist); then the admin registration, the admin activates the invited account, and
an LID registration approved by that IPPD admin. A real SMTP server (aiosmtpd) receives the mails.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.registration.conftest import PDF, docx_bytes
from tests.support.browser import login
from tests.support.live_server import LiveServer, reset_database
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.browser
PASSWORD = "Rahasia-Depok-2026"


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture(scope="module")
def portal(smtp: SmtpServer) -> Iterator[LiveServer]:
    server = LiveServer.prepare("registration-flow", ["splpdepok_search", "splpdepok"], {
        "smtp.server": smtp.address, "ckan.locale_default": "id",
        "ckan.site_title": "Satu Data Kota Depok"})
    reset_database(server.ini)
    server.start()
    yield server
    server.stop()


def _signed_in(browser: Browser, portal: LiveServer, user: str, password: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(20_000)
    page = context.new_page()
    login(page, portal.url, user, password)
    return page


def _fill(page: Page, kind: str, values: dict[str, str], letter: Path, kajian: Path) -> None:
    page.goto(portal_url(page) + "/pendaftaran")
    page.click(f"#new-{kind}")
    for field, value in values.items():
        page.fill(f"#{field}", value)
    page.set_input_files("#letter_upload", str(letter))
    page.set_input_files("#kajian_upload", str(kajian))
    page.click("button[name=then_submit]")
    expect(page.locator(".splpdepok-registration-details .splpdepok-status-submitted")) \
        .to_be_visible()


def portal_url(page: Page) -> str:
    match = re.match(r"https?://[^/]+", page.url)
    assert match
    return match.group(0)


def _review(page: Page, registration_url: str, decision: str, note: str = "") -> None:
    reg_id = registration_url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(portal_url(page) + "/ckan-admin/pendaftaran")
    page.click(f"a[href='/ckan-admin/pendaftaran/{reg_id}']")
    if note:
        page.fill("#field-note", note)
    page.click(f"#{decision}")
    expected = {"approve": "approved", "return": "returned"}[decision]
    expect(page.locator(f".splpdepok-registration-details .splpdepok-status-{expected}")) \
        .to_be_visible()


def _subjects(smtp: SmtpServer, address: str) -> list[str]:
    return [m.subject for m in smtp.to(address)]


def test_whole_registration_path(browser: Browser, portal: LiveServer,
                                 smtp: SmtpServer, tmp_path: Path) -> None:
    root_password = portal.create_user("root", sysadmin=True, email="root@depok.go.id")
    walidata_password = portal.create_user("walidata", email="walidata@depok.go.id")
    applicant_password = portal.create_user("pemohon", email="pemohon@depok.go.id")
    token = portal.api_token("root")
    portal.action("organization_create", {"name": "diskominfo", "title": "Diskominfo",
                                          "users": [{"name": "walidata",
                                                     "capacity": "admin"}]}, token)
    letter, kajian, fixed = tmp_path / "surat.pdf", tmp_path / "kajian.pdf", tmp_path / "k.docx"
    letter.write_bytes(PDF)
    kajian.write_bytes(PDF)
    fixed.write_bytes(docx_bytes())
    person = {"ippd_domain": "depok.go.id", "ippd_name": "Pemerintah Kota Depok",
              "username": "admin-ippd", "full_name": "Admin IPPD", "email":
              "admin.ippd@depok.go.id", "work_unit": "Dinas Komunikasi dan Informatika",
              "phone": "0812 3456 7890"}

    applicant = _signed_in(browser, portal, "pemohon", applicant_password)
    applicant.goto(portal.url + "/")
    applicant.click("header a[href='/pendaftaran'], .masthead a[href='/pendaftaran']")
    _fill(applicant, "ippd", person, letter, kajian)
    ippd_url = applicant.url

    walidata = _signed_in(browser, portal, "walidata", walidata_password)
    _review(walidata, ippd_url, "return", "Kajian belum ditandatangani")

    applicant.goto(ippd_url)
    expect(applicant.locator(".splpdepok-last-note")).to_have_text("Kajian belum ditandatangani")
    applicant.click("#edit-registration")
    applicant.set_input_files("#kajian_upload", str(fixed))
    applicant.click("button[name=then_submit]")
    expect(applicant.locator(".splpdepok-registration-details .splpdepok-status-submitted")) \
        .to_be_visible()
    expect(applicant.locator(".splpdepok-documents")).to_contain_text("k.docx")

    _review(walidata, ippd_url, "approve")
    user = portal.action("user_show", {"id": "admin-ippd"}, token)
    assert user["state"] == "pending"
    org = portal.action("organization_show", {"id": "dinas-komunikasi-dan-informatika",
                                              "include_users": True}, token)
    assert {"admin-ippd": "admin"}.items() <= {u["name"]: u["capacity"]
                                               for u in org["users"]}.items()
    events = walidata.locator(".splpdepok-timeline .splpdepok-event")
    expect(events).to_have_count(7)

    _fill(applicant, "ippd_admin", person, letter, fixed)
    _review(walidata, applicant.url, "approve")

    invite = [m for m in smtp.to("admin.ippd@depok.go.id") if "/user/reset/" in m.body][-1]
    link = re.search(r"https?://\S+/user/reset/\S+", invite.body)
    assert link, invite.body
    activation = browser.new_context().new_page()
    activation.goto(link.group(0))
    activation.fill("#field-password", PASSWORD)
    activation.fill("#field-confirm-password", PASSWORD)
    activation.click("button[name=save]")
    activation.wait_for_load_state("networkidle")
    assert portal.action("user_show", {"id": "admin-ippd"}, token)["state"] == "active"

    admin = _signed_in(browser, portal, "admin-ippd", PASSWORD)
    operator = {"ippd_domain": "depok.go.id", "username": "operator-dinkes",
                "full_name": "Operator Dinkes", "email": "operator@depok.go.id",
                "work_unit": "Dinas Kesehatan", "phone": "021 7777 1234"}
    _fill(admin, "lid", operator, letter, fixed)
    _review(admin, admin.url, "approve")
    dinkes = portal.action("organization_show", {"id": "dinas-kesehatan",
                                                 "include_users": True}, token)
    assert {u["name"]: u["capacity"] for u in dinkes["users"]}.get("operator-dinkes") == "editor"

    smtp.wait_for(14)
    review = "Pendaftaran perlu diperiksa"
    assert sum(review in s for s in _subjects(smtp, "walidata@depok.go.id")) == 4
    assert sum(review in s for s in _subjects(smtp, "admin.ippd@depok.go.id")) == 1
    pemohon = _subjects(smtp, "pemohon@depok.go.id")
    assert sum("dikembalikan" in s for s in pemohon) == 1
    assert sum("disetujui" in s for s in pemohon) == 2
    assert any("Akun Anda telah dibuat" in s for s in _subjects(smtp, "operator@depok.go.id"))
    assert not smtp.to("lain@depok.go.id")
    assert root_password  # the sysadmin reviews too: it received the review mails
    assert sum(review in s for s in _subjects(smtp, "root@depok.go.id")) == 4
