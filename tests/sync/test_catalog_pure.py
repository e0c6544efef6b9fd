"""Pure parts of the catalog checks, without a database: the drift comparison, the national
catalog client (plain CKAN and data.go.id's proxy envelope), the Jabar reader and title match."""
from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from ckanext.splpdepok.sync import drift, jabar_catalog
from ckanext.splpdepok.sync.remote_read import (
    NationalCatalog,
    ReadError,
    RemoteDataset,
    lookup_many,
)

from tests.sync.catalog_doubles import JabarCatalogServer, _Server


def local(i: str, state: str = "active", private: bool = False) -> drift.LocalDataset:
    return drift.LocalDataset(i, f"ds-{i}", f"Dataset {i}", state, private)


def test_compare_lists_each_kind_of_drift_and_counts_the_rest():
    here = [local("a"), local("b", "deleted"), local("c", private=True), local("d"),
            local("e", "draft"), local("f", "deleted"), local("g")]
    there = {"a": RemoteDataset("a", True, "ds-a"), "b": RemoteDataset("b", True, "ds-b"),
             "c": RemoteDataset("c", True, "ds-c1"), "d": RemoteDataset("d", False),
             "e": RemoteDataset("e", True, "ds-e"), "f": RemoteDataset("f", False),
             "g": RemoteDataset("g", False, error="request failed (ConnectTimeout)")}
    findings, counts = drift.compare(here, there)
    assert [(f.finding, f.id) for f in findings] == [
        ("withdrawn_still_public", "b"), ("private_still_public", "c"),
        ("private_still_public", "e"), ("missing_remote", "d"), ("unknown", "g")]
    assert counts["in_step"] == 2  # a (public both sides), f (withdrawn, gone there)
    c = next(f for f in findings if f.id == "c")
    assert (c.state_here, c.remote_name) == ("private", "ds-c1")
    assert next(f for f in findings if f.id == "e").state_here == "draft"
    assert "ConnectTimeout" in findings[-1].detail


def test_a_dataset_never_looked_up_is_unknown_not_in_step():
    findings, counts = drift.compare([local("x", "deleted")], {})
    assert [f.finding for f in findings] == ["unknown"] and counts["in_step"] == 0


def test_lookup_many_reports_ids_past_the_budget():
    calls: list[str] = []

    def lookup(i: str) -> RemoteDataset:
        calls.append(i)
        return RemoteDataset(i, True)

    result = lookup_many(["a", "b", "a"], lookup, threads=2, budget_seconds=-1)
    assert calls == [] and set(result) == {"a", "b"}
    assert all("time budget" in r.error for r in result.values())
    assert lookup_many(["a", "b"], lookup, threads=2)["b"].public


class _Canned(_Server):
    """Answers from a function of (method, path, parsed JSON body)."""

    def __init__(self, answer: Any) -> None:
        def handle(h: BaseHTTPRequestHandler) -> tuple[int, Any]:
            raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
            body = json.loads(raw) if raw else None
            self.requests.append({"method": h.command, "path": h.path, "body": body})
            return answer(h.command, h.path, body)

        super().__init__(handle)


@pytest.fixture
def canned() -> Iterator[Any]:
    servers: list[_Canned] = []

    def start(answer: Any) -> _Canned:
        servers.append(_Canned(answer))
        return servers[-1]

    yield start
    for s in servers:
        s.stop()


def test_proxy_client_sends_the_envelope_and_reads_the_answer(canned):
    pkg = {"id": "id-1", "name": "penduduk", "title": "Penduduk", "state": "active",
           "private": False}

    def answer(method: str, path: str, body: dict) -> tuple[int, Any]:
        if body["endpoint"].endswith("id-1"):
            return 200, {"status": "200 OK", "message": "Success", "result": pkg}
        if body["endpoint"].endswith("wrapped"):
            return 200, {"status": "200 OK", "message": "Success", "result": {
                "help": "x", "success": True, "result": {**pkg, "id": "wrapped",
                                                         "private": True}}}
        return 200, {"status": "404 Not Found", "message": "Not found", "result": None}

    server = canned(answer)
    client = NationalCatalog(server.url, "proxy", timeout=5)
    found = client.package_show("id-1")
    assert found == RemoteDataset("id-1", True, "penduduk", "Penduduk")
    assert server.requests[0] == {"method": "POST", "path": "/api/proxy", "body": {
        "endpoint": "/api/3/action/package_show?id=id-1", "method": "GET", "body": {},
        "token": ""}}
    assert client.package_show("tidak ada") == RemoteDataset("tidak ada", False)
    assert server.requests[-1]["body"]["endpoint"].endswith("id=tidak%20ada")
    assert client.package_show("wrapped").public is False


def test_national_client_never_trusts_a_strange_answer(canned):
    def answer(method: str, path: str, body: Any) -> tuple[int, Any]:
        if "other" in path:
            return 200, {"help": "", "success": True, "result": {"id": "someone-else"}}
        if "down" in path:
            return 503, {"success": False}
        return 200, {"no": "envelope"}

    server = canned(answer)
    ckan = NationalCatalog(server.url, "ckan", timeout=5)
    assert "not this dataset" in ckan.package_show("other").error
    assert "HTTP 503" in ckan.package_show("down").error
    assert "not a proxy envelope" in NationalCatalog(server.url, "proxy").package_show("x").error
    # a closed port: a plain sentence naming the host, never the errno
    error = NationalCatalog("http://127.0.0.1:9", timeout=2).package_show("x").error
    assert "refused the connection" in error and "Errno" not in error
    with pytest.raises(ValueError):
        NationalCatalog(server.url, "soap")


@pytest.mark.parametrize(("ours", "theirs"), [
    ("Jumlah Penduduk per Kecamatan", "JUMLAH PENDUDUK PER KECAMATAN DI KOTA DEPOK"),
    ("Jumlah  penduduk (per kecamatan)", "jumlah penduduk - per kecamatan kota depok"),
    ("Indeks Pembangunan Manusia", "Indeks Pembangunan Manusía"),
    ("Jumlah Puskesmas per Kecamatan di Kota Depok 2023", "Jumlah Puskesmas per Kecamatan 2023"),
    ("Penduduk Kota Depok per Kecamatan", "Penduduk per Kecamatan"),
])
def test_titles_match_after_normalisation(ours, theirs):
    assert jabar_catalog.title_key(ours) == jabar_catalog.title_key(theirs)


@pytest.mark.parametrize(("ours", "theirs"), [
    ("Jumlah Penduduk 2023", "Jumlah Penduduk 2024"),
    ("Jumlah Puskesmas per Kecamatan", "Jumlah Posyandu per Kecamatan"),
    ("Penduduk per Kecamatan", "Penduduk per Kelurahan"),
    ("Kotamadya Depok", "Depok"),
])
def test_titles_that_differ_in_meaning_do_not_match(ours, theirs):
    assert jabar_catalog.title_key(ours) != jabar_catalog.title_key(theirs)


def test_compare_matches_each_title_once():
    ours = [jabar_catalog.Ours("1", "a", "Penduduk"), jabar_catalog.Ours("2", "b", "Penduduk"),
            jabar_catalog.Ours("3", "c", "Sekolah")]
    theirs = [jabar_catalog.JabarDataset("PENDUDUK DI KOTA DEPOK", "Disdukcapil", {}),
              jabar_catalog.JabarDataset("Rumah Sakit", "Dinkes", {})]
    result = jabar_catalog.compare(ours, theirs)
    assert [(p.id, j.skpd) for p, j in result.present] == [("1", "Disdukcapil")]
    assert [p.id for p in result.missing] == ["2", "3"]
    assert [j.name for j in result.only_there] == ["Rumah Sakit"]


def _items(n: int) -> list[dict[str, Any]]:
    return [{"name": f"Dataset {i}", "nama_skpd": "Diskominfo",
             "metadata": [{"key": "Cakupan Dataset", "value": "Kota"}]} for i in range(n)]


def test_jabar_reader_pages_with_the_province_query_shape():
    server = JabarCatalogServer({15: _items(250), 1: _items(3)})
    try:
        got = jabar_catalog.read_catalog(server.url, 15, page_size=100, timeout=5)
    finally:
        server.stop()
    assert len(got) == 250 and got[0].skpd == "Diskominfo"
    assert got[0].metadata == {"Cakupan Dataset": "Kota"}
    assert [(r["query"]["limit"], r["query"]["skip"]) for r in server.requests] == [
        (["100"], ["0"]), (["100"], ["100"]), (["100"], ["200"])]
    assert server.requests[0]["query"]["where"] == ['["dataset_class_id=3",["regional_id=15"]]']
    assert server.requests[0]["query"]["search"] == [""]


def test_jabar_reader_stops_at_the_page_cap_and_reports_errors():
    server = JabarCatalogServer({15: _items(50)})
    try:
        with pytest.raises(ReadError, match="more than 2 pages"):
            jabar_catalog.read_catalog(server.url, 15, page_size=10, max_pages=2)
        assert len(server.requests) == 2
        with pytest.raises(ReadError, match="HTTP 404"):
            jabar_catalog.read_catalog(server.url + "/salah", 15)
    finally:
        server.stop()


def test_the_jabar_double_rejects_a_request_of_the_wrong_shape():
    import requests

    server = JabarCatalogServer({15: _items(1)})
    try:
        wrong = requests.get(server.url + "/api-backend/dataset/list",
                             params={"where": '["regional_id=15"]', "limit": 10}, timeout=5)
        assert wrong.status_code == 400
        right = requests.get(server.url + "/api-backend/dataset/list?"
                             + jabar_catalog.list_query(15, 10, 0), timeout=5)
        assert right.status_code == 200 and len(right.json()["data"]) == 1
    finally:
        server.stop()
