"""``/dcat.json`` read the way the national DCAT-JSON harvester reads it: every entry converted with
the converter in tests/support/harvester.py (written from the national key list) must give back
our dataset id, national fields, region codes and distributions."""
from __future__ import annotations

from typing import Any

from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.splpdepok.schemas.fields import SDI_DATASET_FIELDS

from tests.schema.plugin_config import SDI_SCHEMA_MARKS, national_fields, resources
from tests.support.harvester import national_dcat_to_ckan

pytestmark = SDI_SCHEMA_MARKS
# National DCAT-JSON keys we hold (id_sds is not among the converter's keys).
CARRIED = [k for k in SDI_DATASET_FIELDS if k != "id_sds"]


def _catalog() -> tuple[dict[str, Any], dict[str, Any]]:
    sysadmin = factories.Sysadmin()
    ctx = {"user": sysadmin["name"]}
    org = factories.Organization(name="disdukcapil", title="Dinas Kependudukan")
    files = [*resources(), {"name": "Arsip", "url": "https://data.depok.go.id/arsip.zip",
                            "format": "ZIP", "size": 2048, "rumus": "a / b"}]
    public = call_action("package_create", context=dict(ctx), name="penduduk",
                         title="Jumlah Penduduk", owner_org=org["id"], **national_fields(),
                         resources=files)
    private = call_action("package_create", context=dict(ctx), name="rahasia", private=True,
                          owner_org=org["id"], **national_fields())
    return public, private


def _extras(pkg: dict[str, Any]) -> dict[str, Any]:
    return {e["key"]: e["value"] for e in pkg["extras"]}


def test_national_converter_gets_our_dataset_back(app: Any) -> None:
    public, private = _catalog()
    entries = app.get("/dcat.json").json
    assert [e["identifier"] for e in entries] == [public["id"]]  # private stays home
    entry = entries[0]
    assert entry["produsen_data_city_code"] == "3276"
    assert entry["produsen_data_province_code"] == "32"

    pkg = national_dcat_to_ckan(entry)
    for key in CARRIED:
        assert pkg[key] == public[key], key
    assert pkg["produsen_data_name"] == public["author"]
    assert pkg["id_msind"] == "https://sirusa.web.bps.go.id/metadata/indikator/4120"
    assert pkg["rumus"] == "a / b"
    assert (pkg["title"], pkg["notes"]) == (public["title"], public["notes"])
    assert {t["name"] for t in pkg["tags"]} == {"penduduk", "kecamatan"}
    extras = _extras(pkg)
    assert extras["guid"] == public["id"]
    assert extras["dcat_issued"] == public["metadata_created"]
    assert extras["dcat_modified"] == public["metadata_modified"]
    assert extras["dcat_publisher_name"] == "Dinas Kependudukan"
    assert extras["language"] == "id"
    assert [(r["url"], r["format"]) for r in pkg["resources"]] == [
        (r["url"], r["format"]) for r in public["resources"]]
    assert pkg["resources"][-1]["size"] == 2048
    by_url = {d["accessURL"]: d for d in entry["distribution"]}
    assert by_url["https://data.depok.go.id/files/penduduk-2024.csv"]["downloadURL"]
    assert "downloadURL" not in by_url["https://api.depok.go.id/penduduk"]  # an API, not a file


def test_paging_and_modified_since(app: Any) -> None:
    public, _ = _catalog()
    assert app.get("/dcat.json?page=2").json == []
    assert [e["identifier"] for e in app.get(
        "/dcat.json?modified_since=2000-01-01").json] == [public["id"]]
    assert app.get("/dcat.json?modified_since=2999-01-01").json == []
    assert app.get("/dcat.json?page=0").status_code == 409
