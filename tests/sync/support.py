"""Helpers of the sync suite: local datasets, ledger reads, convergence and secret checks."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.sync.model import LedgerEntry

from tests.support.remote_ckan import RemoteCkan

TOKEN_ENV = "SPLPDEPOK_SYNC_TEST_TOKEN"
FAST = {"ckanext.splpdepok.sync.backoff_seconds": "0.01",
        "ckanext.splpdepok.sync.max_backoff_seconds": "0.05",
        "ckanext.splpdepok.sync.retries": "8",
        "ckanext.splpdepok.sync.timeout_seconds": "10"}


def national_dataset(org: dict[str, Any], name: str, **extra: Any) -> dict[str, Any]:
    """A local dataset that any CKAN target accepts (readiness 'ckan' satisfied)."""
    data = {"name": name, "title": f"Dataset {name}", "notes": "Jumlah penduduk per kecamatan",
            "license_id": "cc-by", "owner_org": org["id"],
            "resources": [{"url": f"http://data.depok.test/{name}.csv", "format": "CSV",
                           "name": f"{name}.csv"}]}
    data.update(extra)
    return factories.Dataset(**data)


def ledger(target_id: str) -> dict[str, LedgerEntry]:
    rows = model.Session.query(LedgerEntry).filter_by(target_id=target_id)
    return {row.package_id: row for row in rows}


def assert_converged(remote: RemoteCkan, target: dict[str, Any], prefix: str,
                     withdraw_mode: str = "delete") -> dict[str, dict[str, Any]]:
    """Remote datasets under the prefix are exactly the ledger's live rows: no duplicates,
    nothing lost, each carrying the local id it came from."""
    remote_sets = {n: p for n, p in remote.datasets().items() if n.startswith(prefix)}
    rows = ledger(target["id"])
    live = {r.remote_name: r for r in rows.values() if r.status == "synced"}
    gone = {r.remote_name: r for r in rows.values() if r.status == "withdrawn"}
    public = {n for n, p in remote_sets.items() if not p.get("private")}
    assert public == set(live), (sorted(public), sorted(live))
    for name, row in live.items():
        pkg = remote_sets[name]
        assert pkg["id"] == row.remote_id
        extras = {e["key"]: e["value"] for e in pkg.get("extras") or []}
        assert extras["splpdepok_source_id"] == row.package_id
    for name in gone:
        if withdraw_mode == "delete":
            assert name not in remote_sets
        else:
            assert remote_sets[name]["private"] is True
    markers = [{e["key"]: e["value"] for e in p.get("extras") or []}.get("splpdepok_source_id")
               for p in remote_sets.values()]
    markers = [m for m in markers if m]
    assert len(markers) == len(set(markers)), "a local dataset exists twice remotely"
    return remote_sets


def sync_table_text() -> str:
    """Every row of every sync table as text (for the 'no secret stored' check)."""
    out = []
    for table in ("splpdepok_sync_target", "splpdepok_sync_ledger", "splpdepok_sync_run",
                  "splpdepok_sync_run_item", "splpdepok_sync_check"):
        for row in model.Session.execute(sa.text(f"SELECT * FROM {table}")):
            out.append(repr(tuple(row)))
    return "\n".join(out)


def national_fields(values: dict[str, str]) -> dict[str, Any]:
    """National fields as the local schema stores them: top level with the SDI schema
    (ckanext-scheming), ``extras`` on a plain CKAN."""
    import ckan.plugins as p

    if p.plugin_loaded("scheming_datasets"):
        return dict(values)
    return {"extras": [{"key": k, "value": v} for k, v in values.items()]}
