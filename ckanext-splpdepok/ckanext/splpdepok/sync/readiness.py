"""Which fields a dataset still lacks before a sync target can take it (pure, no CKAN).

The schema itself only requires a name so editors can save drafts and the API stays usable;
each target's needs are listed here instead and shown before a push or to the walidata.
"""
from __future__ import annotations

from typing import Any

from ckanext.splpdepok.schemas import fields
from ckanext.splpdepok.sync.crosswalk.common import tag_names, value

# Pseudo-field: at least one live resource with a URL.
RESOURCES = "resources"

REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    # Any remote CKAN: enough for a useful catalog entry.
    "ckan": ("title", "notes", "license_id", RESOURCES),
    # Satu Data Jawa Barat: its key/value metadata (see crosswalk.jabar).
    "jabar": (
        "title",
        "notes",
        "owner_org",
        "ukuran",
        "satuan",
        "tingkat_penyajian",
        "accrualPeriodicity",
        "temporal_start",
        "temporal_end",
        RESOURCES,
    ),
    # National harvester (data.go.id): Perpres 39/2019 data standard (konsep, definisi, ukuran,
    # satuan) and metadata, Produsen Data and Walidata, plus the SDI catalog facets.
    "harvest": (
        "title",
        "notes",
        "tags",
        "owner_org",
        "author",
        "maintainer",
        "accessRights",
        "theme",
        "accrualPeriodicity",
        "jenis",
        "satuan",
        "ukuran",
        "publisher_type",
        "license_id",
        RESOURCES,
    ),
}

TARGET_TYPES: tuple[str, ...] = tuple(REQUIRED_FIELDS)


def _has_resource(pkg: dict[str, Any]) -> bool:
    return any(
        isinstance(r, dict) and r.get("state", "active") == "active" and value(r, "url")
        for r in pkg.get("resources") or []
    )


def _is_present(pkg: dict[str, Any], field: str) -> bool:
    if field == RESOURCES:
        return _has_resource(pkg)
    if field == "tags":
        return bool(tag_names(pkg))
    if field == "license_id":
        return value(pkg, field) not in (None, "notspecified")
    return value(pkg, field) is not None


def missing_fields(pkg_dict: dict[str, Any], target_type: str) -> list[str]:
    """Field names `target_type` (``ckan``, ``jabar``, ``harvest``) needs and the dataset lacks.

    Order follows the target's list (roughly the form's order). Unknown target types raise
    ValueError so a typo in a target's configuration is not read as "ready".
    """
    try:
        required = REQUIRED_FIELDS[target_type]
    except KeyError:
        raise ValueError(
            f"unknown target type {target_type!r}; expected one of {TARGET_TYPES}"
        ) from None
    return [field for field in required if not _is_present(pkg_dict, field)]


def describe_missing(
    pkg_dict: dict[str, Any], target_type: str, lang: str = "id"
) -> list[dict[str, str]]:
    """``missing_fields`` with each field's form label in `lang` (``id`` or ``en``)."""
    return [
        {"field": name, "label": fields.label(name, lang)}
        for name in missing_fields(pkg_dict, target_type)
    ]


def is_ready(pkg_dict: dict[str, Any], target_type: str) -> bool:
    return not missing_fields(pkg_dict, target_type)
