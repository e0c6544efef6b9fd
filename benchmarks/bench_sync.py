"""Sync benchmark (run: ``scripts/bench sync``): figures printed, nothing asserted about time.

The remote is a second, real CKAN on loopback served as production serves it: gunicorn with the
Dockerfile's settings (SPLPDEPOK_BENCH_REMOTE_WORKERS, 2, workers x 4 threads, 120 s timeout).
Every remote call of the engine and of the plain clients (but the one figure marked "straight at
the remote") goes through tests/sync/faults.py's proxy with no fault drawn (TCP_NODELAY on both
of its sockets, keep-alive upstream), which is also how the re-sync counts remote calls. All
phases create the same kind of payload (crosswalk.to_ckan, public, the source marker) under
names of their own (``warm-``, ``sat<N>-``, ``direct-``, no prefix for the engine, ``seq-``,
``again-``), so no phase collides with another. A warm-up of 32 creates by 8 clients comes
first, so that no phase pays the workers' first requests.

1. The remote's saturated rate: N = 1, 2, 4, 8 plain parallel clients (threads, each its own
   ckanapi.RemoteCKAN with its own keep-alive session, payloads built before the clock starts),
   SPLPDEPOK_BENCH_SATURATION (200) creates per N shared out evenly, through the proxy (the
   engine's path): creates/s from the common start to the last answer. The same at N = 8
   straight at the remote shows what the proxy costs. "CPU of this process" is the benchmark
   process's CPU time per create (the clients and the proxy, which runs in it).
2. The engine's push of SPLPDEPOK_BENCH_PUSH (1000) new datasets with SPLPDEPOK_BENCH_WORKERS
   (8) workers: datasets/s over the whole run (planning from the local catalog, the ledger and
   the run record included), and, apart, the planning time until the first answer and the rate
   from the first to the last answer. Then the sequential ckanapi loop (one create after the
   other, same path): datasets/s and the ratio engine/loop. Then the best N of (1.) once more
   ("again"): the remote's catalog has grown by then, so a drift shows. Then the engine's own
   ceiling: the same push against a remote that answers at once (no HTTP; planning, payloads,
   ledger and run records only), datasets/s and CPU ms per dataset: how far the engine is from
   being the bottleneck, and what of the shared CPU it takes from a remote on the same machine.
   Headline: ``engine share of the remote's saturated rate`` = the engine's rate over the
   whole run / the highest of the saturated rates (1. and "again"); the goal is >= 90 %. The
   highest of several noisy figures leans high: read the share with the N = 8 figure beside it.
3. Re-sync SPLPDEPOK_BENCH_RESYNC (10000) unchanged datasets: seconds, remote write calls
   (counted by the proxy), peak memory. The ledger of the datasets not pushed in (2) is written
   with the hashes the engine itself computes, i.e. the state a full push leaves.

Local datasets are inserted in bulk and indexed through CKAN's own path (as bench_search does);
the model is then bound to a pooled engine as at CKAN's start-up (see ``_pooled_engine``).
The machine's other load shows in every figure: compare figures of one run with each other.
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PUSH = int(os.environ.get("SPLPDEPOK_BENCH_PUSH", "1000"))
RESYNC = int(os.environ.get("SPLPDEPOK_BENCH_RESYNC", "10000"))
WORKERS = int(os.environ.get("SPLPDEPOK_BENCH_WORKERS", "8"))
SATURATION = int(os.environ.get("SPLPDEPOK_BENCH_SATURATION", "200"))
REMOTE_WORKERS = int(os.environ.get("SPLPDEPOK_BENCH_REMOTE_WORKERS", "2"))
CLIENTS = (1, 2, 4, 8)
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


def _pooled_engine() -> None:
    """Bind the model to an engine built as CKAN builds it at start-up (a connection pool).

    CKAN's migration environment, run in this process by ``rebuild_db``, binds the model to its
    own NullPool engine: left so, every commit of the run opens a new PostgreSQL connection (a
    backend started per pushed dataset), which no worker in production does (the migrations run
    in their own ``ckan db`` processes there) and which halved the engine's own rate.
    """
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa
    from ckan import model

    old = model.meta.engine
    model.Session.remove()
    model.init_model(sa.engine_from_config(dict(tk.config), pool_pre_ping=True))
    if old is not None:
        old.dispose()


def _reset() -> dict[str, str]:
    from ckan import model
    from ckan.cli.db import _run_migrations  # type: ignore[attr-defined]

    model.repo.rebuild_db()
    for plugin in ("splpdepok_search", "splpdepok"):
        _run_migrations(plugin)
    _pooled_engine()
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


def _run(target: Any, progress: Any = None) -> dict[str, Any]:
    from ckanext.splpdepok.sync import jobs
    from ckanext.splpdepok.sync.logic.runner import execute_run

    return execute_run(jobs.new_run({}, target, triggered_by="bench"), progress)


def _payloads(prefix: str, count: int) -> list[dict[str, Any]]:
    """What the engine sends for a create (crosswalk.to_ckan, public, active, source marker),
    under names of one phase (``prefix``): the plain clients send the same kind of payload."""
    from ckanext.splpdepok.sync import crosswalk
    from ckanext.splpdepok.sync.client import CkanClient
    from ckanext.splpdepok.sync.logic.source import iter_selected

    packages = list(iter_selected({"mode": "organization", "values": [ORGS[0]]}))[:count]
    assert len(packages) == count, f"only {len(packages)} local datasets for {prefix}"
    return [CkanClient.mark({**crosswalk.to_ckan(
        pkg, name=f"{prefix}{pkg['name']}", owner_org="pemkot-depok", extras_mode="extras"),
        "private": False, "state": "active"}, pkg["id"]) for pkg in packages]


def _sequential(remote_url: str, token: str, count: int) -> float:
    """The baseline: one ckanapi package_create after the other, same payloads."""
    import ckanapi

    payloads = _payloads("seq-", count)
    client = ckanapi.RemoteCKAN(remote_url, apikey=token)
    started = time.perf_counter()
    for payload in payloads:
        client.action.package_create(**payload)
    return len(payloads) / (time.perf_counter() - started)


def _parallel(remote_url: str, token: str, clients: int, payloads: list[dict[str, Any]]) -> float:
    """``clients`` plain threads, each its own ckanapi client (own keep-alive session), sharing
    ``payloads`` out evenly and creating them as fast as the remote answers: creates/s from the
    common start to the last answer."""
    import ckanapi

    shares = [payloads[i::clients] for i in range(clients)]
    gate = threading.Barrier(clients + 1)

    def work(share: list[dict[str, Any]]) -> None:
        client = ckanapi.RemoteCKAN(remote_url, apikey=token)
        client.action.status_show()  # connected before the clock starts
        gate.wait()
        for payload in share:
            client.action.package_create(**payload)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(work, share) for share in shares]
        gate.wait()
        started = time.perf_counter()
        for future in futures:
            future.result()  # a failed client stops the benchmark: its figure would be wrong
        seconds = time.perf_counter() - started
    return len(payloads) / seconds


def _seed_ledger(target: Any) -> None:
    """The ledger a full push leaves: hashes from the engine's own payload builder."""
    from ckan import model
    from ckanext.splpdepok.common.clock import now
    from ckanext.splpdepok.sync import crosswalk
    from ckanext.splpdepok.sync.logic.source import PayloadBuilder, iter_selected
    from ckanext.splpdepok.sync.model import LedgerEntry

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


def _saturation(url: str, token: str, path: str) -> dict[int, float]:
    """The remote's rate under 1, 2, 4, 8 plain parallel clients (SATURATION creates each)."""
    rates: dict[int, float] = {}
    for clients in CLIENTS:
        payloads = _payloads(f"sat{clients}-", SATURATION)
        cpu = time.process_time()
        rates[clients] = _parallel(url, token, clients, payloads)
        cpu = time.process_time() - cpu
        print(f"   N = {clients}: {rates[clients]:.1f} creates/s ({SATURATION} creates, {path}; "
              f"CPU of this process {1000 * cpu / SATURATION:.1f} ms per create)")
    return rates


class _InstantRemote:
    """A remote that answers at once: what is left of a run is the engine's own work."""

    def organization_names(self, names: list[str]) -> dict[str, bool]:
        return dict.fromkeys(names, True)

    def create(self, payload: dict[str, Any], package_id: str) -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), "name": payload["name"]}


def _ceiling() -> tuple[float, float]:
    """The engine's own ceiling: the push of (2.) against an instant remote, no HTTP at all
    (planning, payloads, ledger and run bookkeeping): (datasets/s, CPU ms per dataset)."""
    from ckanext.splpdepok.sync import jobs
    from ckanext.splpdepok.sync.logic.runner import Runner
    from ckanext.splpdepok.sync.model import SyncRun

    target = _target("bench-ceiling", "http://127.0.0.1:9", {"mode": "organization",
                                                               "values": [ORGS[0]]}, "ceil-")
    run = SyncRun.get(jobs.new_run({}, target, triggered_by="bench"))
    assert run is not None
    remote = _InstantRemote()
    cpu, started = time.process_time(), time.perf_counter()
    result = Runner(run, target, client_factory=lambda: remote).execute()
    cpu, seconds = time.process_time() - cpu, time.perf_counter() - started
    created = result["counts"]["created"]
    return created / seconds, 1000 * cpu / max(created, 1)


def _push_phase(proxy: Any, token: str, saturated: dict[int, float]) -> None:
    """2.: the engine's push, the sequential loop, the saturated rate again, the share."""
    push = _target("bench-push", proxy.url, {"mode": "organization", "values": [ORGS[0]]}, "")
    answers: list[float] = []
    cpu, started = time.process_time(), time.perf_counter()
    result = _run(push, lambda done, total: answers.append(time.perf_counter()))
    cpu, seconds = time.process_time() - cpu, time.perf_counter() - started
    engine_rate = result["counts"]["created"] / seconds
    span = answers[-1] - answers[0] if len(answers) > 1 else 0.0
    pushing = (len(answers) - 1) / span if span else 0.0
    print(f"\n2. push {PUSH}: engine {engine_rate:.1f} datasets/s over the whole run "
          f"({seconds:.1f} s; {result['status']}, counts {result['counts']})")
    print(f"   of which planning until the first answer {answers[0] - started:.1f} s; "
          f"first to last answer {pushing:.1f} datasets/s; CPU of this process "
          f"{1000 * cpu / max(len(answers), 1):.1f} ms per dataset" if answers else
          "   no answers")
    baseline = _sequential(proxy.url, token, PUSH)  # same path as the engine
    print(f"   sequential ckanapi loop {baseline:.1f} datasets/s; "
          f"ratio engine/loop = {engine_rate / baseline:.2f}")
    best = max(saturated, key=lambda n: saturated[n])
    again = _parallel(proxy.url, token, best, _payloads("again-", SATURATION))
    print(f"   saturated rate again after the push (N = {best}, remote catalog now "
          f"larger): {again:.1f} creates/s")
    own, own_cpu = _ceiling()
    print(f"   the engine's own ceiling (the same push against an instant remote, no HTTP): "
          f"{own:.0f} datasets/s, CPU {own_cpu:.1f} ms per dataset")
    ceiling = max(*saturated.values(), again)
    print(f"\n   engine share of the remote's saturated rate: "
          f"{100 * engine_rate / ceiling:.0f} % ({engine_rate:.1f} / {ceiling:.1f}; "
          f"first to last answer: {100 * pushing / ceiling:.0f} %)")


def _resync_phase(proxy: Any) -> None:
    """3.: a re-sync of unchanged datasets: time, remote calls, memory."""
    resync = _target("bench-resync", proxy.url, {"mode": "all"}, "r-")
    _seed_ledger(resync)
    proxy.forwarded.clear()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = _run(resync)
    seconds = time.perf_counter() - started
    writes = sum(n for path, n in proxy.forwarded.items()
                 if path.rsplit("/", 1)[-1] in WRITES)
    print(f"\n3. re-sync {RESYNC} unchanged: {seconds:.2f} s, remote write calls {writes}, "
          f"remote calls in all {sum(proxy.forwarded.values())} "
          f"({result['status']}, counts {result['counts']})")
    tracemalloc.start()
    _run(resync)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"   peak Python memory of a re-sync (tracemalloc) {peak / 2**20:.1f} MiB; "
          f"process peak RSS {rss_after / 1024:.0f} MiB (before: {rss_before / 1024:.0f})")


def main() -> int:
    _setup()
    sys.path.insert(0, str(ROOT))  # CKAN puts its own folder (holding ckan/tests) first
    from tests.support.remote_ckan import start_remote
    from tests.sync.faults import FaultProxy

    org_ids = _reset()
    total = max(PUSH, RESYNC)
    print(f"sync benchmark: {total} local datasets, push {PUSH}, re-sync {RESYNC}, "
          f"{WORKERS} engine workers; remote: gunicorn, {REMOTE_WORKERS} workers x 4 threads")
    started = time.perf_counter()
    _load(_datasets(total, org_ids))
    print(f"  local catalog loaded and indexed in {time.perf_counter() - started:.1f} s")
    remote = start_remote("bench-remote", gunicorn_workers=REMOTE_WORKERS)
    proxy = FaultProxy(remote.url).start()
    try:
        token = os.environ["SPLPDEPOK_SYNC_BENCH"] = remote.token
        remote.ensure_org("pemkot-depok")
        # every gunicorn worker thread has served a create before anything is timed
        _parallel(proxy.url, token, 8, _payloads("warm-", 32))

        path = "through the proxy, as the engine"
        print(f"\n1. the remote's saturated rate: plain parallel ckanapi clients, {path}")
        saturated = _saturation(proxy.url, token, path)
        direct = _parallel(remote.url, token, max(CLIENTS),
                           _payloads("direct-", SATURATION))
        print(f"   (N = {max(CLIENTS)} straight at the remote, no proxy: {direct:.1f} "
              "creates/s)")

        _push_phase(proxy, token, saturated)
        _resync_phase(proxy)
    finally:
        proxy.stop()
        remote.server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
