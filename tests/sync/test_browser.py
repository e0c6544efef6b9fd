"""The walidata's path in a real browser: add a target, check it, dry-run, sync through the
RQ worker, read the report; the editor sees the state on the dataset page (Indonesian UI)."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from ckan.tests import factories
from playwright.sync_api import Page, expect

from tests.support.browser import login
from tests.support.live_server import LiveServer
from tests.support.remote_ckan import RemoteCkan
from tests.sync.support import national_dataset

pytestmark = [pytest.mark.browser, pytest.mark.interop,
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]
TOKEN_ENV = "SPLPDEPOK_SYNC_BROWSER"


@pytest.fixture(scope="module")
def portal(remote_ckan: RemoteCkan) -> Iterator[LiveServer]:
    """This portal, served live, knowing the remote's token by the variable's name."""
    os.environ[TOKEN_ENV] = remote_ckan.token
    server = LiveServer.prepare("sync-browser", None, {
        "ckan.locale_default": "id", "ckanext.splpdepok.sync.backoff_seconds": "0.01"})
    try:
        yield server.start()
    finally:
        server.stop()
        os.environ.pop(TOKEN_ENV, None)


def test_walidata_adds_checks_and_runs_a_target(portal, remote_ckan, page: Page):
    remote_ckan.ensure_org("pemkot-depok")
    org = factories.Organization(name="dinas-sosial")
    national_dataset(org, "bansos")
    password = portal.create_user("walidata_web", sysadmin=True)
    login(page, portal.url, "walidata_web", password)

    page.goto(f"{portal.url}/ckan-admin/sinkronisasi")
    expect(page.locator("h1")).to_contain_text("Sinkronisasi")
    page.get_by_role("link", name="Tambah tujuan").click()
    page.fill("#field-name", "nasional-uji")
    page.fill("#field-title", "Portal nasional (uji)")
    page.select_option("#field-type", "ckan")
    page.fill("#field-url", remote_ckan.url)
    page.fill("#field-credential_ref", TOKEN_ENV)
    page.fill("#field-org_map", "dinas-sosial = pemkot-depok")
    page.fill("#field-name_prefix", "web-")
    page.select_option("#field-extras_mode", "extras")
    page.locator("form.splpdepok-sync-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Portal nasional (uji)")
    assert remote_ckan.token not in page.content()

    page.get_by_role("button", name="Periksa koneksi").click()
    expect(page.locator("#splpdepok-sync-check-pending")).to_be_visible()  # the worker checks
    portal.ckan("jobs", "worker", "splpdepok_sync", "--burst")
    page.reload()
    expect(page.locator("#splpdepok-sync-check-pending")).to_have_count(0)
    expect(page.locator("#splpdepok-sync-check")).to_contain_text("CKAN 2.11.6")
    expect(page.locator("#splpdepok-sync-check .bg-danger")).to_have_count(0)

    page.get_by_role("button", name="Sinkronkan sekarang").click()
    expect(page.locator("h1")).to_contain_text("dalam antrean")
    portal.ckan("jobs", "worker", "splpdepok_sync", "--burst")
    page.reload()
    expect(page.locator("h1")).to_contain_text("berhasil")
    expect(page.locator("#count-created")).to_have_text("1")
    expect(page.locator("#splpdepok-sync-items")).to_contain_text("web-bansos")
    assert "web-bansos" in remote_ckan.datasets()

    page.goto(f"{portal.url}/dataset/bansos")
    expect(page.locator("#splpdepok-sync-state")).to_contain_text("Tersinkron")
