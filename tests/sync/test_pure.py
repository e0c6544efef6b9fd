"""Pure parts without a database: credential references, probes, throttle, selection filter."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from ckanext.splpdepok.sync import probe
from ckanext.splpdepok.sync.client import RateLimiter, RetryPolicy, TransientError
from ckanext.splpdepok.sync.logic import credentials
from ckanext.splpdepok.sync.logic.source import selection_query

from tests.support.live_server import free_port


@pytest.mark.parametrize("ref,ok", [
    ("", True), ("SPLPDEPOK_SYNC_SDI_TOKEN", True),
    ("ckanext.splpdepok.sync.credential.sdi", True), ("SECRET_KEY", False),
    ("sqlalchemy.url", False), ("SPLPDEPOK_SYNC_", False), ("PATH", False),
    ("ckanext.splpdepok.sync.credential.", False), ("beaker.session.secret", False)])
def test_only_our_namespaces_resolve(ref, ok):
    assert credentials.valid_reference(ref) is ok


def test_unknown_or_foreign_references_resolve_to_nothing(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "leak")
    monkeypatch.setenv("SPLPDEPOK_SYNC_X", "token-x")
    assert credentials.resolve("SECRET_KEY") is None
    assert credentials.resolve("SPLPDEPOK_SYNC_X") == "token-x"
    assert credentials.redact("bad token token-x here", "token-x") == "bad token *** here"


def test_selection_filters():
    assert selection_query({"mode": "all"}) == "+dataset_type:dataset"
    assert selection_query({"mode": "organization", "values": ["a", 'b"c']}) == \
        '+dataset_type:dataset +organization:("a" OR "bc")'
    assert selection_query({"mode": "tag", "values": ["x"]}) == \
        '+dataset_type:dataset +tags:("x")'
    assert selection_query({"mode": "tag", "values": []}) == "id:__nothing__"


def test_rate_limiter_spaces_calls_across_threads():
    limiter = RateLimiter(50)
    stamps: list[float] = []
    lock = threading.Lock()

    def call() -> None:
        for _ in range(5):
            limiter.wait()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(4)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 20 calls at 50 per second cannot finish before 19 intervals have passed.
    assert len(stamps) == 20 and max(stamps) - started >= 19 * 0.02 - 0.001


def test_retry_policy_retries_transient_errors_only():
    attempts = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise TransientError("HTTP 503", 503)
        return "ok"

    assert RetryPolicy(attempts=5, backoff=0.001, max_wait=0.01).retrying()(flaky) == "ok"
    assert len(attempts) == 3
    with pytest.raises(ValueError):
        RetryPolicy(attempts=5, backoff=0.001).retrying()(lambda: (_ for _ in ()).throw(
            ValueError("not transient")))


class _Status(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = b'{"success": true, "result": {"ckan_version": "2.9.11"}}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_probes_name_the_failing_layer():
    rows = probe.probe_network(f"http://127.0.0.1:{free_port()}/", timeout=2)
    assert [(r["check"], r["ok"]) for r in rows] == [("dns", True), ("tcp", False)]
    rows = probe.probe_network("http://no-such-host.invalid/", timeout=2)
    assert [(r["check"], r["ok"]) for r in rows] == [("dns", False)]
    assert probe.probe_network("ftp://x")[0]["ok"] is False

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        assert all(r["ok"] for r in probe.probe_network(url))
        rows, version = probe.ckan_status(url, None)
        assert version == "2.9.11" and rows[0]["ok"] and "CKAN 2.9.11" in rows[0]["detail"]
        assert rows[1]["check"] == "credentials" and not rows[1]["ok"]
    finally:
        server.shutdown()
        server.server_close()
