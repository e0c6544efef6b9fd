"""Local package dict -> the Satu Data Jawa Barat dataset shape (key/value ``metadata``).

The province's public read API shows items with ``name``, ``nama_skpd``/``organisasi_name``,
``topik_name`` and ``metadata`` as ``[{"key": ..., "value": ...}]``. How a city pushes is not
public, so this is the JSON the ``jabar`` target exports or posts; keys are the province's own
Indonesian labels. The region comes from the target (its ``regional_id`` setting); Kota Depok is
``regional_id`` 15 in that catalog, the declared default.
"""
from __future__ import annotations

from typing import Any

from ckanext.splpdepok.schemas.fields import choice_label

from .common import CITY_NAME, live_resources, organization_title, tag_names, value

JABAR_REGIONAL_ID = 15  # Kota Depok: the default of a target's regional_id (migration 0005)


def _date_only(timestamp: Any) -> str | None:
    """CKAN timestamps (``2024-05-01T10:00:00.123``) as the date the province displays."""
    if not isinstance(timestamp, str) or not timestamp:
        return None
    return timestamp[:10]


def _metadata(pkg: dict[str, Any]) -> list[dict[str, str]]:
    producer = value(pkg, "author") or organization_title(pkg)
    periodicity = value(pkg, "accrualPeriodicity")
    level = value(pkg, "tingkat_penyajian")
    access = value(pkg, "accessRights")
    rows: list[tuple[str, Any]] = [
        ("Dataset Dibuat", _date_only(pkg.get("metadata_created"))),
        ("Dataset Diperbarui", _date_only(pkg.get("metadata_modified"))),
        ("Pengukuran Dataset", value(pkg, "ukuran")),
        ("Satuan Dataset", value(pkg, "satuan")),
        ("Tingkat Penyajian Dataset",
         choice_label("tingkat_penyajian", level) if level else None),
        ("Cakupan Dataset", value(pkg, "cakupan") or CITY_NAME),
        ("Frekuensi Dataset",
         choice_label("accrualPeriodicity", periodicity) if periodicity else None),
        ("Dimensi Dataset Awal", value(pkg, "temporal_start")),
        ("Dimensi Dataset Akhir", value(pkg, "temporal_end")),
        ("Produsen", producer),
        ("Kontak Produsen", value(pkg, "author_email")),
        ("Walidata", value(pkg, "maintainer")),
        ("Jenis Data", value(pkg, "jenis")),
        ("Akses Data", choice_label("accessRights", access) if access else None),
        ("Kode Daftar Data", value(pkg, "id_dds")),
        ("Kode Standar Data", value(pkg, "id_sds")),
        ("Data Prioritas", value(pkg, "prioritas_tahun")),
        ("Sumber Eksternal", value(pkg, "url")),
        ("Lisensi", pkg.get("license_title") or value(pkg, "license_id")),
    ]
    return [{"key": k, "value": str(v)} for k, v in rows if v is not None]


def to_jabar(pkg: dict[str, Any], regional_id: int = JABAR_REGIONAL_ID) -> dict[str, Any]:
    """The province's item shape for the region ``regional_id`` (the target's); blank metadata
    rows are left out, order is fixed."""
    org_title = organization_title(pkg)
    return {
        "name": value(pkg, "title") or pkg.get("name"),
        "slug": pkg.get("name"),
        "description": value(pkg, "notes") or "",
        "nama_skpd": org_title,
        "organisasi_name": org_title,
        "regional_id": regional_id,
        "topik_name": value(pkg, "theme"),
        "tags": tag_names(pkg),
        "metadata": _metadata(pkg),
        "resources": [
            {
                "name": r.get("name") or r.get("url"),
                "url": r.get("url"),
                "format": (r.get("format") or "").upper() or None,
            }
            for r in live_resources(pkg)
            if r.get("url")
        ],
    }
