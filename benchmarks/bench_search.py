"""Search benchmark: PostgreSQL backend, 1,000 and 10,000 datasets (``scripts/bench search``).

Datasets are generated, inserted into CKAN's ``package`` table in bulk (so permission labels are
real) and indexed through CKAN's own path (``PackageSearchIndex.index_package``). Then
``package_search`` runs as an anonymous user for:
  (a) a text query,
  (b) text + two fq + five facets,
  (c) ``*:*`` sorted by ``metadata_modified desc``.
Prints p50/p95 latencies and the index build rate; asserts nothing about time.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("SPLPDEPOK_BENCH_RUNS", "200"))
SIZES = [int(s) for s in os.environ.get("SPLPDEPOK_BENCH_SIZES", "1000,10000").split(",")]

WORDS = (
    "kesehatan pendidikan penduduk kemiskinan jalan jembatan anggaran belanja pendapatan "
    "pajak retribusi puskesmas rumah sakit sekolah dasar menengah guru murid banjir sampah "
    "air bersih sanitasi transportasi angkot terminal pasar umkm koperasi pertanian ikan "
    "ternak lingkungan taman hutan kota kecamatan kelurahan pemilu pemuda olahraga budaya "
    "pariwisata hotel restoran investasi perizinan bangunan tanah tata ruang kebakaran "
    "bencana kriminalitas kesejahteraan sosial disabilitas lansia anak perempuan imunisasi "
    "gizi stunting vaksinasi tenaga kerja pengangguran upah inflasi harga beras listrik"
).split()
# The rest of the descriptions: a Zipf-like vocabulary, so a query word matches a realistic
# share of the catalogue (a few percent to a third) instead of half of it.
FILLER = [f"{a}{b}" for a in ("ka", "ba", "ma", "pe", "se", "te", "ra", "di", "ko", "lu")
          for b in ("rang", "lit", "mun", "das", "ngan", "tuk", "hir", "pan", "rum", "gal",
                    "dak", "wan", "jak", "sik", "tor", "bung", "lah", "gas", "nom", "par")]
FILLER_WEIGHTS = [1 / (rank + 1) for rank in range(len(FILLER))]
TAGS = [f"tag-{w}" for w in WORDS[:40]]
FORMATS = ["CSV", "XLSX", "JSON", "PDF", "API", "SHP", "GeoJSON"]
LICENSES = ["cc-by", "cc-by-sa", "odc-odbl", "other-open", "notspecified"]
ORGS = [f"dinas-{w}" for w in WORDS[:24]]
GROUPS = [f"topik-{w}" for w in WORDS[24:36]]


def _ini() -> str:
    base = (ROOT / "config" / "test.ini").read_text()
    body = base.replace("ckan.plugins = splpdepok_search splpdepok",
                        "ckan.plugins = splpdepok_search")
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as handle:
        handle.write(body.replace("%(here)s", str(ROOT / "config")))
    return handle.name


def _setup() -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(_ini())
    make_app(conf)


def _reset_db() -> dict[str, str]:
    from ckan import model
    from ckan.cli.db import _run_migrations  # type: ignore[attr-defined]

    model.repo.rebuild_db()
    _run_migrations("splpdepok_search")
    org_ids: dict[str, str] = {}
    for name in ORGS + GROUPS:
        is_org = name in ORGS
        group = model.Group(name=name, title=name.replace("-", " ").title(),
                            type="organization" if is_org else "group", is_organization=is_org)
        model.Session.add(group)
        model.Session.flush()
        org_ids[name] = group.id
    model.Session.commit()
    return org_ids


def _naive_utc(moment: dt.datetime) -> str:
    """CKAN's package table keeps naive UTC timestamps."""
    return moment.replace(tzinfo=None).isoformat()


def _dataset(i: int, rng: random.Random, org_ids: dict[str, str]) -> dict[str, Any]:
    org = rng.choice(ORGS)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    created = start + dt.timedelta(minutes=rng.randrange(2_500_000))
    modified = created + dt.timedelta(minutes=rng.randrange(100_000))
    words = rng.sample(WORDS, 4)
    title = f"Data {' '.join(words[:3]).title()} Kota Depok {2015 + i % 10}"
    notes = " ".join(rng.sample(WORDS, 6) + rng.choices(FILLER, FILLER_WEIGHTS, k=34))
    resources = [{"id": str(uuid.uuid4()), "name": f"Tabel {rng.choice(WORDS)}",
                  "description": " ".join(rng.choices(FILLER, FILLER_WEIGHTS, k=8)),
                  "format": rng.choice(FORMATS), "url": f"https://data.depok.go.id/f/{i}/{k}",
                  "resource_type": None}
                 for k in range(rng.randint(1, 3))]
    return {
        "id": str(uuid.uuid4()), "name": f"dataset-{i:06d}", "title": title, "notes": notes,
        "type": "dataset", "state": "active", "private": rng.random() < 0.1,
        "owner_org": org_ids[org],
        "organization": {"name": org, "title": org, "id": org_ids[org]},
        "license_id": rng.choice(LICENSES), "license_title": "", "url": "", "version": "1.0",
        "author": "Diskominfo", "author_email": None, "maintainer": None,
        "maintainer_email": None, "metadata_created": _naive_utc(created),
        "metadata_modified": _naive_utc(modified), "creator_user_id": None,
        "tags": [{"name": t} for t in rng.sample(TAGS, rng.randint(1, 5))],
        "groups": [{"name": g} for g in rng.sample(GROUPS, rng.randint(0, 2))],
        "resources": resources, "num_resources": len(resources), "num_tags": 0,
        "extras": [{"key": "frekuensi", "value": rng.choice(["tahunan", "bulanan"])}],
        "relationships_as_subject": [], "relationships_as_object": [],
    }


def _insert_packages(datasets: list[dict[str, Any]]) -> None:
    from ckan import model

    rows = [{k: d[k] for k in ("id", "name", "title", "notes", "type", "state", "private",
                               "owner_org", "license_id", "metadata_created",
                               "metadata_modified")} for d in datasets]
    model.Session.execute(model.package_table.insert(), rows)
    model.Session.commit()


def _index(datasets: list[dict[str, Any]]) -> float:
    import copy

    from ckan import model
    from ckan.lib.search import PackageSearchIndex

    index = PackageSearchIndex()
    started = time.perf_counter()
    for n, dataset in enumerate(datasets, 1):
        index.index_package(copy.deepcopy(dataset), defer_commit=True)
        if n % 500 == 0:
            model.Session.commit()
    model.Session.commit()
    rate = len(datasets) / (time.perf_counter() - started)
    # what autovacuum does shortly after a bulk load (hint bits, visibility map, planner
    # statistics), so the figures are those of a settled catalogue, not of its first minute
    model.Session.remove()
    engine = model.meta.engine
    assert engine is not None, "CKAN's engine is not configured"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE splpdepok_search_index"))
    return rate


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def _measure(rng: random.Random) -> dict[str, tuple[float, float, int]]:
    from ckan import model
    from ckan.logic import get_action

    search = get_action("package_search")
    cases = {
        "(a) text": lambda: {"q": rng.choice(WORDS)},
        "(b) text+2fq+5facets": lambda: {
            "q": rng.choice(WORDS),
            "fq": f'organization:"{rng.choice(ORGS)}" OR res_format:"{rng.choice(FORMATS)}"',
            "fq_list": [f'license_id:"{rng.choice(LICENSES)}" OR tags:"{rng.choice(TAGS)}"'],
            "facet.field": ["organization", "groups", "tags", "res_format", "license_id"],
        },
        "(c) *:* by modified": lambda: {"q": "*:*", "sort": "metadata_modified desc"},
    }
    out = {}
    for label, make in cases.items():
        timings: list[float] = []
        counts = 0
        for _ in range(RUNS):
            params = make()
            started = time.perf_counter()
            result = search({"user": "", "ignore_auth": False}, params)
            timings.append((time.perf_counter() - started) * 1000)
            counts += result["count"]
            model.Session.remove()
        p50, p95 = _percentiles(timings)
        out[label] = (p50, p95, counts // RUNS)
    return out


def main() -> int:
    _setup()
    from ckan import model

    rng = random.Random(20261126)
    org_ids = _reset_db()
    built = 0
    print(f"search benchmark: {RUNS} runs per query, anonymous user, package_search action")
    for size in SIZES:
        batch = [_dataset(i, rng, org_ids) for i in range(built, size)]
        _insert_packages(batch)
        rate = _index(batch)
        built = size
        del batch
        gc.collect()
        total = model.Session.execute(
            sa.text("select count(*) from splpdepok_search_index")).scalar()
        model.Session.remove()
        print(f"\n== {size} datasets (index rows: {total}); index build rate: "
              f"{rate:.0f} datasets/s (index_package, CKAN's path)", flush=True)
        # queries run in a fresh process, like a web worker serving the settled catalogue
        subprocess.run([sys.executable, __file__, "--measure", str(size)], check=True)
    return 0


def measure_only(size: int) -> int:
    _setup()
    for label, (p50, p95, avg_count) in _measure(random.Random(size)).items():
        print(f"  {label:<24} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   avg hits {avg_count}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        sys.exit(measure_only(int(sys.argv[2])))
    sys.exit(main())
