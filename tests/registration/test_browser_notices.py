"""Chromium: the unread count shows in the real header (CKAN 2.11 with the activity plugin) at
1366 and 390 px, links to /pemberitahuan, and opening the notice marks it read."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.registration.conftest import PDF
from tests.registration.test_browser_flow import _fill, _signed_in, portal, smtp  # noqa: F401
from tests.support.browser import SCREENSHOTS
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    letter, kajian = tmp_path / "surat.pdf", tmp_path / "kajian.pdf"
    letter.write_bytes(PDF)
    kajian.write_bytes(PDF)
    yield letter, kajian


def test_header_count_at_both_widths(browser: Browser, portal: LiveServer,  # noqa: F811
                                     files: tuple[Path, Path]) -> None:
    portal.create_user("root", sysadmin=True, email="root@depok.go.id")
    walidata_password = portal.create_user("walidata", email="walidata@depok.go.id")
    applicant_password = portal.create_user("pemohon", email="pemohon@depok.go.id")
    token = portal.api_token("root")
    portal.action("organization_create", {"name": "diskominfo", "title": "Diskominfo",
                                          "users": [{"name": "walidata",
                                                     "capacity": "admin"}]}, token)
    applicant = _signed_in(browser, portal, "pemohon", applicant_password)
    _fill(applicant, "ippd", {"ippd_domain": "depok.go.id", "ippd_name": "Kota Depok",
                              "username": "admin-ippd", "full_name": "Admin IPPD",
                              "email": "admin.ippd@depok.go.id", "phone": "0812 3456 7890",
                              "new_organization": "Dinas Baru"}, *files)
    walidata = _signed_in(browser, portal, "walidata", walidata_password)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        walidata.set_viewport_size({"width": width, "height": height})
        walidata.goto(portal.url + "/dataset/")
        count = walidata.locator("#splpdepok-unread-count")
        expect(count).to_be_visible()
        expect(count).to_contain_text("1")
        walidata.screenshot(path=str(SCREENSHOTS / f"notices-header-{width}.png"))
    walidata.click("a.splpdepok-notices-link")
    expect(walidata).to_have_url(portal.url + "/pemberitahuan")
    notice = walidata.locator(".splpdepok-notice-open").first
    expect(notice).to_contain_text("depok.go.id")
    notice.click()
    expect(walidata.locator("#approval-plan")).to_be_visible()  # the review page
    expect(walidata.locator("#splpdepok-unread-count")).to_have_count(0)
