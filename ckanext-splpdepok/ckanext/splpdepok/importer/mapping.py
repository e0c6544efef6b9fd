"""An old portal's dataset (CKAN 2.8/2.9, default schema) -> this portal's SDI dataset.

Pure code (no CKAN): the old portal keeps the national fields as ``extras`` (that is what a CKAN
without dataset scheming does), this portal keeps them top level under the same names
(``schemas/sdi_dataset.yaml``). A value is normalised only where the mapping is certain: a choice
field takes the old value when it equals one of our values or labels (any case, spaces/hyphens
alike) or a known synonym (DCAT-US ``accessLevel``, EU/ISO 8601 frequencies); anything else is
reported as *unmapped* and, by choice, kept as an extra or dropped.

Ids, names, resource ids and resource URLs are copied unchanged: the national harvester matches
the city's datasets by id, and its copies point at the resource URLs.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ckanext.splpdepok.schemas.fields import (
    LOCAL_DATASET_FIELDS,
    SDI_DATASET_FIELDS,
    SDI_RESOURCE_FIELDS,
    choices,
)

KEEP, DROP = "keep", "drop"
UNMAPPED_MODES = (KEEP, DROP)
# Prefix of the extra that keeps an unmappable value of one of our own fields (scheming rejects
# an extra whose key equals a schema field, CKAN one whose key equals a core field).
KEPT_PREFIX = "imported_"

# Why a field is unmapped (the runner turns these into messages).
NO_FIELD, BAD_VALUE, RESERVED = "no_field", "bad_value", "reserved"

CORE_DATASET_KEYS = ("title", "notes", "url", "version", "author", "author_email",
                     "maintainer", "maintainer_email", "license_id")
# Keys CKAN keeps at the top level: an extra with one of these names cannot be stored.
RESERVED_KEYS = frozenset({
    *CORE_DATASET_KEYS, "id", "name", "type", "state", "private", "owner_org", "tags",
    "groups", "resources", "extras", "tag_string", "metadata_created", "metadata_modified",
    "creator_user_id", "revision_id", "organization", "num_resources", "num_tags",
    "relationships_as_object", "relationships_as_subject", "license_title", "license_url",
    "isopen", "plugin_data"})
NATIONAL_FIELDS: tuple[str, ...] = SDI_DATASET_FIELDS + LOCAL_DATASET_FIELDS
# Old key -> our field, where the old portal (or data.go.id) used another name.
ALIASES = {"accesslevel": "accessRights", "access_level": "accessRights"}

CORE_RESOURCE_KEYS = ("id", "url", "name", "description", "format", "mimetype", "hash")
# Bookkeeping of the old CKAN (or its plugins) that means nothing here: dropped, not reported.
SYSTEM_RESOURCE_KEYS = frozenset({
    "package_id", "position", "state", "created", "last_modified", "metadata_modified",
    "cache_url", "cache_last_updated", "url_type", "datastore_active",
    "datastore_contains_all_records_of_source_file",
    "mimetype_inner", "resource_type", "revision_id", "tracking_summary", "webstore_url",
    "webstore_last_updated", "size", "original_url", "has_views", "on_same_domain",
    "ignore_hash", "resource_group_id"})

_SYNONYMS: dict[str, dict[str, str]] = {
    "accessRights": {
        # DCAT-US accessLevel (data.go.id's extra ``accesslevel``) and EU access-right codes.
        "public": "terbuka", "restricted public": "terbatas", "non public": "tertutup",
        "publik": "terbuka", "restricted": "terbatas", "non_public": "tertutup",
    },
    "accrualPeriodicity": {
        "r/p1d": "Harian", "r/p1w": "Mingguan", "r/p1m": "Bulanan", "r/p3m": "Triwulanan",
        "r/p6m": "Semesteran", "r/p1y": "Tahunan", "r/p2y": "Dua Tahunan",
        "r/p5y": "Lima Tahunan", "yearly": "Tahunan", "annually": "Tahunan",
        "quarterly": "Triwulanan", "biannual": "Semesteran", "semiannually": "Semesteran",
        "irregular": "Sewaktu-waktu", "continuous": "Real Time", "daily": "Harian",
        "weekly": "Mingguan", "monthly": "Bulanan", "annual": "Tahunan",
        "realtime": "Real Time",
    },
    "publisher_type": {
        "daerah kota": "daerah-kota", "kota": "daerah-kota", "pemerintah kota": "daerah-kota",
        "daerah provinsi": "daerah-provinsi", "provinsi": "daerah-provinsi",
        "daerah kabupaten": "daerah-kabupaten", "kabupaten": "daerah-kabupaten",
        "kementerian lembaga": "pusat",
    },
    "tingkat_penyajian": {"titik lokasi": "lokasi"},
}
_SEP = re.compile(r"[\s_/-]+")


def _key(text: str) -> str:
    """Case, spaces, hyphens and underscores do not matter when matching a choice."""
    text = text.strip().casefold()
    # EU vocabulary URIs end in the code: .../access-right/PUBLIC, .../frequency/ANNUAL
    if text.startswith(("http://", "https://")):
        text = text.rstrip("/").rsplit("/", 1)[-1]
    return _SEP.sub(" ", text).strip()


def choice_value(field_name: str, raw: str) -> str | None:
    """Our value for an old value of a select field; None when the mapping is not certain."""
    wanted = _key(raw)
    if not wanted:
        return None
    options = choices(field_name)
    for value, labels in options.items():
        names = [value, *(labels.values() if isinstance(labels, dict) else [labels])]
        if wanted in {_key(str(n)) for n in names}:
            return value
    synonyms = _SYNONYMS.get(field_name, {})
    found = synonyms.get(wanted) or synonyms.get(raw.strip().casefold())
    return found if found in options else None


def as_text(value: Any) -> str:
    """Extras are strings in CKAN; anything else is written the way the API would show it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _unwrap_list(text: str) -> str:
    """``["Kesehatan"]`` (a one-item JSON list, as DCAT writes a theme) -> ``Kesehatan``."""
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        try:
            items = json.loads(stripped)
        except ValueError:
            return stripped
        if isinstance(items, list) and len(items) == 1 and isinstance(items[0], str):
            return items[0].strip()
    return stripped


@dataclass(frozen=True)
class Unmapped:
    """One old field that has no certain place in our schema."""

    field: str
    value: str
    reason: str
    kept_as: str | None = None
    resource_id: str | None = None


@dataclass
class Mapped:
    """The payload for ``package_create``/``package_update`` and what did not fit."""

    id: str
    name: str
    organization: str | None
    payload: dict[str, Any]
    unmapped: list[Unmapped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _extras(pkg: dict[str, Any]) -> list[tuple[str, Any]]:
    rows = []
    for extra in pkg.get("extras") or []:
        if isinstance(extra, dict) and isinstance(extra.get("key"), str) and extra["key"]:
            rows.append((extra["key"], extra.get("value")))
    return rows


def _map_national(pkg: dict[str, Any], mode: str, out: Mapped) -> dict[str, str]:
    """SDI fields from the top level (a scheming portal) or the extras (a default one)."""
    fields: dict[str, str] = {}
    extras: dict[str, str] = {}
    candidates: list[tuple[str, Any, bool]] = [
        (k, pkg.get(k), True) for k in NATIONAL_FIELDS if pkg.get(k) not in (None, "")]
    candidates += [(k, v, False) for k, v in _extras(pkg)]
    for key, raw, top_level in candidates:
        text = as_text(raw).strip()
        if not text:
            continue
        target = ALIASES.get(key, key)
        if target in NATIONAL_FIELDS:
            if target in fields:
                continue  # the top-level value (or the first alias) wins
            value = choice_value(target, text) if choices(target) else _unwrap_list(text)
            if value is not None:
                fields[target] = value
                continue
            kept = f"{KEPT_PREFIX}{key}" if mode == KEEP else None
            out.unmapped.append(Unmapped(key, text, BAD_VALUE, kept))
            if kept:
                extras[kept] = text
            continue
        if top_level:
            continue
        if key in RESERVED_KEYS or key.startswith(KEPT_PREFIX):
            kept = f"{KEPT_PREFIX}{key}" if mode == KEEP and key in RESERVED_KEYS else None
            out.unmapped.append(Unmapped(key, text, RESERVED, kept))
            if kept:
                extras[kept] = text
            continue
        kept = key if mode == KEEP else None
        out.unmapped.append(Unmapped(key, text, NO_FIELD, kept))
        if kept:
            extras[kept] = as_text(raw)
    out.payload["extras"] = [{"key": k, "value": extras[k]} for k in sorted(extras)]
    return fields


def _resource(res: dict[str, Any], mode: str, out: Mapped) -> dict[str, Any]:
    mapped: dict[str, Any] = {}
    for key in CORE_RESOURCE_KEYS + SDI_RESOURCE_FIELDS:
        value = res.get(key)
        if value not in (None, ""):
            mapped[key] = value if key == "url" else as_text(value)
    size = res.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
        mapped["size"] = size
    elif isinstance(size, str) and size.strip().isdigit():
        mapped["size"] = int(size.strip())
    if res.get("url_type") == "upload":
        out.notes.append("upload")
    known = set(CORE_RESOURCE_KEYS) | set(SDI_RESOURCE_FIELDS) | SYSTEM_RESOURCE_KEYS
    for key in sorted(k for k in res if isinstance(k, str) and k not in known):
        text = as_text(res[key]).strip()
        if not text:
            continue
        kept = key if mode == KEEP else None
        out.unmapped.append(Unmapped(key, text, NO_FIELD, kept, resource_id=res.get("id")))
        if kept:
            mapped[key] = as_text(res[key])
    return mapped


def _names(items: Any, *, skip_vocabulary: bool = False) -> list[str]:
    names: set[str] = set()
    for item in items or []:
        if not isinstance(item, dict):
            continue
        if skip_vocabulary and item.get("vocabulary_id"):
            continue
        name = item.get("name")
        if isinstance(name, str) and name.strip():
            names.add(name.strip())
    return sorted(names)


def organization_name(pkg: dict[str, Any]) -> str | None:
    org = pkg.get("organization")
    if isinstance(org, dict) and isinstance(org.get("name"), str):
        return org["name"]
    return None


def map_dataset(pkg: dict[str, Any], *, owner_org: str | None,
                unmapped: str = KEEP) -> Mapped:
    """Map one old dataset; ``owner_org`` is the name of the organization *here*."""
    if unmapped not in UNMAPPED_MODES:
        raise ValueError(f"unmapped must be one of {UNMAPPED_MODES}, not {unmapped!r}")
    out = Mapped(id=str(pkg.get("id") or ""), name=str(pkg.get("name") or ""),
                 organization=organization_name(pkg), payload={})
    payload = out.payload
    payload["id"], payload["name"], payload["type"] = out.id, out.name, "dataset"
    for key in CORE_DATASET_KEYS:
        value = pkg.get(key)
        if value not in (None, ""):
            payload[key] = as_text(value)
    payload["private"] = pkg.get("private") is True
    if owner_org:
        payload["owner_org"] = owner_org
    payload["tags"] = [{"name": n} for n in _names(pkg.get("tags"), skip_vocabulary=True)]
    payload["groups"] = [{"name": n} for n in _names(pkg.get("groups"))]
    payload.update(_map_national(pkg, unmapped, out))
    resources = [r for r in pkg.get("resources") or [] if isinstance(r, dict)
                 and r.get("state", "active") == "active"]
    resources.sort(key=lambda r: r["position"] if isinstance(r.get("position"), int) else 0)
    payload["resources"] = [_resource(r, unmapped, out) for r in resources]
    return out
