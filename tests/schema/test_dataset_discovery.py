"""Finding and reading a dataset: the search facets (Kategori, data type, frequency, priority
year, full licence titles) through the API and on ``/dataset``, and the dataset page (download
buttons, DCAT links, the LIDs serving it, sync state for editors only, no empty rows)."""
from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.lid.conftest import call, lid_db, lid_fields, lid_people  # noqa: F401
from tests.schema.plugin_config import SDI_SCHEMA_MARKS, national_fields, resources, theme_group

pytestmark = [*SDI_SCHEMA_MARKS, pytest.mark.ckan_config("ckan.locale_default", "id")]


def _create(org: dict[str, Any], name: str, **extra: Any) -> dict[str, Any]:
    sysadmin = factories.Sysadmin()
    data = {"name": name, "title": f"Data {name}", "owner_org": org["id"], **national_fields(),
            "resources": resources(), **extra}
    return call_action("package_create", context={"user": sysadmin["name"]}, **data)


@pytest.fixture
def catalog() -> dict[str, Any]:
    org = factories.Organization(name="bappeda", title="Bappeda")
    theme_group("Kesehatan")
    _create(org, "penduduk", license_id="cc-by-sa")
    _create(org, "puskesmas", theme="Kesehatan", jenis="Data Geospasial",
            accrualPeriodicity="Bulanan", prioritas_tahun="2025", license_id="cc-by-sa")
    _create(org, "sekolah", accrualPeriodicity="Bulanan", prioritas_tahun="", license_id="cc-by")
    return {"org": org}


def _facet_section(html: str, title: str) -> str:
    start = html.index(f"{title}\n")
    return html[start:html.index("</section>", start)]


class TestFacets:
    def test_package_search_counts_the_new_facet_fields(self, catalog: dict[str, Any]) -> None:
        facets = call_action("package_search", **{"facet.field": [
            "groups", "jenis", "accrualPeriodicity", "prioritas_tahun", "license_id"]})["facets"]
        assert facets["groups"] == {"kependudukan": 2, "kesehatan": 1}
        assert facets["jenis"] == {"Statistik Sektoral": 2, "Data Geospasial": 1}
        assert facets["accrualPeriodicity"] == {"Tahunan": 1, "Bulanan": 2}
        assert facets["prioritas_tahun"] == {"2024": 1, "2025": 1}
        assert facets["license_id"] == {"cc-by-sa": 2, "cc-by": 1}

    def test_search_page_titles_and_labels_in_indonesian(self, app: Any,
                                                        catalog: dict[str, Any]) -> None:
        html = app.get("/dataset/").body
        theme = _facet_section(html, "Kategori (tema)")
        assert re.search(r'groups=kesehatan"[^>]*>\s*<span class="item-label">Kesehatan</span>',
                         theme), theme
        kinds = _facet_section(html, "Jenis Data")
        assert '<span class="item-label">Data Statistik Sektoral</span>' in kinds
        assert '<span class="item-label">Data Geospasial</span>' in kinds
        frequency = _facet_section(html, "Periode Data")
        assert '<span class="item-label">Bulanan</span>' in frequency
        years = _facet_section(html, "Data Prioritas (tahun)")
        assert 'prioritas_tahun=2025"' in years and ">2025</span>" in years
        licences = _facet_section(html, "Lisensi")
        # The whole title, not CKAN's "Creative Commons..." cut at 22 characters.
        assert ('<span class="item-label">Creative Commons Attribution Share-Alike</span>'
                in licences)
        assert "Creative Commons..." not in html

    def test_english_value_labels(self, app: Any, catalog: dict[str, Any]) -> None:
        html = app.get("/en/dataset/").body
        assert '<span class="item-label">Monthly</span>' in _facet_section(html, "Update frequency")
        assert '<span class="item-label">Geospatial data</span>' in _facet_section(html,
                                                                                   "Data type")

    def test_a_facet_filters(self, app: Any, catalog: dict[str, Any]) -> None:
        html = app.get("/dataset/", query_string={"jenis": "Data Geospasial"}).body
        assert "/dataset/puskesmas" in html and "/dataset/penduduk" not in html


class TestDatasetPage:
    def test_download_buttons_dcat_links_and_no_empty_rows(self, app: Any) -> None:
        org = factories.Organization()
        _create(org, "penduduk", id_sds="", satuan="Jiwa")
        html = app.get("/dataset/penduduk").body
        buttons = re.findall(r'<a class="btn btn-success splpdepok-download" href="([^"]+)"', html)
        assert buttons == ["https://data.depok.go.id/files/penduduk-2024.csv",
                           "https://api.depok.go.id/penduduk"]
        assert "Unduh CSV" in html and "Buka JSON" in html
        for fmt in ("rdf", "ttl", "jsonld"):
            assert f'href="/dataset/penduduk.{fmt}"' in html, fmt
        assert app.get("/dataset/penduduk.ttl").status_code == 200
        rows = re.findall(r'<th scope="row" class="dataset-label">([^<]+)</th>', html)
        assert "Satuan" in rows and "Kode Standar Data" not in rows
        assert "Kode Daftar Data" in rows  # given by national_fields()

    def test_a_draft_says_it_needs_a_resource(self, app: Any) -> None:
        user = factories.SysadminWithToken()
        org = factories.Organization()
        _create(org, "kosong", resources=[])
        html = app.get("/dataset/kosong", headers={"Authorization": user["token"]}).body
        assert "Dataset ini masih draf dan belum publik" in html
        assert 'href="/dataset/kosong/resource/new"' in html
        assert app.get("/dataset/kosong").status_code == 404  # visitors: not there at all

    def test_lids_for_everyone_and_sync_state_for_editors_only(
            self, app: Any, lid_people: SimpleNamespace) -> None:  # noqa: F811
        from ckan import model
        from ckanext.splpdepok.lid.logic import auth

        registration = auth.operator_registration(model.User.get(lid_people.operator["id"]))
        assert registration is not None and registration.organization_id
        org = call_action("organization_show", id=registration.organization_id)
        _create(org, "penduduk-lid")
        lid = call("lid_create", lid_people.operator,
                   ready=True, **lid_fields(datasets=["penduduk-lid"]))
        walidata = {"user": lid_people.sysadmin["name"]}
        call_action("splpdepok_target_create", context=walidata, name="satu-data-jabar",
                    title="Satu Data Jabar", type="ckan", url="http://127.0.0.1:9",
                    credential_ref="SPLPDEPOK_SYNC_JABAR")

        visitor = app.get("/dataset/penduduk-lid").body
        assert f'href="/katalog-lid/{lid["id"]}"' in visitor or lid["name"] in visitor
        assert "splpdepok-dataset-lids" in visitor and lid["name"] in visitor
        assert "splpdepok-sync-state" not in visitor and "Satu Data Jabar" not in visitor

        token = call_action("api_token_create", context=walidata,
                            user=lid_people.sysadmin["name"], name="t")["token"]
        editor = app.get("/dataset/penduduk-lid", headers={"Authorization": token}).body
        assert "splpdepok-sync-state" in editor and "Satu Data Jabar" in editor
