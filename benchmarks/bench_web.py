"""Web benchmark (``scripts/bench web``): the portal's pages served as production serves them.

The portal (config/portal.ini's plugins and settings) runs under gunicorn exactly as the
Dockerfile starts it (``tests/support/live_server.py``'s gunicorn mode: 2 workers x 4 threads,
120 s time-out, scripts/wsgi.py) on its own database holding the demo data plus generated
datasets (inserted in bulk and indexed through CKAN's own path, as bench_search does). After a
warm-up, each of ``/dataset``, ``/dataset?q=<word>``, a dataset page (rotating over the demo's
public datasets) and ``/api/3/action/package_search?q=<word>`` gets a bounded loopback load:
SPLPDEPOK_BENCH_CLIENTS (8) keep-alive clients for SPLPDEPOK_BENCH_SECONDS (10) s each.

Printed per URL: requests/s, p50/p99 latency, errors (every answer other than 200, and every
failed request, is counted), and the server's CPU per request (utime + stime of the gunicorn
process tree from /proc, before/after, divided by the requests answered). Also printed: the
searches a dataset page runs (SELECTs on the search index table, counted in this process on the
same app with Flask's test client). Asserts nothing about time.
Sizes: SPLPDEPOK_BENCH_DATASETS (2000).
"""
from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.live_server import (  # noqa: E402
    LiveServer,
    portal_plugins,
    portal_settings,
    reset_database,
)
from tests.support.search_count import INDEX_TABLE, counting_index_selects  # noqa: E402

DATASETS = int(os.environ.get("SPLPDEPOK_BENCH_DATASETS", "2000"))
CLIENTS = int(os.environ.get("SPLPDEPOK_BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("SPLPDEPOK_BENCH_SECONDS", "10"))
WORD = "penduduk"
WORDS = (
    "kesehatan pendidikan penduduk kemiskinan jalan jembatan anggaran belanja pendapatan "
    "pajak retribusi puskesmas rumah sakit sekolah dasar menengah guru murid banjir sampah "
    "air bersih sanitasi transportasi angkot terminal pasar umkm koperasi pertanian ikan "
    "ternak lingkungan taman hutan kota kecamatan kelurahan pemilu pemuda olahraga budaya"
).split()
FORMATS = ["CSV", "XLSX", "JSON", "PDF", "API"]


# --- the catalogue ----------------------------------------------------------------------------

def _load_app(ini: Path) -> Any:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(str(ini)))


def _naive(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=None).isoformat()


def _generated(i: int, rng: random.Random, orgs: list[tuple[str, str]]) -> dict[str, Any]:
    org_id, org_name = rng.choice(orgs)
    start = dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)
    created = start + dt.timedelta(minutes=rng.randrange(2_000_000))
    modified = created + dt.timedelta(minutes=rng.randrange(100_000))
    words = rng.sample(WORDS, 6)
    resources = [{"id": str(uuid.uuid4()), "name": f"Tabel {rng.choice(WORDS)}",
                  "description": " ".join(rng.sample(WORDS, 5)), "format": rng.choice(FORMATS),
                  "url": f"https://data.depok.go.id/f/{i}/{k}", "resource_type": None}
                 for k in range(rng.randint(1, 3))]
    return {
        "id": str(uuid.uuid4()), "name": f"data-bangkitan-{i:05d}",
        "title": f"Data {' '.join(words[:3]).title()} Kota Depok {2015 + i % 10}",
        "notes": " ".join(words + rng.sample(WORDS, 20)), "type": "dataset", "state": "active",
        "private": rng.random() < 0.1, "owner_org": org_id,
        "organization": {"name": org_name, "title": org_name, "id": org_id},
        "license_id": "cc-by", "license_title": "", "url": "", "version": "1.0",
        "author": "Diskominfo", "author_email": None, "maintainer": None,
        "maintainer_email": None, "metadata_created": _naive(created),
        "metadata_modified": _naive(modified), "creator_user_id": None,
        "tags": [{"name": w} for w in rng.sample(WORDS, 3)], "groups": [],
        "resources": resources, "num_resources": len(resources), "num_tags": 3, "extras": [],
        "relationships_as_subject": [], "relationships_as_object": [],
    }


def _add_datasets(count: int) -> float:
    """Insert ``count`` datasets of the demo's organizations in bulk, index them through
    CKAN's own path; returns the seconds it took."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.lib.search import PackageSearchIndex

    started = time.perf_counter()
    orgs = [(g.id, g.name) for g in model.Session.query(model.Group).filter_by(
        is_organization=True, state="active")]
    rng = random.Random(20261202)
    datasets = [_generated(i, rng, orgs) for i in range(count)]
    keys = ("id", "name", "title", "notes", "type", "state", "private", "owner_org",
            "license_id", "metadata_created", "metadata_modified")
    model.Session.execute(model.package_table.insert(),
                          [{k: d[k] for k in keys} for d in datasets])
    model.Session.commit()
    index = PackageSearchIndex()
    for n, dataset in enumerate(datasets, 1):
        index.index_package(dataset, defer_commit=True)
        if n % 500 == 0:
            model.Session.commit()
    model.Session.commit()
    model.Session.remove()
    engine = model.meta.engine
    assert engine is not None
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f"VACUUM ANALYZE {INDEX_TABLE}"))
    return time.perf_counter() - started


def _public_demo_datasets() -> list[str]:
    from ckan import model

    rows = model.Session.query(model.Package.name).filter(
        model.Package.state == "active", model.Package.private.is_(False),
        ~model.Package.name.like("data-bangkitan-%")).order_by(model.Package.name)
    names = [name for (name,) in rows]
    model.Session.remove()
    return names


# --- searches per dataset page (in this process, same app and database) ----------------------

def _searches_per_page(app: Any, names: list[str]) -> list[int]:
    from werkzeug.test import Client

    client = Client(app)
    counts = []
    for name in names:
        client.get(f"/dataset/{name}")  # first render (JSON-LD cache filled, if any)
        with counting_index_selects() as seen:
            response = client.get(f"/dataset/{name}")
        assert response.status_code == 200, (name, response.status)
        counts.append(len(seen))
    return counts


# --- load ---------------------------------------------------------------------------------------

def _tree_cpu_seconds(root_pid: int) -> float:
    """utime + stime of a process and its children (gunicorn's master and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = int(fields[11]) + int(fields[12])
    tree = {root_pid}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(cpu.get(pid, 0) for pid in tree) / ticks


def _load(base: str, paths: list[str], seconds: float, clients: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        session = requests.Session()
        mine: list[float] = []
        bad: list[str] = []
        n = offset
        while time.monotonic() < stop_at:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                response = session.get(base + path, timeout=60)
                response.content  # noqa: B018 - read the whole body
                if response.status_code != 200:
                    bad.append(f"{response.status_code} {path}")
            except requests.RequestException as error:
                bad.append(f"{type(error).__name__} {path}")
            mine.append((time.perf_counter() - started) * 1000)
        session.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered), "elapsed": elapsed, "errors": errors,
        "p50": statistics.median(ordered) if ordered else float("nan"),
        "p99": ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
        if ordered else float("nan"),
    }


def main() -> int:
    settings = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}
    server = LiveServer.prepare("bench-web", portal_plugins(), settings, gunicorn_workers=2)
    print(f"web benchmark: portal plugins, gunicorn 2 workers x 4 threads; {CLIENTS} clients x "
          f"{SECONDS:g} s per URL; demo data + {DATASETS} generated datasets", flush=True)
    reset_database(server.ini)
    server.ckan("splpdepok", "demo", "load", "--quiet")
    app = _load_app(server.ini)
    took = _add_datasets(DATASETS)
    names = _public_demo_datasets()
    pages = names[:12]
    print(f"catalogue ready ({took:.0f} s to add {DATASETS}); dataset pages over "
          f"{len(pages)} public demo datasets", flush=True)
    counts = _searches_per_page(app, pages)
    print(f"searches per dataset page (index SELECTs, 2nd render): "
          f"min {min(counts)} max {max(counts)} mean {statistics.mean(counts):.1f}", flush=True)
    from ckan import model

    model.Session.remove()
    engine = model.meta.engine
    if engine is not None:
        engine.dispose()

    cases = {
        "/dataset": ["/dataset/"],
        f"/dataset?q={WORD}": [f"/dataset/?q={WORD}"],
        "/dataset/<name>": [f"/dataset/{name}" for name in pages],
        f"package_search?q={WORD}": [f"/api/3/action/package_search?q={WORD}"],
    }
    server.start()
    try:
        assert server.process is not None
        for paths in cases.values():  # warm-up: every URL once per worker thread
            _load(server.url, paths, 2.0, CLIENTS)
        print(f"\n{'URL':<28}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
              f"{'CPU ms/req':>12}")
        for label, paths in cases.items():
            before = _tree_cpu_seconds(server.process.pid)
            result = _load(server.url, paths, SECONDS, CLIENTS)
            cpu = _tree_cpu_seconds(server.process.pid) - before
            answered = max(1, result["requests"])
            print(f"{label:<28}{result['requests'] / result['elapsed']:8.1f}"
                  f"{result['p50']:9.1f}{result['p99']:9.1f}{len(result['errors']):8d}"
                  f"{cpu * 1000 / answered:12.1f}", flush=True)
            for error in sorted(set(result["errors"]))[:5]:
                print(f"    error: {error} (x{result['errors'].count(error)})")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
