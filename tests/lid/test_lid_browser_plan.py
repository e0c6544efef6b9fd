"""Headless Chromium on the connection plan (SOP steps 11-14 and a dry run of step 15) on a
live CKAN talking to the SPLP double: the operator adds a ready LID and opens the plan, the
IPPD admin sends it, records the guide and the instruction, and sees the dry run."""
from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from tests.lid.conftest import LID_PDF
from tests.support.browser import login
from tests.support.live_server import CKAN_BIN, ROOT, LiveServer, reset_database
from tests.support.splp_double import SplpDouble

pytestmark = pytest.mark.browser
OPERATOR_PASSWORD, ADMIN_PASSWORD = "Operator-Depok-2026", "AdminIppd-Depok-2026"


def _approved_roles(org_id: str) -> None:
    """The records SOP steps 1-10 leave behind: the IPPD with its admin, the LID operator."""
    engine = sa.create_engine(os.environ["CKAN_SQLALCHEMY_URL"])
    with engine.begin() as conn:
        ids = {str(name): str(id_) for name, id_ in conn.execute(sa.text(
            "SELECT name, id FROM \"user\" WHERE name IN ('operator-lid', 'admin-ippd')"))}
        conn.execute(sa.text(
            "INSERT INTO splpdepok_ippds (id, domain, name, organization_id, registration_id, "
            "admin_user_id, tenant_domain, created, modified) VALUES (:id, 'depok.go.id', "
            "'Kota Depok', :org, 'reg-ippd', :admin, 'depok.go.id', now(), now())"),
            {"id": str(uuid.uuid4()), "org": org_id, "admin": ids["admin-ippd"]})
        conn.execute(sa.text(
            "INSERT INTO splpdepok_registrations (id, kind, status, ippd_domain, username, "
            "full_name, email, requested_organization_id, phone, creator_user_id, created, "
            "modified, decided, user_id, organization_id) VALUES (:id, 'lid', 'approved', "
            "'depok.go.id', 'operator-lid', 'Operator LID', 'operator@depok.go.id', :org, "
            "'0812', :user, now(), now(), now(), :user, :org)"),
            {"id": str(uuid.uuid4()), "user": ids["operator-lid"], "org": org_id})
    engine.dispose()


def _work_off_lid_queue(server: LiveServer, splp: SplpDouble) -> None:
    """``ckan jobs worker splpdepok_lid --burst`` with the SPLP credentials (the worker's)."""
    env = dict(os.environ, SPLPDEPOK_SPLP_CLIENT_ID=splp.client_id,
               SPLPDEPOK_SPLP_CLIENT_SECRET=splp.client_secret)
    done = subprocess.run([str(CKAN_BIN), "-c", str(server.ini), "jobs", "worker",
                           "splpdepok_lid", "--burst"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def splp() -> Iterator[SplpDouble]:
    double = SplpDouble().start()
    yield double
    double.stop()
    assert not double.violations, double.violations


@pytest.fixture(scope="module")
def portal(splp: SplpDouble) -> Iterator[LiveServer]:
    server = LiveServer.prepare("lid-plan", ["splpdepok_search", "splpdepok"], {
        "ckan.locale_default": "id", "ckanext.splpdepok.splp.base_url": splp.base_url,
        "ckanext.splpdepok.splp.gateway_url": splp.gateway_url,
        "ckanext.splpdepok.splp.backoff_seconds": "0"})
    reset_database(server.ini)
    saved = {k: os.environ.get(k) for k in ("SPLPDEPOK_SPLP_CLIENT_ID",
                                            "SPLPDEPOK_SPLP_CLIENT_SECRET")}
    os.environ["SPLPDEPOK_SPLP_CLIENT_ID"] = splp.client_id  # inherited by the server only
    os.environ["SPLPDEPOK_SPLP_CLIENT_SECRET"] = splp.client_secret
    try:
        server.start()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
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
    page = browser.new_context(locale="id-ID").new_page()
    page.set_default_timeout(20_000)
    login(page, server.url, user, password)
    return page


def test_plan_steps_11_to_14_and_a_dry_run(
        browser: Browser, portal: LiveServer, splp: SplpDouble, tmp_path: Path) -> None:
    operator = _page(browser, portal, "operator-lid", OPERATOR_PASSWORD)
    operator.goto(portal.url + "/katalog-lid")
    operator.click("#new-lid")
    for field, value in (("name", "Data Penduduk"), ("context", "kependudukan/penduduk"),
                         ("endpoint_url", "https://api.depok.go.id/penduduk"),
                         ("version", "1.0"), ("attributes", "kecamatan | string | Kecamatan")):
        operator.fill(f"#field-{field}", value)
    operator.check("#field-ready")
    operator.click("#save-lid")
    expect(operator.locator(".splpdepok-lid-status")).to_have_text("Siap untuk SPLP")
    operator.goto(portal.url + "/katalog-lid")
    operator.click("#new-plan")
    expect(operator.locator(".splpdepok-plan-status")).to_contain_text("Rencana disiapkan")
    expect(operator.locator("body")).to_contain_text("Data Penduduk")
    expect(operator.locator("#step-send")).to_have_count(0)  # step 12 is the IPPD admin's
    plan_url = operator.url

    admin = _page(browser, portal, "admin-ippd", ADMIN_PASSWORD)
    admin.goto(plan_url)
    admin.click("#step-send")
    expect(admin.locator(".splpdepok-plan-status")).to_contain_text("Dikirim ke SPLP")
    guide = tmp_path / "petunjuk-teknis.pdf"
    guide.write_bytes(LID_PDF)
    admin.set_input_files("#guide_upload", str(guide))
    admin.click("#step-receive_guide")
    expect(admin.locator("body")).to_contain_text("petunjuk-teknis.pdf")
    admin.click("#step-instruct_sync")
    expect(admin.locator(".splpdepok-plan-status")).to_contain_text(
        "Sinkronisasi diinstruksikan")
    steps = admin.locator(".splpdepok-plan-events tbody tr td:first-child").all_inner_texts()
    assert steps == ["11", "12", "13", "14"]
    admin.click("#step-dry_run")
    expect(admin.locator("#splpdepok-run-pending")).to_be_visible()  # the worker runs it
    _work_off_lid_queue(portal, splp)
    admin.reload()
    expect(admin.locator("#splpdepok-run-pending")).to_have_count(0)
    expect(admin.locator(".splpdepok-dry-run")).to_contain_text("create, deploy, publish")
    assert splp.writes() == [] and any(r.operation == "getAllAPIs" for r in splp.requests)
    page_text: Any = admin.content()
    assert splp.client_secret not in page_text and splp.client_id not in page_text
