"""The demo data under the portal's scheming schema (schemas/sdi_dataset.yaml).

With the schema the Satu Data Indonesia fields are real dataset fields (validated choices,
top-level in the API); without it the loader keeps them as extras (test_portal_pages.py).
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from ckanext.splpdepok.demo.data import METADATA_FIELDS, read_data

from tests.support.live_server import LiveServer, demo_portal, portal_plugins  # noqa: F401

LIVE_SERVER_PLUGINS = [p for p in portal_plugins() if p != "scheming_datasets"]
LIVE_SERVER_PLUGINS.append("scheming_datasets")
LIVE_SERVER_CONFIG = {
    "scheming.dataset_schemas": "ckanext.splpdepok.schemas:sdi_dataset.yaml",
    "scheming.presets": "ckanext.scheming:presets.json ckanext.splpdepok.schemas:presets.json",
}
DATA = read_data()


def test_metadata_fields_are_schema_fields(demo_portal: LiveServer) -> None:  # noqa: F811
    status = demo_portal.action("status_show")
    assert "scheming_datasets" in status["extensions"]
    for wanted in DATA.datasets[:5]:
        if wanted["private"]:
            continue
        shown = demo_portal.action("package_show", {"id": wanted["name"]})
        for field in METADATA_FIELDS:
            if field in wanted:
                assert shown.get(field) == wanted[field], (wanted["name"], field)
        # API output echoes each field as an extra for the national harvester (README: "How
        # Satu Data Indonesia and Satu Data Jabar get our data"), always equal to the field.
        echoes = {e["key"]: e["value"] for e in shown.get("extras", [])}
        for field in set(echoes) & set(METADATA_FIELDS):
            assert echoes[field] == shown[field], (wanted["name"], field)


def test_dataset_page_shows_the_schema_labels(demo_portal: LiveServer) -> None:  # noqa: F811
    response = demo_portal.get("/dataset/jumlah-puskesmas-per-kecamatan-2023")
    assert response.status_code == 200
    text = BeautifulSoup(response.text, "html.parser").get_text(" ", strip=True)
    assert "Jumlah Puskesmas per Kecamatan di Kota Depok 2023" in text
    assert "Satuan" in text and "Unit" in text


def test_second_load_changes_nothing_under_the_schema(demo_portal: LiveServer) -> None:  # noqa: F811
    output = demo_portal.ckan("splpdepok", "demo", "load", "--quiet")
    assert f"datasets: 0 created, 0 updated, {len(DATA.datasets)} unchanged" in output
