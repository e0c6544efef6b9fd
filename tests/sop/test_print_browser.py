"""Headless Chromium prints a registration record: with the print media the page keeps its
header (portal name, record id, generated-at WIB) and signature lines and shows no navigation
or print button."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.support.browser import login
from tests.support.live_server import LiveServer, live_server  # noqa: F401

pytestmark = pytest.mark.browser
PASSWORD = "Walidata-Depok-2026"


def _registration() -> str:
    """One submitted registration row (the record the print page shows)."""
    reg_id = str(uuid.uuid4())
    engine = sa.create_engine(os.environ["CKAN_SQLALCHEMY_URL"])
    with engine.begin() as conn:
        creator = conn.execute(sa.text(
            "SELECT id FROM \"user\" WHERE name = 'cetak-walidata'")).scalar_one()
        conn.execute(sa.text(
            "INSERT INTO splpdepok_registrations (id, kind, status, version, ippd_domain, "
            "ippd_name, username, full_name, email, phone, creator_user_id, created, modified) "
            "VALUES (:id, 'ippd', 'submitted', 1, 'cetak.depok.go.id', '', 'admin-cetak', "
            "'Admin Cetak', 'cetak@depok.go.id', '0812', :user, now(), now())"),
            {"id": reg_id, "user": creator})
    engine.dispose()
    return reg_id


def test_print_page_prints_without_navigation(
        page: Page, live_server: LiveServer) -> None:  # noqa: F811
    live_server.create_user("cetak-walidata", sysadmin=True, password=PASSWORD)
    reg_id = _registration()
    login(page, live_server.url, "cetak-walidata", PASSWORD)
    response = page.goto(f"{live_server.url}/ckan-admin/pendaftaran/{reg_id}/cetak")
    assert response is not None and response.status == 200
    button = page.locator(".screen-only")
    expect(button).to_be_visible()
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
    expect(page.locator("nav")).to_have_count(0)
    expect(page.locator(".record-header")).to_be_visible()
    expect(page.locator(".record-header")).to_contain_text(reg_id)
    expect(page.locator(".generated-at")).to_contain_text("WIB")
    expect(page.locator(".signature .line")).to_have_count(2)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
