"""Headless Chromium walks through the portal the way a visitor does.

Home page -> search -> organization facet -> dataset page, against ``ckan run`` holding the
demo data (``demo_portal``), in the portal's default language (Indonesian).
"""

from __future__ import annotations

import re

import pytest
from ckanext.splpdepok.demo.data import read_data
from playwright.sync_api import Page, expect

from tests.support.live_server import LiveServer, demo_portal  # noqa: F401

pytestmark = pytest.mark.browser

DATA = read_data()
PUBLIC = [d for d in DATA.datasets if not d["private"]]


def test_home_page_presents_the_portal(page: Page, demo_portal: LiveServer) -> None:  # noqa: F811
    page.goto(demo_portal.url + "/")
    expect(page).to_have_title(re.compile("Satu Data Kota Depok"))
    expect(page.locator(".splpdepok-hero-title")).to_have_text("Satu Data Kota Depok")
    expect(page.locator(".splpdepok-stat-datasets")).to_have_text(str(len(PUBLIC)))
    expect(page.locator(".splpdepok-stat-organizations")).to_have_text(str(len(DATA.organizations)))
    nav = page.locator(".masthead .navbar-nav")
    for label in ("Dataset", "Organisasi", "Grup", "Katalog LID", "Pendaftaran", "Tentang"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.locator(".splpdepok-theme").first).to_be_visible()
    expect(page.locator(".splpdepok-recent li")).to_have_count(6)


def test_search_facet_and_dataset_page(page: Page, demo_portal: LiveServer) -> None:  # noqa: F811
    page.goto(demo_portal.url + "/")
    page.fill("#splpdepok-home-search", "puskesmas")
    page.locator(".splpdepok-hero-search button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dataset/?\?q=puskesmas"))
    results = page.locator(".dataset-list .dataset-heading a")
    expect(results.first).to_be_visible()
    titles = results.all_inner_texts()
    assert any("Puskesmas" in t for t in titles), titles

    # Narrow down with the organization facet: its badge says how many results remain.
    facet = page.locator("a[href*='organization=dinkes']").first
    facet_count = int(facet.locator(".item-count").inner_text())
    assert 0 < facet_count <= len(titles)
    facet.click()
    page.wait_for_url(re.compile(r"organization=dinkes"))
    expect(page.locator(".dataset-list .dataset-item")).to_have_count(facet_count)

    page.get_by_role("link", name="Jumlah Puskesmas per Kecamatan di Kota Depok 2023").click()
    page.wait_for_url(re.compile(r"/dataset/jumlah-puskesmas-per-kecamatan-2023$"))
    heading = page.get_by_role("article").get_by_role("heading", level=1)
    expect(heading).to_contain_text("Jumlah Puskesmas per Kecamatan di Kota Depok 2023")
    resources = page.locator(".resource-list .resource-item")
    expect(resources).to_have_count(2)
    expect(resources.first).to_contain_text("Puskesmas per Kecamatan 2023")
    expect(page.get_by_role("link", name=re.compile("Dinas Kesehatan")).first).to_be_visible()


def test_private_dataset_is_not_found_for_visitors(page: Page, demo_portal: LiveServer) -> None:  # noqa: F811
    private = next(d for d in DATA.datasets if d["private"])
    response = page.goto(f"{demo_portal.url}/dataset/{private['name']}")
    assert response is not None and response.status == 404
    page.goto(f"{demo_portal.url}/dataset?q=" + private["title"].split()[1])
    expect(page.get_by_text(private["title"])).to_have_count(0)
