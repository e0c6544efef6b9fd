"""Reads the demo data files (``demo/data/*.yaml``) and turns them into CKAN action dicts.

Pure code: no CKAN context, so the shape of every dict can be checked without a database.
Dataset dicts carry the Satu Data Indonesia (SDI) fields at the top level, under the names of
the national schema (vendored in ``tests/sync/peers/sdi``), so a scheming schema with
those fields stores them as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"
BASE_URL = "https://data.depok.go.id"

# Choice values of the national schema (sdi_dataset.yaml / metadata_dataset.yaml).
ACCESS_RIGHTS = ("terbuka", "terbatas", "tertutup")
PUBLISHER_TYPES = ("pusat", "daerah-provinsi", "daerah-kota", "daerah-kabupaten")
SDI_FIELDS = (
    "satuan",
    "ukuran",
    "jenis",
    "theme",
    "accrualPeriodicity",
    "accessRights",
    "prioritas_tahun",
    "publisher_type",
)
# Local fields of the portal's schema (provincial metadata, DCAT temporal coverage).
LOCAL_FIELDS = ("tingkat_penyajian", "cakupan", "temporal_start", "temporal_end")
METADATA_FIELDS = SDI_FIELDS + LOCAL_FIELDS
PRESENTATION_LEVELS = ("kota", "kecamatan", "kelurahan", "rw", "rt", "lokasi")
WALIDATA = "Walidata Kota Depok (Diskominfo)"
WALIDATA_EMAIL = "diskominfo@depok.go.id"
_EXTENSIONS = {"CSV": "csv", "XLSX": "xlsx", "JSON": "json", "GEOJSON": "geojson"}


@dataclass(frozen=True)
class DemoData:
    organizations: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    datasets: list[dict[str, Any]]
    users: list[dict[str, Any]]


def _read_yaml(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f) or []


def read_data(data_dir: Path = DATA_DIR) -> DemoData:
    """Load and check every data file; raise ``ValueError`` on inconsistent data."""
    organizations = [organization_dict(o) for o in _read_yaml(data_dir / "organizations.yaml")]
    groups = [group_dict(g) for g in _read_yaml(data_dir / "groups.yaml")]
    users = _read_yaml(data_dir / "users.yaml")
    orgs = {o["name"]: o for o in organizations}
    group_titles = {g["name"]: g["title"] for g in groups}
    specs: list[dict[str, Any]] = []
    for path in sorted((data_dir / "datasets").glob("*.yaml")):
        specs.extend(_read_yaml(path))
    datasets = [dataset_dict(spec, orgs, group_titles) for spec in specs]
    _check_unique("dataset", [d["name"] for d in datasets])
    _check_unique("organization", list(orgs))
    _check_unique("group", list(group_titles))
    for user in users:
        if user.get("organization") not in orgs:
            raise ValueError(
                f"user {user['name']}: unknown organization {user.get('organization')!r}"
            )
    return DemoData(organizations, groups, datasets, users)


def _check_unique(kind: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{kind} {name!r} appears twice in the demo data")
        seen.add(name)


def organization_dict(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": spec["name"],
        "title": spec["title"],
        "description": spec["description"].strip(),
        "extras": [{"key": "email", "value": spec["email"]}],
    }


def group_dict(spec: dict[str, Any]) -> dict[str, Any]:
    return {"name": spec["name"], "title": spec["title"], "description": spec["description"]}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def resource_dict(dataset_name: str, spec: dict[str, Any]) -> dict[str, Any]:
    """A link resource under https://data.depok.go.id (no uploads)."""
    fmt = spec["format"]
    if spec.get("url"):
        url = spec["url"]
    elif spec.get("kind") == "api":
        url = f"{BASE_URL}/api/v1/{dataset_name}"
    else:
        ext = _EXTENSIONS.get(fmt.upper(), fmt.lower())
        url = f"{BASE_URL}/dataset/{dataset_name}/download/{_slug(spec['name'])}.{ext}"
    return {
        "name": spec["name"],
        "format": fmt,
        "url": url,
        "description": spec.get("description", ""),
    }


def dataset_dict(
    spec: dict[str, Any], orgs: dict[str, dict[str, Any]], group_titles: dict[str, str]
) -> dict[str, Any]:
    """The ``package_create`` dict of one dataset, SDI fields at the top level."""
    name = spec["name"]
    org = orgs.get(spec["org"])
    if org is None:
        raise ValueError(f"dataset {name}: unknown organization {spec['org']!r}")
    unknown_groups = [g for g in spec.get("groups", []) if g not in group_titles]
    if unknown_groups:
        raise ValueError(f"dataset {name}: unknown groups {unknown_groups}")
    if not 1 <= len(spec.get("resources", [])) <= 3:
        raise ValueError(f"dataset {name}: needs 1 to 3 resources")
    private = bool(spec.get("private", False))
    sdi = dict(spec.get("sdi", {}))
    sdi.setdefault("jenis", "Statistik Sektoral")
    sdi.setdefault("accrualPeriodicity", "Tahunan")
    sdi.setdefault("accessRights", "tertutup" if private else "terbuka")
    sdi.setdefault("publisher_type", "daerah-kota")
    if spec.get("groups"):
        sdi.setdefault("theme", group_titles[spec["groups"][0]])
    if sdi["accessRights"] not in ACCESS_RIGHTS:
        raise ValueError(f"dataset {name}: accessRights {sdi['accessRights']!r}")
    if sdi["publisher_type"] not in PUBLISHER_TYPES:
        raise ValueError(f"dataset {name}: publisher_type {sdi['publisher_type']!r}")
    if private == (sdi["accessRights"] == "terbuka"):
        raise ValueError(
            f"dataset {name}: private datasets are terbatas/tertutup, public ones terbuka"
        )
    unknown_sdi = set(sdi) - set(SDI_FIELDS)
    if unknown_sdi:
        raise ValueError(f"dataset {name}: unknown SDI fields {sorted(unknown_sdi)}")
    local = local_fields(spec, sdi)
    org_email = next(e["value"] for e in org["extras"] if e["key"] == "email")
    data: dict[str, Any] = {
        "name": name,
        "title": spec["title"],
        "notes": spec["notes"].strip(),
        "owner_org": org["name"],
        "private": private,
        "license_id": spec.get("license", "cc-by"),
        "author": f"{org['title']} Kota Depok",
        "author_email": org_email,
        "maintainer": WALIDATA,
        "maintainer_email": WALIDATA_EMAIL,
        "url": f"{BASE_URL}/dataset/{name}",
        "tags": [{"name": tag} for tag in spec.get("tags", [])],
        "groups": [{"name": g} for g in spec.get("groups", [])],
        "resources": [resource_dict(name, r) for r in spec["resources"]],
    }
    data.update({key: str(value) for key, value in sdi.items()})
    data.update(local)
    return data


def local_fields(spec: dict[str, Any], sdi: dict[str, Any]) -> dict[str, str]:
    """Presentation level, coverage and covered years, derived from the text unless given."""
    text = f"{spec['title']} {spec['notes']}".lower()
    if sdi.get("jenis") == "Data Geospasial":
        level = "lokasi"
    elif "kelurahan" in text:
        level = "kelurahan"
    elif "kecamatan" in text:
        level = "kecamatan"
    else:
        level = "kota"
    years = sorted(re.findall(r"\b(20[12]\d)\b", spec["title"]))
    local = {"tingkat_penyajian": level, "cakupan": "Kota Depok"}
    if years:
        local.update(temporal_start=years[0], temporal_end=years[-1])
    local.update({k: str(v) for k, v in spec.get("local", {}).items()})
    if local["tingkat_penyajian"] not in PRESENTATION_LEVELS:
        raise ValueError(
            f"dataset {spec['name']}: tingkat_penyajian {local['tingkat_penyajian']!r}"
        )
    return local


def place_sdi_fields(data: dict[str, Any], schema_fields: set[str]) -> dict[str, Any]:
    """Keep metadata fields the dataset schema knows at the top level; others become extras.

    Without a schema that declares them CKAN would drop unknown top-level keys silently;
    as extras they stay visible ("Informasi Tambahan") and reach the national harvester.
    """
    placed = dict(data)
    extras = [e for e in placed.get("extras", []) if e["key"] not in METADATA_FIELDS]
    for key in METADATA_FIELDS:
        if key in placed and key not in schema_fields:
            extras.append({"key": key, "value": placed.pop(key)})
    placed["extras"] = extras
    return placed


def _extras(data: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in data.get("extras", [])}


def dataset_differs(existing: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Whether ``package_show``'s dict lacks something the demo data sets.

    Lets a second load leave unchanged datasets alone (no new revision or activity).
    """
    if existing.get("state") != "active":
        return True
    org = (existing.get("organization") or {}).get("name")
    plain = (
        "title", "notes", "private", "license_id", "author", "author_email",
        "maintainer", "maintainer_email", "url",
    )  # fmt: skip
    existing_extras = _extras(existing)
    return (
        org != wanted["owner_org"]
        or any(existing.get(key) != wanted.get(key) for key in plain)
        or any(key in wanted and existing.get(key) != wanted[key] for key in METADATA_FIELDS)
        or any(existing_extras.get(k) != v for k, v in _extras(wanted).items())
        or {t["name"] for t in existing.get("tags", [])} != {t["name"] for t in wanted["tags"]}
        or {g["name"] for g in existing.get("groups", [])}
        != {g["name"] for g in wanted["groups"]}
        or _resource_rows(existing) != _resource_rows(wanted)
    )


def _resource_rows(data: dict[str, Any]) -> list[tuple[str, ...]]:
    fields = ("name", "format", "url", "description")
    return [tuple(r.get(f) or "" for f in fields) for r in data.get("resources", [])]


def group_differs(existing: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """The same for an organization or group."""
    if existing.get("state") != "active":
        return True
    if any(existing.get(key) != wanted.get(key) for key in ("title", "description")):
        return True
    existing_extras = _extras(existing)
    return any(existing_extras.get(k) != v for k, v in _extras(wanted).items())
