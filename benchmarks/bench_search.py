"""Search benchmark: the PostgreSQL backend at 1,000, 10,000 and (``--large``) 100,000 datasets.

Run: ``scripts/bench search`` (1k and 10k) or ``scripts/bench search --large`` (adds 100k);
``--sizes 1000,50000`` picks sizes. The benchmark has its own database (``scripts/bench``).

For each size the catalogue grows to that many datasets, written in bulk into CKAN's own tables
(package, resource, tag, package_tag, package_extra, member), so CKAN's dictization sees complete
datasets. The index is then rebuilt the way an operator does it, ``ckan search-index rebuild``
(CKAN's ``rebuild()`` and ``commit()`` in this process: ``package_show`` for every dataset, CKAN's
``index_package``, our connection's writes). Printed per size:
  - build rate: datasets per second of that rebuild;
  - table size per dataset: the index tables with their TOAST data and indexes, divided by rows;
  - ``package_search`` as an anonymous user, in a fresh process (like a web worker), for
      (a) a text query,
      (b) text + two fq + five facets,
      (c) ``*:*`` sorted by ``metadata_modified desc``,
    p50 and p95 in ms, the average hit count, and PostgreSQL's share of the time: the time spent
    inside the database driver's ``execute`` (SQLAlchemy cursor events) over the whole call.
Nothing is asserted about time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("SPLPDEPOK_BENCH_RUNS", "200"))
DEFAULT_SIZES = "1000,10000"
LARGE = 100_000
INDEX_TABLES = ("splpdepok_search_index", "splpdepok_search_doc")

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

    make_app(load_config(_ini()))


def _engine() -> sa.engine.Engine:
    from ckan import model

    engine = model.meta.engine
    assert engine is not None, "CKAN's engine is not configured"
    return engine


# --- the catalogue ---------------------------------------------------------------------------

def _reset_db() -> dict[str, str]:
    """An empty CKAN database with the organizations, groups and tags the datasets use."""
    from ckan import model
    from ckan.cli.db import _run_migrations  # type: ignore[attr-defined]

    model.repo.rebuild_db()
    _run_migrations("splpdepok_search")
    ids: dict[str, str] = {}
    for name in ORGS + GROUPS:
        is_org = name in ORGS
        group = model.Group(name=name, title=name.replace("-", " ").title(),
                            type="organization" if is_org else "group", is_organization=is_org)
        model.Session.add(group)
        model.Session.flush()
        ids[name] = group.id
    for name in TAGS:
        tag = model.Tag(name=name)
        model.Session.add(tag)
        model.Session.flush()
        ids[name] = tag.id
    model.Session.commit()
    return ids


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    """CKAN's tables keep naive UTC timestamps."""
    return moment.replace(tzinfo=None)


def _rows(i: int, rng: random.Random, ids: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """The rows of CKAN's tables for dataset number ``i``."""
    package_id = str(uuid.uuid4())
    org = rng.choice(ORGS)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    created = start + dt.timedelta(minutes=rng.randrange(2_500_000))
    modified = created + dt.timedelta(minutes=rng.randrange(100_000))
    words = rng.sample(WORDS, 4)
    package = {
        "id": package_id, "name": f"dataset-{i:06d}",
        "title": f"Data {' '.join(words[:3]).title()} Kota Depok {2015 + i % 10}",
        "notes": " ".join(rng.sample(WORDS, 6) + rng.choices(FILLER, FILLER_WEIGHTS, k=34)),
        "type": "dataset", "state": "active", "private": rng.random() < 0.1,
        "owner_org": ids[org], "license_id": rng.choice(LICENSES), "url": "", "version": "1.0",
        "author": "Diskominfo", "metadata_created": _naive_utc(created),
        "metadata_modified": _naive_utc(modified),
    }
    resources = [{
        "id": str(uuid.uuid4()), "package_id": package_id, "position": k,
        "name": f"Tabel {rng.choice(WORDS)}", "format": rng.choice(FORMATS),
        "description": " ".join(rng.choices(FILLER, FILLER_WEIGHTS, k=8)),
        "url": f"https://data.depok.go.id/f/{i}/{k}", "state": "active", "url_type": "",
        "extras": "{}", "created": _naive_utc(created), "metadata_modified": _naive_utc(created),
    } for k in range(rng.randint(1, 3))]
    tags = [{"id": str(uuid.uuid4()), "package_id": package_id, "tag_id": ids[name],
             "state": "active"} for name in rng.sample(TAGS, rng.randint(1, 5))]
    extras = [{"id": str(uuid.uuid4()), "package_id": package_id, "key": "frekuensi",
               "value": rng.choice(["tahunan", "bulanan"]), "state": "active"}]
    members = [{"id": str(uuid.uuid4()), "table_name": "package", "table_id": package_id,
                "capacity": "public", "group_id": ids[name], "state": "active"}
               for name in rng.sample(GROUPS, rng.randint(0, 2))]
    return {"package": [package], "resource": resources, "package_tag": tags,
            "package_extra": extras, "member": members}


def _grow(start: int, stop: int, rng: random.Random, ids: dict[str, str]) -> None:
    """Datasets ``start`` … ``stop - 1`` into CKAN's tables, in bulk."""
    from ckan import model

    tables = {"package": model.package_table, "resource": model.resource_table,
              "package_tag": model.package_tag_table, "package_extra": model.package_extra_table,
              "member": model.member_table}
    for chunk in range(start, stop, 5000):
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        for i in range(chunk, min(stop, chunk + 5000)):
            for name, rows in _rows(i, rng, ids).items():
                batch[name].extend(rows)
        for name, table in tables.items():
            if batch[name]:
                model.Session.execute(table.insert(), batch[name])
        model.Session.commit()


def _rebuild() -> float:
    """``ckan search-index rebuild`` (what its command runs) timed; returns datasets/s."""
    from ckan import model
    from ckan.lib.search import commit, rebuild

    count = model.Session.execute(sa.text("select count(*) from package")).scalar() or 0
    model.Session.remove()
    started = time.perf_counter()
    rebuild(defer_commit=True, quiet=True, clear=True)
    commit()
    rate = count / (time.perf_counter() - started)
    model.Session.remove()
    # what autovacuum does shortly after a bulk load (hint bits, visibility map, planner
    # statistics), so the figures are those of a settled catalogue, not of its first minute
    with _engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in _existing_tables(conn):
            conn.execute(sa.text(f"VACUUM ANALYZE {table}"))
    return rate


def _existing_tables(conn: Any) -> list[str]:
    present = set(sa.inspect(conn).get_table_names())
    return [t for t in INDEX_TABLES if t in present]


def _size_per_row() -> tuple[int, float, float]:
    """(rows, bytes per dataset in all index tables, bytes per dataset of the search table)."""
    with _engine().connect() as conn:
        rows = conn.execute(sa.text("select count(*) from splpdepok_search_index")).scalar() or 0
        total = sum(conn.execute(sa.text(f"select pg_total_relation_size('{t}')")).scalar() or 0
                    for t in _existing_tables(conn))
        narrow = conn.execute(sa.text(
            "select pg_relation_size('splpdepok_search_index')")).scalar() or 0
    return rows, total / max(rows, 1), narrow / max(rows, 1)


# --- the queries -----------------------------------------------------------------------------

class StatementTimer:
    """Time spent inside the database driver (SQLAlchemy cursor events), summed."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self.total = 0.0
        self._started: list[float] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_: Any) -> None:
        self._started.append(time.perf_counter())

    def _after(self, *_: Any) -> None:
        self.total += time.perf_counter() - self._started.pop()


def _cases(rng: random.Random) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "(a) text": lambda: {"q": rng.choice(WORDS)},
        "(b) text+2fq+5facets": lambda: {
            "q": rng.choice(WORDS),
            "fq": f'organization:"{rng.choice(ORGS)}" OR res_format:"{rng.choice(FORMATS)}"',
            "fq_list": [f'license_id:"{rng.choice(LICENSES)}" OR tags:"{rng.choice(TAGS)}"'],
            "facet.field": ["organization", "groups", "tags", "res_format", "license_id"],
        },
        "(c) *:* by modified": lambda: {"q": "*:*", "sort": "metadata_modified desc"},
    }


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def _measure(rng: random.Random) -> Iterator[tuple[str, float, float, int, float]]:
    from ckan import model
    from ckan.logic import get_action

    search = get_action("package_search")
    timer = StatementTimer(_engine())
    for label, make in _cases(rng).items():
        for _ in range(10):  # warm-up: plans, caches, the statement shapes
            search({"user": "", "ignore_auth": False}, make())
            model.Session.remove()
        timings: list[float] = []
        counts = 0
        timer.total = 0.0
        for _ in range(RUNS):
            params = make()
            started = time.perf_counter()
            result = search({"user": "", "ignore_auth": False}, params)
            timings.append((time.perf_counter() - started) * 1000)
            counts += result["count"]
            model.Session.remove()
        p50, p95 = _percentiles(timings)
        share = timer.total * 1000 / sum(timings)
        yield label, p50, p95, counts // RUNS, share


def measure_only(size: int) -> int:
    _setup()
    for label, p50, p95, hits, share in _measure(random.Random(size)):
        print(f"  {label:<22} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   avg hits {hits:>6}   "
              f"PostgreSQL {share:4.0%} of the time", flush=True)
    return 0


def main(sizes: list[int]) -> int:
    _setup()
    rng = random.Random(20261126)
    ids = _reset_db()
    grown = 0
    print(f"search benchmark: sizes {', '.join(f'{s:,}' for s in sizes)}; {RUNS} runs per "
          "query, anonymous user, package_search action", flush=True)
    for size in sorted(sizes):
        started = time.perf_counter()
        _grow(grown, size, rng, ids)
        grown = size
        loaded = time.perf_counter() - started
        rate = _rebuild()
        rows, per_row, narrow = _size_per_row()
        print(f"\n== {size:,} datasets (loaded into CKAN's tables in {loaded:.0f} s)\n"
              f"  index build: {rate:.0f} datasets/s (ckan search-index rebuild, {rows:,} rows)\n"
              f"  index size: {per_row / 1024:.1f} KB per dataset in all "
              f"({narrow / 1024:.2f} KB in the search table's own heap)", flush=True)
        # queries run in a fresh process, like a web worker serving the settled catalogue
        subprocess.run([sys.executable, __file__, "--measure", str(size)], check=True)
    return 0


def _sizes(argv: list[str]) -> list[int]:
    parser = argparse.ArgumentParser(prog="scripts/bench search", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help=f"also {LARGE:,} datasets")
    parser.add_argument("--sizes", default=os.environ.get("SPLPDEPOK_BENCH_SIZES", DEFAULT_SIZES),
                        help="comma-separated catalogue sizes (default %(default)s)")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--sizes must be whole numbers: {args.sizes!r}")
    if args.large:
        sizes = sorted({*sizes, LARGE})
    if not sizes or sizes[0] < 1:
        parser.error("sizes must be at least 1")
    return sizes


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        sys.exit(measure_only(int(sys.argv[2])))
    sys.exit(main(_sizes(sys.argv[1:])))
