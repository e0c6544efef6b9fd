"""The old portal of the import tests: a second real CKAN with the default schema (no scheming),
which is how a CKAN 2.9 portal stores the national fields, seeded with 2.9-shaped datasets."""
from __future__ import annotations

from typing import Any

import pytest

from tests.schema.plugin_config import PRESETS, PROFILES, SCHEMA
from tests.support.live_server import portal_plugins, portal_settings
from tests.support.remote_ckan import RemoteCkan

FAST = {"ckanext.splpdepok.sync.backoff_seconds": "0.01",
        "ckanext.splpdepok.sync.max_backoff_seconds": "0.05",
        "ckanext.splpdepok.sync.retries": "3",
        "ckanext.splpdepok.sync.timeout_seconds": "20"}

# This portal as it runs: config/portal.ini's plugins and settings, the SDI schema in-process.
PORTAL_MARKS = [
    pytest.mark.interop,
    *[pytest.mark.ckan_config(k, v) for k, v in portal_settings().items()
      if k not in ("ckan.plugins", "ckan.locale_default", "scheming.dataset_schemas",
                   "scheming.presets", "ckanext.dcat.rdf.profiles")],
    pytest.mark.ckan_config("ckan.plugins", " ".join(portal_plugins())),
    pytest.mark.ckan_config("scheming.dataset_schemas", SCHEMA),
    pytest.mark.ckan_config("scheming.presets", PRESETS),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES),
    *[pytest.mark.ckan_config(k, v) for k, v in FAST.items()],
    pytest.mark.usefixtures("portal_db"),
]


def _extras(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in values.items()]


# National fields as a 2.9 portal without scheming keeps them: extras, with the odd values seen
# on real portals (capitalised choices, DCAT-US accessLevel, a JSON theme list, free text).
PUSKESMAS_EXTRAS = {
    "satuan": "Unit", "ukuran": "Jumlah", "jenis": "Data Statistik Sektoral",
    "theme": '["Kesehatan"]', "accessRights": "Terbuka", "accrualPeriodicity": "tahunan",
    "prioritas_tahun": "2024", "publisher_type": "Daerah Kota",
    "dcat_issued": "2023-01-05T00:00:00", "dcat_modified": "2024-02-01T00:00:00",
    "dcat_publisher_name": "Dinas Kesehatan Kota Depok", "language": "id",
}
PENDUDUK_EXTRAS = {
    "satuan": "Jiwa", "accesslevel": "public", "accrualPeriodicity": "kadang-kadang",
    "catatan_lama": "dari portal lama",
}


def seed_old_portal(old: RemoteCkan) -> dict[str, dict[str, Any]]:
    """Organizations ``dinkes`` and ``bappeda``, two groups, four datasets (one private, one
    that this portal's schema rejects). Returns the created datasets by name."""
    dinkes = old.action("organization_create", {"name": "dinkes", "title": "Dinas Kesehatan"})
    bappeda = old.action("organization_create", {"name": "bappeda", "title": "Bappeda",
                                                 "description": "Perencanaan"})
    for name in ("kesehatan", "kependudukan"):
        old.action("group_create", {"name": name, "title": name.title()})
    created = [
        old.action("package_create", {
            "name": "jumlah-puskesmas", "title": "Jumlah Puskesmas", "owner_org": dinkes["id"],
            "notes": "Jumlah puskesmas per kecamatan", "license_id": "cc-by",
            "author": "Dinas Kesehatan", "author_email": "dinkes@depok.go.id",
            "tags": [{"name": "kesehatan"}, {"name": "puskesmas"}],
            "groups": [{"name": "kesehatan"}], "extras": _extras(PUSKESMAS_EXTRAS),
            "resources": [
                {"url": "https://data.depok.go.id/files/puskesmas-2024.csv", "format": "CSV",
                 "name": "Puskesmas 2024", "id_msi": "https://sirusa.web.bps.go.id/metadata/1",
                 "catatan_sumber": "BPS"},
                {"url": "https://api.depok.go.id/puskesmas", "format": "JSON",
                 "name": "API"}]}),
        old.action("package_create", {
            "name": "penduduk-kecamatan", "title": "Penduduk per Kecamatan",
            "owner_org": bappeda["id"], "groups": [{"name": "kependudukan"}],
            "extras": _extras(PENDUDUK_EXTRAS),
            "resources": [{"url": "https://data.depok.go.id/files/penduduk.xlsx",
                           "format": "XLSX"}]}),
        old.action("package_create", {
            "name": "anggaran-internal", "title": "Anggaran (internal)", "private": True,
            "owner_org": bappeda["id"], "extras": _extras({"accessRights": "tertutup"}),
            "resources": [{"url": "https://data.depok.go.id/files/anggaran.csv"}]}),
        # A source address without a scheme: the old default schema took it, ours does not.
        old.action("package_create", {
            "name": "data-rusak", "title": "Data dengan alamat sumber rusak",
            "owner_org": bappeda["id"], "url": "www.depok.go.id/tanpa-skema",
            "extras": _extras({"satuan": "Unit"})}),
    ]
    return {p["name"]: p for p in created}
