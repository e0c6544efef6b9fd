"""The configuration the portal runs the SDI schema with, as pytest marks for integration tests.

config/test.ini stays untouched (CKAN's core search tests run with it); tests that need the
schema, ckanext-dcat and structured data switch them on with these marks.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.schema.samples import NATIONAL_VALUES

PLUGINS = "splpdepok_search splpdepok scheming_datasets dcat dcat_json_interface structured_data"
PROFILES = "euro_dcat_ap_3 splpdepok_sdi"
SCHEMA = "ckanext.splpdepok.schemas:sdi_dataset.yaml"
PRESETS = "ckanext.scheming:presets.json ckanext.splpdepok.schemas:presets.json"

SDI_SCHEMA_MARKS = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("scheming.dataset_schemas", SCHEMA),
    pytest.mark.ckan_config("scheming.presets", PRESETS),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES),
    # with_plugins before clean_db: the reset re-applies the search index migration.
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

# A plain CKAN (no scheming): what a remote catalog without the SDI schema looks like.
PLAIN_CKAN_MARKS = [
    pytest.mark.ckan_config("ckan.plugins", "splpdepok_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def theme_group(title: str = "Kependudukan") -> dict[str, Any]:
    """The theme group a Kategori value names (Kategori must be one of the portal's groups);
    created on first use."""
    from ckan import model
    from ckan.tests import factories
    from ckan.tests.helpers import call_action

    name = title.casefold().replace(" ", "-")
    if model.Group.get(name) is None:
        factories.Group(name=name, title=title)
    return call_action("group_show", id=name)


def national_fields() -> dict[str, str]:
    """A complete set of valid SDI + local field values for package_create (the theme group
    its Kategori names is created when missing, so call it with the database up)."""
    theme_group(NATIONAL_VALUES["theme"])
    return {
        "notes": "Jumlah penduduk **per kecamatan** <b>Kota Depok</b> & sekitarnya.",
        "tag_string": "penduduk,kecamatan",
        **NATIONAL_VALUES,
    }


def resources() -> list[dict[str, str]]:
    return [
        {
            "name": "Penduduk 2024",
            "description": "Tabel penduduk per kecamatan",
            "format": "CSV",
            "url": "https://data.depok.go.id/files/penduduk-2024.csv",
            "id_msi": "https://sirusa.web.bps.go.id/metadata/indikator/4120",
        },
        {
            "name": "API penduduk",
            "description": "Layanan JSON",
            "format": "JSON",
            "url": "https://api.depok.go.id/penduduk",
        },
    ]


def load_demo_catalog() -> list[dict[str, Any]]:
    """Create the demo data engineer's organizations, groups and datasets through the API with
    the SDI schema on; returns the created datasets (a ValidationError means a mismatch)."""
    from ckan.tests import factories
    from ckan.tests.helpers import call_action
    from ckanext.splpdepok.demo.data import read_data

    data = read_data()
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    for org in data.organizations:
        call_action("organization_create", context=dict(context), **org)
    for group in data.groups:
        call_action("group_create", context=dict(context), **group)
    return [
        call_action("package_create", context=dict(context), **dataset)
        for dataset in data.datasets
    ]
