"""The new-dataset form in headless Chromium, as a data publisher meets it on the portal
(config/portal.ini's plugins and settings, demo data): SDI vocabularies as selects, a bad year
and a bad date refused in Indonesian, no publication without a resource, and a CSV uploaded as
the resource, which then downloads."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import login
from tests.support.live_server import LiveServer, demo_portal  # noqa: F401

pytestmark = pytest.mark.browser
CSV = b"kecamatan,jiwa\nBeji,198000\nCimanggis,300000\n"


def _state(portal: LiveServer, token: str, name: str) -> dict[str, Any]:
    response = portal.get(f"/api/3/action/package_show?id={name}", token=token)
    assert response.status_code == 200, response.text[:300]
    return response.json()["result"]


def test_the_form_refuses_bad_data_and_publishes_only_with_an_uploaded_file(
        page: Page, demo_portal: LiveServer, tmp_path: Path) -> None:  # noqa: F811
    password = demo_portal.create_user("penerbit", email="penerbit@depok.go.id",
                                       sysadmin=True)
    token = demo_portal.api_token("penerbit")
    login(page, demo_portal.url, "penerbit", password)

    _fill_stage_one_with_bad_year_and_date(page, demo_portal)
    summary = page.locator(".error-explanation")
    expect(summary).to_contain_text("Data Prioritas (tahun): isi tahun antara 2019 dan")
    expect(summary).to_contain_text("Dimensi Data Awal: 2025-13-45 bukan tanggal yang sah")
    assert demo_portal.get("/api/3/action/package_show?id=uji-formulir-dataset-kesehatan",
                           token=token).status_code == 404

    page.fill("#field-prioritas_tahun", "2025")
    page.fill("#field-temporal_start", "2020")
    page.locator("form#dataset-edit button[name=save]").click()
    page.wait_for_load_state("networkidle")
    assert _state(demo_portal, token, "uji-formulir-dataset-kesehatan")["state"] == "draft"
    _finish_without_and_then_with_an_upload(page, demo_portal, token, tmp_path)


def _fill_stage_one_with_bad_year_and_date(page: Page, demo_portal: LiveServer) -> None:  # noqa: F811
    page.goto(demo_portal.url + "/dataset/new")
    for field in ("jenis", "theme", "accrualPeriodicity", "accessRights", "tingkat_penyajian"):
        expect(page.locator(f"select#field-{field}")).to_have_count(1)
    themes = page.locator("select#field-theme option").all_inner_texts()
    assert "Kesehatan" in themes and "Pendidikan" in themes, themes
    kinds = page.locator("select#field-jenis option").all_inner_texts()
    assert "Data Statistik Sektoral" in kinds and "Data Geospasial" in kinds, kinds

    page.fill("#field-title", "Uji Formulir Dataset Kesehatan")
    page.select_option("#field-organizations", label="Dinas Kesehatan", force=True)
    page.select_option("#field-jenis", "Statistik Sektoral", force=True)
    page.select_option("#field-theme", "Kesehatan", force=True)
    page.select_option("#field-private", "False", force=True)  # public: needs a resource
    page.fill("#field-prioritas_tahun", "1999")
    page.fill("#field-temporal_start", "2025-13-45")
    page.locator("form#dataset-edit button[name=save]").click()
    page.wait_for_load_state("networkidle")


def _finish_without_and_then_with_an_upload(page: Page, demo_portal: LiveServer,  # noqa: F811
                                            token: str, tmp_path: Path) -> None:
    # Whichever way the portal's stage 2 is set up (resource form, or the draft's page with
    # its "add a resource" link), finishing without a resource publishes nothing.
    if "/resource/new" not in page.url:
        expect(page.locator(".splpdepok-draft-notice")).to_be_visible()
        page.locator(".splpdepok-draft-notice a").click()
        page.wait_for_url(re.compile(r"/resource/new"))
    finish = page.locator("form#resource-edit button[name=save][value=go-metadata]")
    finish.click()
    page.wait_for_load_state("networkidle")
    assert _state(demo_portal, token, "uji-formulir-dataset-kesehatan")["state"] == "draft"
    assert "/resource/new" in page.url

    expect(page.locator("#resource-upload-button")).to_be_visible()
    data_file = tmp_path / "penduduk-kecamatan.csv"
    data_file.write_bytes(CSV)
    page.locator("#resource-url-upload").evaluate("radio => { radio.checked = true; }")
    page.set_input_files("#field-resource-upload", str(data_file))
    page.fill("#field-name", "Penduduk per Kecamatan")
    page.locator("form#resource-edit button[name=save][value=go-metadata]").click()
    page.wait_for_url(re.compile(r"/dataset/uji-formulir-dataset-kesehatan$"))

    pkg = _state(demo_portal, token, "uji-formulir-dataset-kesehatan")
    assert pkg["state"] == "active"
    assert pkg["theme"] == "Kesehatan" and pkg["jenis"] == "Statistik Sektoral"
    resource = pkg["resources"][0]
    assert resource["url_type"] == "upload"
    assert resource["url"].endswith("/download/penduduk-kecamatan.csv")
    download = page.locator(".splpdepok-download").first
    expect(download).to_contain_text("Unduh")
    response = requests.get(download.get_attribute("href") or "", timeout=30)
    assert response.status_code == 200 and response.content == CSV
    # The dataset is listed under its theme.
    page.goto(demo_portal.url + "/group/kesehatan")
    expect(page.get_by_role("link", name="Uji Formulir Dataset Kesehatan")).to_be_visible()
