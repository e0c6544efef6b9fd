"""Mobile and accessibility: the key pages at 1366x900 and 390x844 in headless Chromium.

No page is wider than a 390 px phone screen; every status badge style reaches WCAG AA contrast
(4.5:1, computed from the browser's colours); the organization and group "Members" tab shows
only to those who may list members; axe-core (npm package, pinned in tests/support/axe.py) finds
no serious or critical violation. Screenshots of every page at both widths go to
``$SPLPDEPOK_SCREENSHOTS`` (default: a pytest temporary directory); the axe counts are printed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page

from tests.support.axe import axe_script, run_axe  # noqa: F401
from tests.support.browser import ROOT, login
from tests.support.live_server import LiveServer, demo_portal  # noqa: F401

pytestmark = pytest.mark.browser

LIVE_SERVER_CONFIG = {  # a plan needs an SPLP address; nothing is sent to it here
    "ckanext.splpdepok.splp.base_url": "http://127.0.0.1:9/splp",
    "ckanext.splpdepok.splp.gateway_url": "http://127.0.0.1:9/gateway",
}
PASSWORD = "Seluler-Depok-2026"
WIDTHS = {"desktop": (1366, 900), "mobile": (390, 844)}
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
DATASET = "jumlah-puskesmas-per-kecamatan-2023"
TEMPLATES = ROOT / "ckanext-splpdepok/ckanext/splpdepok/templates"
BOOTSTRAP_COLOURS = ("primary", "secondary", "success", "danger", "warning", "info", "light",
                     "dark")


@dataclass
class Portal:
    server: LiveServer
    pages: dict[str, tuple[str, str]]  # key -> (who: visitor/applicant/admin, path)


def _action(server: LiveServer, name: str, token: str, data: dict[str, Any],
            files: dict[str, tuple[str, bytes]] | None = None) -> Any:
    url = f"{server.url}/api/3/action/{name}"
    headers = {"Authorization": token}
    response = (requests.post(url, data=data, files=files, headers=headers, timeout=60) if files
                else requests.post(url, json=data, headers=headers, timeout=60))
    body = response.json()
    assert body.get("success"), f"{name}: {body.get('error')}"
    return body["result"]


def _registration(server: LiveServer, token: str, username: str, organization: str) -> Any:
    """A submitted IPPD registration with long names, addresses and file names."""
    reg = _action(server, "splpdepok_registration_create", token, {
        "kind": "ippd", "ippd_domain": f"{username}.depok.go.id",
        "ippd_name": "Pemerintah Kota Depok", "username": username,
        "full_name": "Admin IPPD Depok", "email": f"{username}.alamat.surel@depok.go.id",
        "phone": "0812-3456-7890", "new_organization": organization,
    }, files={
        "letter_upload": ("surat-permohonan-penyelenggara-spl-ippd-kota-depok-2026.pdf", PDF),
        "kajian_upload": ("kajian-kebutuhan-interoperabilitas-data.pdf", PDF),
    })
    return _action(server, "splpdepok_registration_submit", token, {"id": reg["id"]})


@pytest.fixture(scope="module")
def portal(demo_portal: LiveServer) -> Portal:  # noqa: F811
    server = demo_portal
    server.create_user("root-seluler", sysadmin=True, password=PASSWORD)
    server.create_user("pemohon-seluler", password=PASSWORD)
    root, applicant = server.api_token("root-seluler"), server.api_token("pemohon-seluler")
    approved = _registration(server, applicant, "admin-ippd-seluler",
                             "Dinas Kependudukan dan Pencatatan Sipil Kota Depok")
    _action(server, "splpdepok_registration_approve", root,
            {"id": approved["id"], "version": approved["version"]})
    pending = _registration(server, applicant, "admin-ippd-kedua-dengan-nama-yang-panjang",
                            "Badan Pusat Statistik Kota Depok")
    domain = "admin-ippd-seluler.depok.go.id"
    lid = _action(server, "splpdepok_lid_create", root, {
        "name": "Data Penduduk per Kecamatan", "description": "Jumlah penduduk per kecamatan.",
        "endpoint_url": "https://api.depok.go.id/kependudukan/penduduk/per-kecamatan/v1/"
                        "data-lengkap-dengan-parameter?tahun=2025",
        "context": "kependudukan/penduduk", "version": "1.0", "ready": True,
        "attributes": [{"name": "kecamatan", "type": "string", "description": "Kecamatan"}],
        "ippd_domain": domain, "classification": "terbuka", "output_format": "JSON"})
    plan = _action(server, "splpdepok_lid_plan_create", root,
                   {"ippd_domain": domain, "lid_ids": [lid["id"]]})
    package = server.action("package_show", {"id": DATASET})
    resource = package["resources"][0]["id"]
    return Portal(server, {
        "home": ("visitor", "/"),
        "datasets": ("visitor", "/dataset/"),
        "dataset": ("visitor", f"/dataset/{DATASET}"),
        "resource": ("visitor", f"/dataset/{DATASET}/resource/{resource}"),
        "organizations": ("visitor", "/organization/"),
        "organization": ("visitor", "/organization/dinkes"),
        "registration-start": ("applicant", "/pendaftaran"),
        "registration-form": ("applicant", "/pendaftaran/baru/ippd"),
        "registration": ("applicant", f"/pendaftaran/{pending['id']}"),
        "admin-queue": ("admin", "/ckan-admin/pendaftaran"),
        "admin-report": ("admin", "/ckan-admin/pendaftaran/laporan"),
        "admin-review": ("admin", f"/ckan-admin/pendaftaran/{pending['id']}"),
        "lid-catalog": ("visitor", "/katalog-lid"),
        "lid": ("admin", f"/katalog-lid/{lid['id']}"),
        "lid-plan": ("admin", f"/katalog-lid/rencana/{plan['id']}"),
        "sync": ("admin", "/ckan-admin/sinkronisasi"),
        "notices": ("applicant", "/pemberitahuan"),
    })


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("SPLPDEPOK_SCREENSHOTS")
    target = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


class Visitors:
    """One browser context per (width, role), signed in once."""

    def __init__(self, chromium: Browser, portal: Portal) -> None:
        self.browser, self.portal = chromium, portal
        self.contexts: dict[tuple[str, str], BrowserContext] = {}

    def page(self, width: str, who: str) -> Page:
        key = (width, who)
        if key not in self.contexts:
            w, h = WIDTHS[width]
            context = self.browser.new_context(viewport={"width": w, "height": h},
                                               locale="id-ID", bypass_csp=True)
            context.set_default_timeout(20_000)
            self.contexts[key] = context
            if who != "visitor":
                user = "root-seluler" if who == "admin" else "pemohon-seluler"
                login(context.new_page(), self.portal.server.url, user, PASSWORD)
        context = self.contexts[key]
        return context.pages[0] if context.pages else context.new_page()

    def visit(self, width: str, key: str) -> Page:
        who, path = self.portal.pages[key]
        page = self.page(width, who)
        response = page.goto(self.portal.server.url + path)
        assert response is not None and response.status == 200, (key, path)
        page.wait_for_load_state("networkidle")
        return page

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="module")
def visitors(browser: Browser, portal: Portal) -> Iterator[Visitors]:
    crowd = Visitors(browser, portal)
    yield crowd
    crowd.close()


def test_no_page_is_wider_than_a_390_px_screen(visitors: Visitors, portal: Portal,
                                                 screenshots: Path) -> None:
    too_wide: dict[str, int] = {}
    for key in portal.pages:
        page = visitors.visit("mobile", key)
        width = int(page.evaluate("document.documentElement.scrollWidth"))
        page.screenshot(path=str(screenshots / f"{key}-390x844.png"), full_page=True)
        if width > 390:
            too_wide[key] = width
    assert not too_wide, f"pages wider than 390 px: {too_wide}"


CONTRAST = """(el) => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
                                                       : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  // the background actually behind the text: the first opaque one up the tree, blended
  let layers = [], node = el;
  while (node && node.nodeType === 1) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0)) {
      layers.push(c);
      if (c.length < 4 || c[3] >= 1) break;
    }
    node = node.parentElement;
  }
  let bg = [255, 255, 255];
  for (const c of layers.reverse()) {
    const a = c.length < 4 ? 1 : c[3];
    bg = [0, 1, 2].map(i => c[i] * a + bg[i] * (1 - a));
  }
  const fg = rgba(getComputedStyle(el).color);
  const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def badge_colours_in_templates() -> set[str]:
    """Every Bootstrap colour a template that draws badges names (``bg-info`` or a map value
    such as ``'submitted': 'info'``): the styles the portal's status badges can take."""
    found: set[str] = set()
    names = "|".join(BOOTSTRAP_COLOURS)
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if "badge" in text:
            found |= set(re.findall(rf"bg-({names})\b", text))
            found |= set(re.findall(rf"'({names})'", text))
    return found


def test_every_status_badge_style_reaches_4_5_to_1(visitors: Visitors) -> None:
    colours = badge_colours_in_templates()
    assert {"info", "warning", "success", "danger", "secondary"} <= colours, colours
    page = visitors.visit("mobile", "lid-catalog")
    page.evaluate("""(colours) => {
      const box = document.createElement('p'); box.id = 'badge-samples';
      for (const c of colours) {
        const b = document.createElement('span');
        b.className = 'badge bg-' + c + (c === 'light' ? ' text-dark' : '');
        b.dataset.colour = c; b.textContent = 'Dikirim'; box.appendChild(b);
      }
      for (const cls of ['splpdepok-format', 'splpdepok-badge-overdue', 'splpdepok-unread']) {
        const b = document.createElement('span'); b.className = 'badge ' + cls;
        b.dataset.colour = cls; b.textContent = 'CSV'; box.appendChild(b);
      }
      document.querySelector('.module-content, main').appendChild(box);
    }""", sorted(colours))
    ratios = {
        str(badge.get_attribute("data-colour")): round(float(badge.evaluate(CONTRAST)), 2)
        for badge in page.locator("#badge-samples .badge").all()
    }
    assert len(ratios) == len(colours) + 3
    weak = {colour: ratio for colour, ratio in ratios.items() if ratio < 4.5}
    assert not weak, f"badge contrast below 4.5:1: {weak} (all: {ratios})"
    # and the badges the pages really show
    for key in ("admin-queue", "admin-review", "lid", "lid-plan"):
        page = visitors.visit("mobile", key)
        shown = [round(float(b.evaluate(CONTRAST)), 2) for b in page.locator(".badge").all()
                 if b.is_visible()]
        assert shown and min(shown) >= 4.5, (key, shown)


def test_members_tab_only_for_those_who_may_list_members(visitors: Visitors,
                                                         portal: Portal) -> None:
    visitor = visitors.page("desktop", "visitor")
    for path, members in (("/organization/dinkes", "/organization/members/dinkes"),
                          ("/organization/about/dinkes", "/organization/members/dinkes"),
                          ("/group/ekonomi", "/group/members/ekonomi")):
        visitor.goto(portal.server.url + path)
        assert visitor.locator(".nav-tabs, .page-header").first.is_visible(), path
        assert visitor.locator(f"a[href='{members}']").count() == 0, path
        assert visitor.get_by_role("link", name="Anggota", exact=True).count() == 0, path
    response = requests.get(portal.server.url + "/organization/members/dinkes", timeout=30)
    assert response.status_code == 403
    admin = visitors.page("desktop", "admin")
    admin.goto(portal.server.url + "/organization/dinkes")
    assert admin.locator("a[href='/organization/members/dinkes']").count() == 1
    admin.goto(portal.server.url + "/organization/members/dinkes")
    assert admin.locator("table").count() >= 1


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_no_serious_or_critical_violation(
        visitors: Visitors, portal: Portal, axe_script: Path, screenshots: Path,  # noqa: F811
        width: str) -> None:
    w, h = WIDTHS[width]
    failures: list[str] = []
    for key in portal.pages:
        page = visitors.visit(width, key)
        result = run_axe(page, axe_script)
        counts = result.counts()
        print(f"axe {width} {w}x{h} {key}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if width == "desktop":
            page.screenshot(path=str(screenshots / f"{key}-{w}x{h}.png"), full_page=True)
        if result.blocking:
            failures.append(f"{key}: {result.describe(only_blocking=True)}")
    assert not failures, "\n".join(failures)
