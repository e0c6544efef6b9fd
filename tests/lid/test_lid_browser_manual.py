"""Headless Chromium on the manual path of SOP steps 11-18, with the SPLP double configured as
"no REST access" (its address set, no credentials on the server or the worker): plan, a dry
run that fails naming what is missing, the real sync blocked, the publication package
downloaded, the manual publication with a document as evidence, the manual connection check
with a URL as evidence, and the report showing both."""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.lid.conftest import LID_PDF
from tests.lid.test_lid_browser_plan import _approved_roles
from tests.support.browser import login
from tests.support.live_server import CKAN_BIN, ROOT, LiveServer, reset_database
from tests.support.splp_double import SplpDouble

pytestmark = pytest.mark.browser
OPERATOR_PASSWORD, ADMIN_PASSWORD = "Operator-Depok-2026", "AdminIppd-Depok-2026"
CREDENTIALS = ("SPLPDEPOK_SPLP_CLIENT_ID", "SPLPDEPOK_SPLP_CLIENT_SECRET")


def _without_credentials() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in CREDENTIALS}


def _work_off_queue(server: LiveServer) -> None:
    """``ckan jobs worker splpdepok_lid --burst``, without SPLP credentials either."""
    done = subprocess.run([str(CKAN_BIN), "-c", str(server.ini), "jobs", "worker",
                           "splpdepok_lid", "--burst"], env=_without_credentials(),
                          capture_output=True, text=True, timeout=300, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def splp() -> Iterator[SplpDouble]:
    double = SplpDouble().start()
    yield double
    double.stop()


@pytest.fixture(scope="module")
def portal(splp: SplpDouble) -> Iterator[LiveServer]:
    server = LiveServer.prepare("lid-manual", ["splpdepok_search", "splpdepok"], {
        "ckan.locale_default": "id", "ckanext.splpdepok.splp.base_url": splp.base_url,
        "ckanext.splpdepok.splp.gateway_url": splp.gateway_url,
        "ckanext.splpdepok.splp.backoff_seconds": "0"})
    reset_database(server.ini)
    saved = {k: os.environ.pop(k) for k in CREDENTIALS if k in os.environ}
    try:
        server.start()  # inherits no SPLP credentials
    finally:
        os.environ.update(saved)
    server.create_user("root", sysadmin=True)
    server.create_user("operator-lid", password=OPERATOR_PASSWORD)
    server.create_user("admin-ippd", password=ADMIN_PASSWORD)
    org = server.action("organization_create", {"name": "disdukcapil",
                                                "title": "Disdukcapil Kota Depok"},
                        server.api_token("root"))
    _approved_roles(org["id"])
    yield server
    server.stop()


def _page(browser: Browser, server: LiveServer, user: str, password: str) -> Page:
    page = browser.new_context(locale="id-ID", accept_downloads=True).new_page()
    page.set_default_timeout(20_000)
    login(page, server.url, user, password)
    return page


def _plan_to_step_14(browser: Browser, portal: LiveServer, tmp_path: Path) -> Page:
    operator = _page(browser, portal, "operator-lid", OPERATOR_PASSWORD)
    operator.goto(portal.url + "/katalog-lid/baru")
    for field, value in (("name", "Data Penduduk"), ("context", "kependudukan/penduduk"),
                         ("endpoint_url", "https://api.depok.go.id/penduduk"),
                         ("version", "1.0"),
                         ("attributes", "kecamatan | string | Kecamatan\njumlah | integer |")):
        operator.fill(f"#field-{field}", value)
    operator.check("#field-ready")
    operator.click("#save-lid")
    operator.goto(portal.url + "/katalog-lid")
    operator.click("#new-plan")
    expect(operator.locator(".splpdepok-plan-status")).to_contain_text("Rencana disiapkan")
    plan_url = operator.url
    operator.context.close()
    admin = _page(browser, portal, "admin-ippd", ADMIN_PASSWORD)
    admin.goto(plan_url)
    admin.click("#step-send")
    guide = tmp_path / "petunjuk-teknis.pdf"
    guide.write_bytes(LID_PDF)
    admin.set_input_files("#guide_upload", str(guide))
    admin.click("#step-receive_guide")
    admin.click("#step-instruct_sync")
    expect(admin.locator(".splpdepok-plan-status")).to_contain_text(
        "Sinkronisasi diinstruksikan")
    return admin


def _download_package(admin: Page) -> None:
    """The package page, its JSON and one LID's OpenAPI definition."""
    admin.click("#plan-package")
    expect(admin.locator(".splpdepok-package-lid")).to_contain_text("/kependudukan/penduduk")
    expect(admin.locator(".splpdepok-package-lid")).to_contain_text("https://api.depok.go.id/")
    with admin.expect_download() as found:
        admin.click("#package-json")
    package = json.loads(Path(found.value.path()).read_text(encoding="utf-8"))
    part = package["lids"][0]
    assert part["name"] == "Data Penduduk" and part["context"] == "/kependudukan/penduduk"
    assert part["classification"] == "terbuka" and part["output_format"] == "JSON"
    with admin.expect_download() as found:
        admin.click(".splpdepok-openapi")
    openapi = json.loads(Path(found.value.path()).read_text(encoding="utf-8"))
    assert openapi["openapi"].startswith("3.0") and openapi["info"]["title"] == "Data Penduduk"


def test_manual_path_steps_11_to_18_without_rest_access(
        browser: Browser, portal: LiveServer, splp: SplpDouble, tmp_path: Path) -> None:
    admin = _plan_to_step_14(browser, portal, tmp_path)
    plan_url = admin.url
    expect(admin.locator("#step-sync")).to_be_enabled()
    expect(admin.locator("#confirm_without_dry_run")).to_be_visible()  # no dry run yet

    admin.click("#step-dry_run")
    _work_off_queue(portal)
    admin.reload()
    status = admin.locator(".splpdepok-dry-run-status")
    expect(status).to_contain_text("Kredensial SPLP belum diatur")
    expect(status).to_contain_text("SPLPDEPOK_SPLP_CLIENT_ID")
    assert "Errno" not in admin.content() and splp.requests == []

    admin.goto(plan_url)
    expect(admin.locator("#step-sync")).to_be_disabled()
    expect(admin.locator("#splpdepok-sync-blocked")).to_be_visible()

    _download_package(admin)

    admin.goto(plan_url)
    evidence = tmp_path / "tangkapan-portal-splp.pdf"
    evidence.write_bytes(LID_PDF)
    admin.click("#step-publish_manual")  # no evidence: refused with a labelled message
    expect(admin.locator(".alert-error, .alert-danger").first).to_contain_text("Bukti")
    admin.set_input_files("#publish_manual-evidence_upload", str(evidence))
    admin.fill("#publish_manual-note", "Dimasukkan lewat portal publisher")
    admin.click("#step-publish_manual")
    expect(admin.locator(".splpdepok-plan-status")).to_contain_text("Tersinkron")

    admin.fill("#check_manual-evidence_url", "https://splp.layanan.go.id/devportal/apis/123")
    admin.fill("#check_manual-note", "Diuji lewat gateway SPLP")
    admin.click("#step-check_manual")
    expect(admin.locator(".splpdepok-plan-status")).to_contain_text("Terhubung dengan SPLP")
    steps = admin.locator(".splpdepok-plan-events tbody tr td:first-child").all_inner_texts()
    assert steps[-4:] == ["15", "16", "17", "18"]
    expect(admin.locator(".splpdepok-plan-events")).to_contain_text("WIB")

    admin.goto(portal.url + "/katalog-lid/laporan")
    records = admin.locator(".splpdepok-lid-manual tbody tr")
    expect(records).to_have_count(2)
    expect(records.nth(0)).to_contain_text("tangkapan-portal-splp.pdf")
    expect(records.nth(0)).to_contain_text("admin-ippd")
    expect(records.nth(1)).to_contain_text("https://splp.layanan.go.id/devportal/apis/123")
    with admin.expect_download() as found:
        records.nth(0).locator("a").first.click()
    assert Path(found.value.path()).read_bytes() == LID_PDF
    assert splp.writes() == []
