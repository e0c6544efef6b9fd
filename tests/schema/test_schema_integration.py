"""The SDI dataset schema inside CKAN: validation, API output, and crosswalk round trips."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.splpdepok.sync.crosswalk import content_hash, to_ckan
from ckanext.splpdepok.sync.readiness import missing_fields

from tests.schema.plugin_config import (
    PLAIN_CKAN_MARKS,
    SDI_SCHEMA_MARKS,
    national_fields,
    resources,
    theme_group,
)


def _sysadmin_context() -> dict[str, Any]:
    user = factories.Sysadmin()
    return {"user": user["name"], "ignore_auth": False}


def _create(org: dict[str, Any], name: str = "penduduk", **extra: Any) -> dict[str, Any]:
    data = {"name": name, "title": "Jumlah Penduduk", "owner_org": org["id"]}
    data.update(extra)
    return call_action("package_create", context=_sysadmin_context(), **data)


class TestSdiSchema:
    pytestmark = SDI_SCHEMA_MARKS

    def test_schema_loads_with_presets(self) -> None:
        schema = call_action("scheming_dataset_schema_show", type="dataset")
        names = [f["field_name"] for f in schema["dataset_fields"]]
        for field in ("satuan", "ukuran", "jenis", "theme", "accrualPeriodicity",
                      "accessRights", "publisher_type", "prioritas_tahun", "id_dds", "id_sds"):
            assert field in names
        access = next(f for f in schema["dataset_fields"] if f["field_name"] == "accessRights")
        assert [c["value"] for c in access["choices"]] == ["terbuka", "terbatas", "tertutup"]
        assert access["label"] == {"id": "Akses Data", "en": "Access rights"}

    def test_minimal_api_create_still_works(self) -> None:
        org = factories.Organization()
        pkg = call_action(
            "package_create", context=_sysadmin_context(), name="minimal", owner_org=org["id"]
        )
        assert pkg["title"] == "minimal"
        assert pkg["publisher_type"] == "daerah-kota"  # the city's own portal
        assert "accessRights" not in pkg or not pkg["accessRights"]
        assert pkg["state"] == "draft"  # no resource yet: not public

    def test_national_fields_are_top_level_in_show_and_search(self) -> None:
        org = factories.Organization()
        created = _create(org, **national_fields(), resources=resources())
        shown = call_action("package_show", id=created["id"])
        found = call_action("package_search", q="name:penduduk")["results"][0]
        for key, expected in national_fields().items():
            if key in ("tag_string",):
                continue
            assert shown[key] == expected, key
            assert found[key] == expected, key
        assert not [e for e in shown.get("extras", []) if e["key"] in national_fields()]
        assert shown["resources"][0]["id_msi"].endswith("/4120")
        assert shown["notes"] == national_fields()["notes"]  # markup stored as typed

    def test_national_fields_filter_and_facet(self, app: Any) -> None:
        org = factories.Organization()
        theme_group("Pendidikan")
        _create(org, name="penduduk", **national_fields(), resources=resources())
        _create(org, name="sekolah", **{**national_fields(), "theme": "Pendidikan"},
                resources=resources())
        result = call_action(
            "package_search", fq='theme:"Kependudukan"',
            **{"facet.field": ["theme", "prioritas_tahun", "accessRights"]},
        )
        assert [p["name"] for p in result["results"]] == ["penduduk"]
        facets = call_action(
            "package_search", **{"facet.field": ["theme", "prioritas_tahun"]}
        )["facets"]
        assert facets["theme"] == {"Kependudukan": 1, "Pendidikan": 1}
        assert facets["prioritas_tahun"] == {"2024": 2}
        # The local theme concept IRI of the DCAT profile is this search page.
        page = app.get("/dataset/", query_string={"theme": "Pendidikan"}).body
        assert "/dataset/sekolah" in page and "/dataset/penduduk" not in page

    def test_api_endpoint_carries_national_fields(self, app: Any) -> None:
        org = factories.Organization()
        _create(org, **national_fields(), resources=resources())
        body = app.get("/api/3/action/package_show", query_string={"id": "penduduk"}).json
        assert body["result"]["satuan"] == "Jiwa"
        assert body["result"]["accessRights"] == "terbuka"
        search = app.get("/api/3/action/package_search", query_string={"q": "penduduk"}).json
        assert search["result"]["results"][0]["theme"] == "Kependudukan"

    @pytest.mark.parametrize(
        ("field", "bad"),
        [
            ("accessRights", "bebas"),
            ("publisher_type", "desa"),
            ("accrualPeriodicity", "kadang-kadang"),
            ("tingkat_penyajian", "provinsi"),
            ("author_email", "bukan-email"),
            ("url", "javascript:alert(1)"),
        ],
    )
    def test_invalid_values_are_rejected(self, field: str, bad: str) -> None:
        org = factories.Organization()
        with pytest.raises(tk.ValidationError) as error:
            _create(org, **{field: bad})
        assert field in error.value.error_dict

    def test_readiness_on_real_dicts(self) -> None:
        org = factories.Organization()
        full = _create(org, name="lengkap", **national_fields(), resources=resources())
        bare = _create(org, name="kosong")
        assert missing_fields(call_action("package_show", id=full["id"]), "harvest") == []
        assert "satuan" in missing_fields(call_action("package_show", id=bare["id"]), "harvest")

    def test_crosswalk_payload_creates_an_equal_dataset_on_an_sdi_remote(self) -> None:
        # This portal doubles as the "remote running the SDI schema".
        org = factories.Organization()
        source = call_action(
            "package_show",
            id=_create(org, **national_fields(), resources=resources())["id"],
        )
        payload = to_ckan(source, name="salinan", owner_org=org["name"])
        copy = call_action("package_create", context=_sysadmin_context(), **payload)
        copy = call_action("package_show", id=copy["id"])
        for key in national_fields():
            if key != "tag_string":
                assert copy[key] == source[key], key
        assert [r["url"] for r in copy["resources"]] == [r["url"] for r in source["resources"]]
        assert {t["name"] for t in copy["tags"]} == {"penduduk", "kecamatan"}
        # Pushing the copy back gives the same payload, hence the same hash (idempotent sync).
        again = to_ckan(copy, name="salinan", owner_org=org["name"])
        assert content_hash(again) == content_hash(payload)


class TestPlainRemote:
    pytestmark = PLAIN_CKAN_MARKS

    def test_extras_mode_payload_is_accepted_by_a_plain_ckan(self) -> None:
        org = factories.Organization()
        local = {
            "name": "lokal", "title": "Jumlah Penduduk", "owner_org": org["id"],
            **{k: v for k, v in national_fields().items() if k != "tag_string"},
            "tags": [{"name": "penduduk"}], "resources": resources(),
        }
        payload = to_ckan(local, name="remote", owner_org=org["name"], extras_mode="extras")
        created = call_action("package_create", context=_sysadmin_context(), **payload)
        extras = {e["key"]: e["value"] for e in created["extras"]}
        assert extras["satuan"] == "Jiwa"
        assert extras["accessRights"] == "terbuka"
        assert extras["temporal_start"] == "2020"
        assert created["notes"] == local["notes"]
