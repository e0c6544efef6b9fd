"""Headless Chromium walks the whole registration path of SOP steps 1-10 on a live CKAN that runs
the portal's own configuration (config/portal.ini, activity plugin on).

IPPD registered with a new organization (the walidata's is not offered in the select) ->
returned as incomplete -> fixed and resubmitted -> the review page shows what approval will do
-> confirmed -> approved (user, organization, membership exist); the admin registration; the
admin activates the invited account, prepares an LID registration and is refused when it tries to
review it itself; the walidata approves it. A real SMTP server (aiosmtpd) receives the mails.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.registration.conftest import PDF, docx_bytes
from tests.support.browser import login
from tests.support.live_server import LiveServer, portal_plugins, portal_settings, reset_database
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
    settings = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}
    server = LiveServer.prepare("registration-flow", portal_plugins(),
                                dict(settings, **{"smtp.server": smtp.address}))
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


def portal_url(page: Page) -> str:
    match = re.match(r"https?://[^/]+", page.url)
    assert match
    return match.group(0)


def _fill(page: Page, kind: str, values: dict[str, str], letter: Path, kajian: Path) -> None:
    page.goto(portal_url(page) + "/pendaftaran")
    page.click(f"#new-{kind}")
    for field, value in values.items():
        if field == "organization":
            page.select_option("#organization", label=value)
        else:
            page.fill(f"#{field}", value)
    page.set_input_files("#letter_upload", str(letter))
    page.set_input_files("#kajian_upload", str(kajian))
    page.click("button[name=then_submit]")
    expect(page.locator(".splpdepok-registration-details .splpdepok-status-submitted")) \
        .to_be_visible()


def _open_review(page: Page, registration_url: str) -> None:
    reg_id = registration_url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(portal_url(page) + "/ckan-admin/pendaftaran")
    page.click(f"a[href='/ckan-admin/pendaftaran/{reg_id}']")


def _review(page: Page, registration_url: str, decision: str, note: str = "") -> None:
    _open_review(page, registration_url)
    if note:
        page.fill("#field-note", note)
    page.click(f"#{decision}")
    if decision == "approve":  # the confirmation step
        expect(page.locator("#confirm-form")).to_be_visible()
        page.click("#confirm-approve")
    expected = {"approve": "approved", "return": "returned"}[decision]
    expect(page.locator(f".splpdepok-registration-details .splpdepok-status-{expected}")) \
        .to_be_visible()


def _subjects(smtp: SmtpServer, address: str) -> list[str]:
    return [m.subject for m in smtp.to(address)]


@dataclass
class Flow:
    """What the phases of the walk share: the portal, the browser, the files and the people."""

    browser: Browser
    portal: LiveServer
    token: str
    letter: Path
    fixed: Path
    person: dict[str, str]
    walidata: Page
    applicant: Page


def _start(browser: Browser, portal: LiveServer, tmp_path: Path) -> tuple[Flow, Path]:
    portal.create_user("root", sysadmin=True, email="root@depok.go.id")
    walidata_password = portal.create_user("walidata", email="walidata@depok.go.id")
    applicant_password = portal.create_user("pemohon", email="pemohon@depok.go.id")
    token = portal.api_token("root")
    portal.action("organization_create", {"name": "diskominfo", "title": "Diskominfo",
                                          "users": [{"name": "walidata",
                                                     "capacity": "admin"}]}, token)
    portal.action("organization_create", {"name": "dinas-sosial", "title": "Dinas Sosial"},
                  token)
    letter, kajian, fixed = tmp_path / "surat.pdf", tmp_path / "kajian.pdf", tmp_path / "k.docx"
    letter.write_bytes(PDF)
    kajian.write_bytes(PDF)
    fixed.write_bytes(docx_bytes())
    person = {"ippd_domain": "depok.go.id", "ippd_name": "Pemerintah Kota Depok",
              "username": "admin-ippd", "full_name": "Admin IPPD", "email":
              "admin.ippd@depok.go.id", "phone": "0812 3456 7890"}
    applicant = _signed_in(browser, portal, "pemohon", applicant_password)
    walidata = _signed_in(browser, portal, "walidata", walidata_password)
    return Flow(browser, portal, token, letter, fixed, person, walidata, applicant), kajian


def _ippd_returned_then_approved(flow: Flow, kajian: Path) -> None:
    applicant, walidata, portal, token = flow.applicant, flow.walidata, flow.portal, flow.token
    applicant.goto(portal.url + "/")
    applicant.click("header a[href='/pendaftaran'], .masthead a[href='/pendaftaran']")
    applicant.click("#new-ippd")
    options = applicant.locator("#organization option").all_inner_texts()
    assert "Dinas Sosial" in options and "Diskominfo" not in options  # a controlled list
    _fill(applicant, "ippd", dict(flow.person,
                                  new_organization="Dinas Komunikasi dan Informatika"),
          flow.letter, kajian)
    ippd_url = applicant.url

    _review(walidata, ippd_url, "return", "Kajian belum ditandatangani")

    applicant.goto(ippd_url)
    expect(applicant.locator(".splpdepok-last-note")).to_have_text("Kajian belum ditandatangani")
    applicant.click("#edit-registration")
    applicant.set_input_files("#kajian_upload", str(flow.fixed))
    applicant.click("button[name=then_submit]")
    expect(applicant.locator(".splpdepok-registration-details .splpdepok-status-submitted")) \
        .to_be_visible()
    expect(applicant.locator(".splpdepok-documents")).to_contain_text("k.docx")
    expect(applicant.locator("#approval-plan")).to_have_count(0)  # reviewers only

    _open_review(walidata, ippd_url)
    plan = walidata.locator("#approval-plan")
    expect(plan.locator(".splpdepok-plan-user")).to_contain_text("admin-ippd")
    expect(plan.locator(".splpdepok-plan-organization")).to_contain_text(
        "dinas-komunikasi-dan-informatika")
    expect(plan.locator(".splpdepok-plan-role")).to_contain_text("admin")
    walidata.click("#approve")
    expect(walidata.locator("#confirm-form .splpdepok-plan, #approval-plan")).to_have_count(1)
    walidata.click("#cancel-decision")  # cancelling changes nothing
    expect(walidata.locator(".splpdepok-status-submitted")).to_be_visible()
    _review(walidata, ippd_url, "approve")
    expect(walidata.locator(".flash-messages .alert-success")).to_contain_text("terkirim")
    user = portal.action("user_show", {"id": "admin-ippd"}, token)
    assert user["state"] == "pending"
    org = portal.action("organization_show", {"id": "dinas-komunikasi-dan-informatika",
                                              "include_users": True}, token)
    assert {u["name"]: u["capacity"] for u in org["users"]}.get("admin-ippd") == "admin"
    events = walidata.locator(".splpdepok-timeline .splpdepok-event")
    expect(events).to_have_count(7)


def _admin_approved_and_activated(flow: Flow, smtp: SmtpServer) -> None:
    _fill(flow.applicant, "ippd_admin", flow.person, flow.letter, flow.fixed)
    _review(flow.walidata, flow.applicant.url, "approve")

    invite = [m for m in smtp.to("admin.ippd@depok.go.id") if "/user/reset/" in m.body][-1]
    link = re.search(r"https?://\S+/user/reset/\S+", invite.body)
    assert link, invite.body
    activation = flow.browser.new_context().new_page()
    activation.goto(link.group(0))
    activation.fill("#field-password", PASSWORD)
    activation.fill("#field-confirm-password", PASSWORD)
    activation.click("button[name=save]")
    activation.wait_for_load_state("networkidle")
    assert flow.portal.action("user_show", {"id": "admin-ippd"}, flow.token)["state"] == "active"


def _lid_refused_to_its_admin_then_approved(flow: Flow) -> None:
    portal, token = flow.portal, flow.token
    admin = _signed_in(flow.browser, portal, "admin-ippd", PASSWORD)
    operator = {"ippd_domain": "depok.go.id", "username": "operator-dinkes",
                "full_name": "Operator Dinkes", "email": "operator@depok.go.id",
                "phone": "021 7777 1234"}
    _fill(admin, "lid", operator, flow.letter, flow.fixed)
    lid_url = admin.url
    _open_review(admin, lid_url)  # the IPPD admin reviews LID registrations, but not its own
    expect(admin.locator("#review-refusal")).to_contain_text("dibuatnya sendiri")
    expect(admin.locator("#approve")).to_have_count(0)
    csrf = admin.locator("meta[name='_csrf_token']").get_attribute("content")
    forced = admin.request.post(admin.url + "/approve", form={
        "_csrf_token": csrf or "", "confirmed": "1"})
    assert forced.status == 403
    assert portal.action("splpdepok_registration_show", {"id": lid_url.rsplit("/", 1)[-1]},
                         token)["status"] == "submitted"

    _review(flow.walidata, lid_url, "approve")
    org = portal.action("organization_show", {"id": "dinas-komunikasi-dan-informatika",
                                              "include_users": True}, token)
    assert {u["name"]: u["capacity"] for u in org["users"]}.get("operator-dinkes") == "editor"


def test_whole_registration_path(browser: Browser, portal: LiveServer,
                                 smtp: SmtpServer, tmp_path: Path) -> None:
    flow, kajian = _start(browser, portal, tmp_path)
    _ippd_returned_then_approved(flow, kajian)
    _admin_approved_and_activated(flow, smtp)
    _lid_refused_to_its_admin_then_approved(flow)

    smtp.wait_for(13)
    review = "Pendaftaran perlu diperiksa"
    assert sum(review in s for s in _subjects(smtp, "walidata@depok.go.id")) == 4
    assert sum(review in s for s in _subjects(smtp, "admin.ippd@depok.go.id")) == 0
    pemohon = _subjects(smtp, "pemohon@depok.go.id")
    assert sum("dikembalikan" in s for s in pemohon) == 1
    assert sum("disetujui" in s for s in pemohon) == 2
    assert any("Akun Anda telah dibuat" in s for s in _subjects(smtp, "operator@depok.go.id"))
    assert sum(review in s for s in _subjects(smtp, "root@depok.go.id")) == 4
