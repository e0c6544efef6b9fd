"""Package dicts shaped like ``package_show`` output with the SDI schema (for pure tests)."""
from __future__ import annotations

import copy
from typing import Any

# Valid values for every SDI + local field (also what plugin_config sends to package_create).
NATIONAL_VALUES: dict[str, str] = {
    "license_id": "cc-by",
    "url": "https://disdukcapil.depok.go.id",
    "author": "Dinas Kependudukan dan Pencatatan Sipil",
    "author_email": "disdukcapil@depok.go.id",
    "maintainer": "Diskominfo Kota Depok",
    "maintainer_email": "diskominfo@depok.go.id",
    "id_dds": "DDS-3276-001",
    "id_sds": "SDS-001",
    "satuan": "Jiwa",
    "ukuran": "Jumlah",
    "jenis": "Statistik Sektoral",
    "theme": "Kependudukan",
    "accrualPeriodicity": "Tahunan",
    "accessRights": "terbuka",
    "prioritas_tahun": "2024",
    "publisher_type": "daerah-kota",
    "tingkat_penyajian": "kecamatan",
    "cakupan": "Kota Depok",
    "temporal_start": "2020",
    "temporal_end": "2024",
}

_FULL: dict[str, Any] = {
    **NATIONAL_VALUES,
    "id": "0b6f8a51-7f7c-4c39-9d2b-5c8a3f3e1d01",
    "name": "jumlah-penduduk-menurut-kecamatan",
    "title": "Jumlah Penduduk Menurut Kecamatan",
    "notes": "Jumlah penduduk **per kecamatan** <b>Kota Depok</b> & sekitarnya.",
    "type": "dataset",
    "state": "active",
    "private": False,
    "owner_org": "4d1f9a3e-0000-4000-8000-000000000001",
    "organization": {
        "id": "4d1f9a3e-0000-4000-8000-000000000001",
        "name": "disdukcapil",
        "title": "Dinas Kependudukan dan Pencatatan Sipil",
    },
    "creator_user_id": "a8b3e1b0-0000-4000-8000-000000000002",
    "metadata_created": "2024-01-15T03:04:05.123456",
    "metadata_modified": "2024-06-30T10:11:12.654321",
    "license_title": "Creative Commons Attribution",
    "version": "1.0",
    "tags": [
        {"name": "penduduk", "id": "t1", "vocabulary_id": None},
        {"name": "kecamatan", "id": "t2", "vocabulary_id": None},
    ],
    "groups": [{"name": "kependudukan", "id": "g1", "title": "Kependudukan"}],
    "extras": [],
    "resources": [
        {
            "id": "r-1",
            "package_id": "0b6f8a51-7f7c-4c39-9d2b-5c8a3f3e1d01",
            "position": 0,
            "name": "Penduduk 2024",
            "description": "Tabel CSV",
            "format": "CSV",
            "url": "https://data.depok.go.id/dataset/x/resource/r-1/download/penduduk.csv",
            "url_type": "upload",
            "created": "2024-01-15T03:04:05",
            "state": "active",
            "size": 2048,
            "id_msi": "https://sirusa.web.bps.go.id/metadata/indikator/4120",
        },
        {
            "id": "r-2",
            "position": 1,
            "name": "API",
            "format": "JSON",
            "url": "https://api.depok.go.id/penduduk",
            "state": "active",
        },
    ],
}


def full_package() -> dict[str, Any]:
    return copy.deepcopy(_FULL)


def minimal_package() -> dict[str, Any]:
    """What a bare API ``package_create(name=...)`` gives back."""
    return {
        "id": "11111111-2222-4333-8444-555555555555",
        "name": "minimal",
        "title": "minimal",
        "notes": None,
        "type": "dataset",
        "private": False,
        "owner_org": None,
        "organization": None,
        "publisher_type": "daerah-kota",
        "tags": [],
        "groups": [],
        "extras": [],
        "resources": [],
    }
