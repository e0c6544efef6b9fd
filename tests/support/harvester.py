"""Harvester peers: real CKANs on loopback running ckanext-harvest's CKAN harvester, the way the
national portal pulls a city (ckanext-harvest's stock CKAN harvester, empty config), plus a
DCAT-JSON reader written from the national converter's key list.

Two set-ups::

    peer = start_harvester("plain")            # (a) harvest ckan_harvester, default schema
    peer = start_harvester("sdi", scheming=True)  # (b) + scheming_datasets, national SDI schema
    report = harvest(peer, "depok", portal_url)   # empty harvester config, like the national one
    assert report.errors == []

Each peer has its own database (``<test db>_remote_<suffix>``) and uses the test Redis for the
harvest queues; ``harvest`` runs ``ckan harvester run-test`` (gather, fetch and import in one go)
and reads the job's report back through the harvester's own API.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from tests.support.live_server import ROOT
from tests.support.remote_ckan import RemoteCkan, start_remote

HARVEST_PLUGINS = ["splpdepok_search", "harvest", "ckan_harvester"]
# The national schema, vendored (tests/sync/peers/sdi/README.md).
# A file URL: inside CKAN, the top-level name ``tests`` is CKAN's own test package.
PEER_SCHEMA_DIR = (ROOT / "tests/sync/peers/sdi").as_uri()
NATIONAL_SCHEMA = {
    "scheming.dataset_schemas": f"{PEER_SCHEMA_DIR}/sdi_dataset.yaml",
    "scheming.presets": f"{PEER_SCHEMA_DIR}/presets.json",
    "scheming.dataset_fallback": "false",
}


def _redis_settings() -> dict[str, str]:
    port = os.environ.get("SPLPDEPOK_REDIS_PORT", "63799")
    redis_db = os.environ.get("CKAN_REDIS_URL", "redis://x/7").rsplit("/", 1)[-1]
    return {"ckan.harvest.mq.type": "redis", "ckan.harvest.mq.hostname": "127.0.0.1",
            "ckan.harvest.mq.port": port, "ckan.harvest.mq.redis_db": redis_db}


def start_harvester(suffix: str, scheming: bool = False) -> RemoteCkan:
    """A harvester CKAN: (a) ``harvest ckan_harvester``; (b) plus the national scheming schema."""
    plugins = HARVEST_PLUGINS + (["scheming_datasets"] if scheming else [])
    config = {"ckan.site_id": f"splpdepok-harvester-{suffix}", **_redis_settings(),
              **(NATIONAL_SCHEMA if scheming else {})}
    return start_remote(f"harvester-{suffix}", plugins, config, db_suffix=f"harvester_{suffix}")


@dataclass
class HarvestReport:
    """One harvest job as the harvester's API reports it."""

    job: dict[str, Any]
    gather_errors: list[Any] = field(default_factory=list)
    object_errors: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[str]:
        found = [str(e.get("message", e)) for e in self.gather_errors]
        for obj in self.object_errors.values():
            found.extend(str(e.get("message", e)) for e in obj.get("errors", []))
        return found


def harvest(peer: RemoteCkan, source: str, url: str) -> HarvestReport:
    """Create (once) a ``ckan`` source with an empty config, run one job, return its report."""
    owner = peer.ensure_org("kota-depok")
    try:
        src = peer.action("harvest_source_show", {"id": source})
    except RuntimeError:
        src = peer.action("harvest_source_create", {
            "name": source, "title": "Pemerintah Kota Depok - CKAN", "url": url,
            "source_type": "ckan", "owner_org": owner["id"], "frequency": "MANUAL",
            "config": ""})
    peer.ckan("harvester", "run-test", source)
    jobs = peer.action("harvest_job_list", {"source_id": src["id"]})
    job = max(jobs, key=lambda j: j["created"])
    report = peer.action("harvest_job_report", {"id": job["id"]})
    return HarvestReport(job=job, gather_errors=report.get("gather_errors") or [],
                         object_errors=report.get("object_errors") or {})


def field_value(pkg: dict[str, Any], key: str) -> Any:
    """A dataset's value for ``key``: top-level, else its extra (how each set-up keeps it)."""
    if pkg.get(key) not in (None, ""):
        return pkg[key]
    return {e["key"]: e["value"] for e in pkg.get("extras") or []}.get(key)


def datasets_by_id(peer: RemoteCkan) -> dict[str, dict[str, Any]]:
    return {pkg["id"]: pkg for pkg in peer.datasets().values()}


# The national DCAT-JSON converter's key list (domain notes: "The national DCAT-JSON route"):
# these keys are read top-level from each /dcat.json entry and stored top-level.
NATIONAL_DCAT_KEYS = (
    "publisher_type", "prioritas_tahun", "accessRights", "accrualPeriodicity", "satuan",
    "ukuran", "jenis", "theme", "id_dds", "id_msind", "id_mskeg", "id_indikator_mms",
    "kodereferensi", "kriteria_prioritas", "indikator_prioritas", "interpretasi",
    "metode_perhitungan", "rumus", "level_estimasi", "produsen_data_name",
    "produsen_data_city_code", "produsen_data_province_code", "publishing_status",
    "submission_period", "total_msind", "total_msvar",
)
MS_KEG_PREFIXES = ("i_", "ii_", "iii_", "iv_", "v_", "vi_", "vii_", "viii_")


def national_dcat_to_ckan(entry: dict[str, Any]) -> dict[str, Any]:
    """A dataset dict the way the national DCAT-JSON harvester builds it from one entry."""
    pkg: dict[str, Any] = {
        "title": entry.get("title"), "notes": entry.get("description"),
        "tags": [{"name": k} for k in entry.get("keyword") or []],
    }
    for key, value in entry.items():
        if key in NATIONAL_DCAT_KEYS or key.startswith(MS_KEG_PREFIXES):
            pkg[key] = value
    extras = [{"key": "guid", "value": entry.get("identifier")},
              {"key": "dcat_issued", "value": entry.get("issued")},
              {"key": "dcat_modified", "value": entry.get("modified")},
              {"key": "language", "value": ",".join(entry.get("language") or [])}]
    publisher = entry.get("publisher")
    if isinstance(publisher, str):
        extras.append({"key": "dcat_publisher_name", "value": publisher})
    elif isinstance(publisher, dict) and publisher.get("name"):
        extras.append({"key": "dcat_publisher_name", "value": publisher["name"]})
        if publisher.get("email"):
            extras.append({"key": "dcat_publisher_email", "value": publisher["email"]})
    pkg["extras"] = extras
    pkg["resources"] = [{
        "name": d.get("title"), "description": d.get("description"),
        "url": d.get("downloadURL") or d.get("accessURL"), "format": d.get("format"),
        **({"size": int(d["byteSize"])} if d.get("byteSize") else {}),
    } for d in entry.get("distribution") or []]
    return pkg
