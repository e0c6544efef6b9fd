"""What the national harvesters read from us, as pure functions (no CKAN import).

Two national routes pull this portal (see the README, "How Satu Data Indonesia and Satu Data
Jabar get our data"):

- ckanext-harvest's CKAN harvester reads ``package_search``. On a CKAN without dataset scheming
  only the ``extras`` list survives its import, so API output carries every national/local
  schema field also as an extra (``with_national_extras``). Those extras exist only in the
  output: ``without_echoed_extras`` removes them again before a create/update validates.
- The national DCAT-JSON harvester reads national keys top-level from each ``/dcat.json`` entry
  (``national_dcat_entry``).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ckanext.splpdepok.schemas.dcat_vocab import CITY_CODE, is_file_url
from ckanext.splpdepok.schemas.fields import LOCAL_DATASET_FIELDS, SDI_DATASET_FIELDS

# Dataset fields echoed as extras in API output: the national ones, then our local ones (a
# harvester with the national schema keeps the local ones as extras, having no field for them).
EXTRA_FIELDS: tuple[str, ...] = SDI_DATASET_FIELDS + LOCAL_DATASET_FIELDS

PROVINCE_CODE = "32"  # Jawa Barat
LANGUAGE = "id"

# Dataset-level keys of the national DCAT-JSON converter that we hold as dataset fields.
DCAT_DATASET_KEYS: tuple[str, ...] = (
    "publisher_type", "prioritas_tahun", "accessRights", "accrualPeriodicity", "satuan",
    "ukuran", "jenis", "theme", "id_dds",
)
# National DCAT-JSON key <- our resource field (the national record is per dataset; we hold these
# per resource and take the first resource that has a value).
DCAT_RESOURCE_KEYS: dict[str, str] = {
    "id_msind": "id_msi",
    "id_mskeg": "id_msk",
    "kodereferensi": "kodereferensi",
    "kriteria_prioritas": "kriteria_prioritas",
    "indikator_prioritas": "indikator_prioritas",
    "interpretasi": "interpretasi",
    "metode_perhitungan": "metode_perhitungan",
    "rumus": "rumus",
    "level_estimasi": "level_estimasi",
}


def extra_value(value: Any) -> str | None:
    """An extra's string for a field value; None when there is nothing to carry.

    Strings pass unchanged; lists and dicts become JSON text (how scheming stores them and how
    the national records show such values), other scalars their ``str``.
    """
    if value is None or value in ("", [], {}):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))
    return str(value)


def with_national_extras(pkg: Mapping[str, Any],
                         fields: Iterable[str] = EXTRA_FIELDS) -> dict[str, Any]:
    """``pkg`` with each top-level schema field also in ``extras`` (an existing extra wins)."""
    extras = [e for e in pkg.get("extras") or [] if isinstance(e, dict)]
    present = {e.get("key") for e in extras}
    added = []
    for field in fields:
        if field in present or field not in pkg:
            continue
        value = extra_value(pkg[field])
        if value is not None:
            added.append({"key": field, "value": value})
    if not added:
        return dict(pkg)
    return {**pkg, "extras": extras + added}


def without_echoed_extras(
    data: Mapping[str, Any], schema_fields: Iterable[str],
    stored: Callable[[], Mapping[str, Any] | None] = lambda: None,
) -> dict[str, Any]:
    """``data`` without the extras that echo a schema field, ready to validate.

    An echo whose field is missing fills the field. When field and echo differ, the one the
    caller changed wins: the field, unless it still equals the stored value (``stored()``, read
    only then) while the echo does not; so show -> edit field -> update and show -> edit extra
    -> update both do what the caller meant.
    """
    fields = set(schema_fields)
    extras = data.get("extras")
    if not isinstance(extras, list):
        return dict(data)
    kept: list[Any] = []
    echoes: dict[str, Any] = {}
    for extra in extras:
        if isinstance(extra, dict) and extra.get("key") in fields and not extra.get("deleted"):
            echoes[extra["key"]] = extra.get("value")
        else:
            kept.append(extra)
    if not echoes:
        return dict(data)
    out = {**data, "extras": kept}
    saved: Mapping[str, Any] | None = None
    for key, value in echoes.items():
        if key not in data or data[key] is None:
            out[key] = value
            continue
        current = extra_value(data[key])
        if current == value or value is None:
            continue
        if saved is None:
            saved = stored() or {}
        if extra_value(saved.get(key)) == current:
            out[key] = value
    return out


def _first_resource_value(pkg: Mapping[str, Any], field: str) -> Any:
    for resource in pkg.get("resources") or []:
        value = resource.get(field)
        if value not in (None, ""):
            return value
    return None


def _distribution(resource: Mapping[str, Any]) -> dict[str, Any]:
    url = resource.get("url") or ""
    dist: dict[str, Any] = {
        "title": resource.get("name") or "",
        "description": resource.get("description") or "",
        "format": resource.get("format") or "",
        "accessURL": url,
    }
    if url and is_file_url(url, resource.get("format"), resource.get("url_type")):
        dist["downloadURL"] = url
    size = resource.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
        dist["byteSize"] = size
    return dist


def national_dcat_entry(pkg: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    """A ``/dcat.json`` entry: ckanext-dcat's own (``base``) plus the national keys top-level.

    ``identifier`` is the dataset id (the national copy matches by it), ``issued``/``modified``
    the CKAN timestamps, ``publisher`` the organization (Perangkat Daerah).
    """
    entry = dict(base)
    org = pkg.get("organization") or {}
    entry.update({
        "identifier": pkg["id"],
        "title": pkg.get("title") or pkg.get("name"),
        "description": pkg.get("notes") or pkg.get("title") or "",
        "issued": pkg.get("metadata_created"),
        "modified": pkg.get("metadata_modified"),
        "keyword": [t["name"] for t in pkg.get("tags") or [] if t.get("name")],
        "language": [LANGUAGE],
        "distribution": [_distribution(r) for r in pkg.get("resources") or []],
        "produsen_data_city_code": CITY_CODE,
        "produsen_data_province_code": PROVINCE_CODE,
    })
    publisher = {"name": org.get("title") or org.get("name")} if org else {}
    if publisher.get("name"):
        entry["publisher"] = publisher
    if pkg.get("author"):
        entry["produsen_data_name"] = pkg["author"]
    for key in DCAT_DATASET_KEYS:
        if pkg.get(key) not in (None, ""):
            entry[key] = pkg[key]
    for key, field in DCAT_RESOURCE_KEYS.items():
        value = _first_resource_value(pkg, field)
        if value is not None:
            entry[key] = value
    return entry
