"""Sync benchmark (run: ``scripts/bench sync``): figures printed, nothing asserted about time.

1. Push 1,000 datasets to a second, real CKAN on loopback with the sync engine, and the same
   1,000 with a plain sequential ckanapi loop in the same run: datasets/s and the ratio.
2. Re-sync 10,000 unchanged datasets: seconds, remote write calls (counted by a proxy in front
   of the remote), peak memory. The ledger of the 9,000 datasets that are not pushed in (1) is
   written with the hashes the engine itself computes, i.e. the state a full push leaves.

Local datasets are inserted in bulk and indexed through CKAN's own path (as bench_search does).
Sizes: SPLPDEPOK_BENCH_PUSH (1000), SPLPDEPOK_BENCH_RESYNC (10000), SPLPDEPOK_BENCH_WORKERS (8).
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PUSH = int(os.environ.get("SPLPDEPOK_BENCH_PUSH", "1000"))
RESYNC = int(os.environ.get("SPLPDEPOK_BENCH_RESYNC", "10000"))
WORKERS = int(os.environ.get("SPLPDEPOK_BENCH_WORKERS", "8"))
ORGS = ["dinas-kesehatan", "dinas-pendidikan", "bappeda", "diskominfo"]
WRITES = ("package_create", "package_update", "package_patch", "package_delete")


def _setup() -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    body = (ROOT / "config" / "test.ini").read_text().replace("%(here)s", str(ROOT / "config"))
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as handle:
        handle.write(body)
    make_app(load_config(handle.name))
    os.environ.setdefault("SPLPDEPOK_PG_ADMIN_URL", os.environ["CKAN_SQLALCHEMY_URL"].rsplit(
        "/", 1)[0] + "/postgres")


def _reset() -> dict[str, str]:
    from ckan import model
    from ckan.cli.db import _run_migrations  # type: ignore[attr-defined]

    model.repo.rebuild_db()
    for plugin in ("splpdepok_search", "splpdepok"):
        _run_migrations(plugin)
    ids = {}
    for name in ORGS:
        group = model.Group(name=name, title=name, type="organization", is_organization=True)
        model.Session.add(group)
        model.Session.flush()
        ids[name] = group.id
    model.Session.commit()
    return ids


def _datasets(count: int, org_ids: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        org = ORGS[0] if i < PUSH else ORGS[1 + i % (len(ORGS) - 1)]
        out.append({
            "id": str(uuid.uuid4()), "name": f"data-{i:05d}", "type": "dataset",
            "title": f"Data {i} Kota Depok", "notes": "Jumlah menurut kecamatan " * 5,
            "state": "active", "private": False, "owner_org": org_ids[org],
            "organization": {"id": org_ids[org], "name": org, "title": org},
            "license_id": "cc-by", "license_title": "", "url": "", "version": "1.0",
            "author": "Diskominfo", "author_email": None, "maintainer": "Walidata",
            "maintainer_email": None, "metadata_created": "2025-01-01T00:00:00",
            "metadata_modified": "2025-01-02T00:00:00", "creator_user_id": None,
            "tags": [], "groups": [],
            "resources": [{"id": str(uuid.uuid4()), "url": f"https://data.depok.go.id/{i}.csv",
                           "name": f"{i}.csv", "format": "CSV", "state": "active"}],
            "num_resources": 1, "num_tags": 0,
            "extras": [{"key": "satuan", "value": "Orang"}, {"key": "ukuran", "value": "Jiwa"}],
            "relationships_as_subject": [], "relationships_as_object": [],
        })
    return out


def _load(datasets: list[dict[str, Any]]) -> None:
    import copy

    from ckan import model
    from ckan.lib.search import PackageSearchIndex

    keys = ("id", "name", "title", "notes", "type", "state", "private", "owner_org",
            "license_id", "metadata_created", "metadata_modified")
    model.Session.execute(model.package_table.insert(), [{k: d[k] for k in keys}
                                                        for d in datasets])
    model.Session.execute(model.resource_table.insert(), [
        {"id": r["id"], "package_id": d["id"], "url": r["url"], "name": r["name"],
         "format": r["format"], "position": 0, "state": "active", "extras": "{}"}
        for d in datasets for r in d["resources"]])
    model.Session.execute(model.package_extra_table.insert(), [
        {"id": str(uuid.uuid4()), "package_id": d["id"], "key": e["key"], "value": e["value"],
         "state": "active"} for d in datasets for e in d["extras"]])
    model.Session.commit()
    index = PackageSearchIndex()
    for n, dataset in enumerate(datasets, 1):
        index.index_package(copy.deepcopy(dataset), defer_commit=True)
        if n % 500 == 0:
            model.Session.commit()
    model.Session.commit()


def _target(name: str, url: str, selection: dict, prefix: str) -> Any:
    from ckan import model
    from ckanext.splpdepok.sync.model import SyncTarget

    target = SyncTarget(name=name, title=name, type="ckan", url=url,
                        credential_ref="SPLPDEPOK_SYNC_BENCH", extras_mode="extras",
                        org_map=dict.fromkeys(ORGS, "pemkot-depok"), selection=selection,
                        field_policy={}, name_prefix=prefix, withdraw_mode="delete",
                        withdraw_max_share=0.2, jabar_mode="push", concurrency=WORKERS,
                        rate_per_second=0, active=True)
    model.Session.add(target)
    model.Session.commit()
    return target


def _run(target: Any) -> dict[str, Any]:
    from ckanext.splpdepok.sync import jobs
    from ckanext.splpdepok.sync.runner import execute_run

    return execute_run(jobs.create_run(target, user="bench").id)


def _sequential(remote_url: str, token: str, count: int) -> float:
    """The baseline: one ckanapi package_create after the other, same payloads."""
    import ckanapi
    from ckanext.splpdepok.sync import crosswalk
    from ckanext.splpdepok.sync.source import iter_selected

    packages = list(iter_selected({"mode": "organization", "values": [ORGS[0]]}))[:count]
    client = ckanapi.RemoteCKAN(remote_url, apikey=token)
    started = time.perf_counter()
    for pkg in packages:
        client.action.package_create(**crosswalk.to_ckan(
            pkg, name=f"seq-{pkg['name']}", owner_org="pemkot-depok", extras_mode="extras"))
    return len(packages) / (time.perf_counter() - started)


def _seed_ledger(target: Any) -> None:
    """The ledger a full push leaves: hashes from the engine's own payload builder."""
    from ckan import model
    from ckanext.splpdepok.sync import crosswalk
    from ckanext.splpdepok.sync.model import LedgerEntry, now
    from ckanext.splpdepok.sync.source import PayloadBuilder, iter_selected

    builder = PayloadBuilder(target)
    rows = []
    for pkg in iter_selected(target.selection):
        prepared = builder.prepare(pkg, None)
        rows.append({"id": str(uuid.uuid4()), "target_id": target.id, "package_id": pkg["id"],
                     "package_name": pkg["name"], "remote_id": f"seeded-{pkg['id']}",
                     "remote_name": f"r-{pkg['name']}", "content_hash":
                     prepared.state.content_hash, "crosswalk_version":
                     crosswalk.CROSSWALK_VERSION, "status": "synced", "last_pushed": now(),
                     "modified": now()})
    model.Session.execute(LedgerEntry.__table__.insert(), rows)
    model.Session.commit()


def main() -> int:
    _setup()
    sys.path.insert(0, str(ROOT))  # CKAN puts its own folder (holding ckan/tests) first
    from tests.support.remote_ckan import start_remote
    from tests.sync.faults import FaultProxy

    org_ids = _reset()
    total = max(PUSH, RESYNC)
    print(f"sync benchmark: {total} local datasets, push {PUSH}, re-sync {RESYNC}, "
          f"{WORKERS} workers")
    started = time.perf_counter()
    _load(_datasets(total, org_ids))
    print(f"  local catalog loaded and indexed in {time.perf_counter() - started:.1f} s")
    remote = start_remote("bench-remote")
    proxy = FaultProxy(remote.url).start()
    try:
        os.environ["SPLPDEPOK_SYNC_BENCH"] = remote.token
        remote.ensure_org("pemkot-depok")

        push = _target("bench-push", proxy.url, {"mode": "organization", "values": [ORGS[0]]}, "")
        started = time.perf_counter()
        result = _run(push)
        engine_rate = result["counts"]["created"] / (time.perf_counter() - started)
        print(f"\n1. push {PUSH}: engine {engine_rate:.1f} datasets/s "
              f"({result['status']}, counts {result['counts']})")
        baseline = _sequential(proxy.url, remote.token, PUSH)  # same path as the engine
        print(f"   sequential ckanapi loop {baseline:.1f} datasets/s; "
              f"ratio engine/loop = {engine_rate / baseline:.2f}")

        resync = _target("bench-resync", proxy.url, {"mode": "all"}, "r-")
        _seed_ledger(resync)
        proxy.forwarded.clear()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        result = _run(resync)
        seconds = time.perf_counter() - started
        writes = sum(n for path, n in proxy.forwarded.items()
                     if path.rsplit("/", 1)[-1] in WRITES)
        print(f"\n2. re-sync {RESYNC} unchanged: {seconds:.2f} s, remote write calls {writes}, "
              f"remote calls in all {sum(proxy.forwarded.values())} "
              f"({result['status']}, counts {result['counts']})")
        tracemalloc.start()
        _run(resync)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"   peak Python memory of a re-sync (tracemalloc) {peak / 2**20:.1f} MiB; "
              f"process peak RSS {rss_after / 1024:.0f} MiB (before: {rss_before / 1024:.0f})")
    finally:
        proxy.stop()
        remote.server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
