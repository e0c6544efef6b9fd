"""Headless Chromium on /katalog-lid: an anonymous visitor sees open entries only, a signed-in
user sees open and restricted ones; filters and the detail page work (Indonesian UI)."""
from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from tests.support.browser import login
from tests.support.live_server import LiveServer, reset_database

pytestmark = pytest.mark.browser
ROOT_PASSWORD = "Akar-Depok-2026"
ENTRIES = (  # name, classification, status, format, context
    ("Jumlah Penduduk Terbuka", "terbuka", "connected", "JSON", "penduduk"),
    ("Daftar Sekolah Terbuka", "terbuka", "ready", "CSV", "sekolah"),
    ("Data Keluarga Terbatas", "terbatas", "synced", "XML", "keluarga"),
    ("Draf Rahasia", "terbuka", "draft", "JSON", "draf"),
)


def _insert(org_id: str) -> dict[str, str]:
    engine = sa.create_engine(os.environ["CKAN_SQLALCHEMY_URL"])
    ids: dict[str, str] = {}
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:
        for name, classification, status, fmt, context in ENTRIES:
            ids[name] = str(uuid.uuid4())
            conn.execute(sa.text(
                "INSERT INTO splpdepok_lid (id, name, description, endpoint_url, attributes, "
                "output_format, classification, context, version, ippd_domain, tenant_domain, "
                "organization_id, owner_user_id, status, created, modified) VALUES (:id, :name, "
                ":description, :url, CAST(:attributes AS jsonb), :fmt, :classification, "
                ":context, '1.0', 'depok.go.id', 'depok.go.id', :org, 'someone', :status, "
                ":now, :now)"),
                {"id": ids[name], "name": name, "description": f"Layanan {name}",
                 "url": f"https://api.depok.go.id/{context}", "fmt": fmt, "org": org_id,
                 "classification": classification, "context": context, "status": status,
                 "now": now, "attributes": json.dumps([{"name": "kode_wilayah", "type": "string",
                                                        "description": "Kode BPS"}])})
    engine.dispose()
    return ids


def _insert_ippd(org_id: str) -> None:
    """The approved IPPD the walidata manages (its registration is not needed here)."""
    engine = sa.create_engine(os.environ["CKAN_SQLALCHEMY_URL"])
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO splpdepok_ippds (id, domain, name, organization_id, registration_id, "
            "tenant_domain, created, modified) VALUES (:id, 'depok.go.id', 'Kota Depok', :org, "
            "'reg', 'depok.go.id', now(), now())"), {"id": str(uuid.uuid4()), "org": org_id})
    engine.dispose()


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[LiveServer, dict[str, str], str]]:
    server = LiveServer.prepare("lid-catalog", ["splpdepok_search", "splpdepok"],
                                {"ckan.locale_default": "id"})
    reset_database(server.ini)
    server.start()
    server.create_user("root", sysadmin=True, password=ROOT_PASSWORD)
    password = server.create_user("warga", email="warga@example.com")
    org = server.action("organization_create", {"name": "disdukcapil",
                                                "title": "Disdukcapil Kota Depok"},
                        server.api_token("root"))
    _insert_ippd(org["id"])
    yield server, _insert(org["id"]), password
    server.stop()


def _names(page: Any) -> list[str]:
    return sorted(page.locator(".splpdepok-lid-item h3").all_inner_texts())


def test_anonymous_sees_open_entries_only(browser: Browser, portal: Any) -> None:
    server, ids, _password = portal
    page = browser.new_context(locale="id-ID").new_page()
    page.goto(server.url + "/katalog-lid")
    expect(page.locator("h1")).to_have_text("Katalog LID")
    assert _names(page) == ["Daftar Sekolah Terbuka", "Jumlah Penduduk Terbuka"]
    expect(page.locator(".splpdepok-lid-count")).to_contain_text("2 LID ditemukan")
    page.click("#facet-output_format a:has-text('CSV')")
    assert _names(page) == ["Daftar Sekolah Terbuka"]
    page.click("#facet-output_format .splpdepok-lid-clear")
    page.fill("#lid-q", "penduduk")
    page.press("#lid-q", "Enter")
    assert _names(page) == ["Jumlah Penduduk Terbuka"]
    page.click("text=Jumlah Penduduk Terbuka")
    expect(page.locator(".splpdepok-lid-title")).to_have_text("Jumlah Penduduk Terbuka")
    expect(page.locator(".splpdepok-lid-attributes")).to_contain_text("kode_wilayah")
    expect(page.locator(".splpdepok-lid-details")).to_contain_text("/t/depok.go.id/penduduk/1.0")
    page.goto(server.url + f"/katalog-lid/{ids['Data Keluarga Terbatas']}")
    assert "/user/login" in page.url
    page.goto(server.url + f"/katalog-lid/{ids['Draf Rahasia']}")
    assert "/user/login" in page.url
    page.context.close()


def test_signed_in_user_sees_both_kinds(browser: Browser, portal: Any) -> None:
    server, ids, password = portal
    page = browser.new_context(locale="id-ID").new_page()
    login(page, server.url, "warga", password)
    page.goto(server.url + "/katalog-lid")
    assert _names(page) == ["Daftar Sekolah Terbuka", "Data Keluarga Terbatas",
                            "Jumlah Penduduk Terbuka"]
    page.click("#facet-classification a:has-text('Terbatas')")
    assert _names(page) == ["Data Keluarga Terbatas"]
    expect(page.locator("#facet-organization")).to_contain_text("Disdukcapil Kota Depok")
    page.click("text=Data Keluarga Terbatas")
    expect(page.locator(".splpdepok-lid-details")).to_contain_text("XML")
    response = page.goto(server.url + f"/katalog-lid/{ids['Draf Rahasia']}")
    assert response is not None and response.status == 403  # drafts: owner and managers
    page.context.close()


def test_walidata_adds_a_draft_lid_through_the_form(
        browser: Browser, portal: Any) -> None:
    server, _ids, _password = portal
    page = browser.new_context(locale="id-ID").new_page()
    login(page, server.url, "root", ROOT_PASSWORD)
    page.goto(server.url + "/katalog-lid")
    page.click("#new-lid")
    page.fill("#field-name", "Data Posyandu Draf")
    page.fill("#field-endpoint_url", "bukan alamat")
    page.fill("#field-context", "kesehatan/posyandu")
    page.fill("#field-version", "1.0")
    page.fill("#field-attributes", "kelurahan | string | Nama kelurahan")
    page.click("#save-lid")
    expect(page.locator(".splpdepok-lid-errors")).to_contain_text("Alamat endpoint:")
    expect(page.locator(".splpdepok-lid-errors")).not_to_contain_text("endpoint_url")
    page.fill("#field-endpoint_url", "https://api.depok.go.id/posyandu")
    page.click("#save-lid")
    expect(page.locator(".splpdepok-lid-title")).to_have_text("Data Posyandu Draf")
    expect(page.locator(".splpdepok-lid-status")).to_have_text("Draf")
    expect(page.locator(".splpdepok-lid-attributes")).to_contain_text("kelurahan")
    page.context.close()
