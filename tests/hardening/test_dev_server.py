"""The development server serves concurrently and pages hand slow outbound work to the jobs
worker. A deliberately slow peer (a loopback HTTP server that holds every request until the
test lets it go) plays a sync target: checks started from the page return at once (the peer
has not even been called), and while the worker's check, or a synchronous API check, is held
by the peer, other pages answer. No timings are asserted, only the order of events."""
from __future__ import annotations

import configparser
import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.hardening.conftest import Portal
from tests.support.live_server import ROOT, free_port

GUNICORN_FLAGS = ("--workers", "--threads", "--timeout")


class SlowPeer:
    """Answers like a CKAN API, but only after ``release()``; counts requests it holds."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.holding = 0
        self.lock = threading.Lock()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with peer.lock:
                    peer.holding += 1
                peer.arrived.set()
                peer.released.wait(120)
                with peer.lock:
                    peer.holding -= 1
                body = b'{"success": true, "result": {"ckan_version": "2.11.6"}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self) -> None:
        self.released.set()

    def stop(self) -> None:
        self.release()
        self.server.shutdown()


def _portal_gunicorn_argv(port: int) -> list[str]:
    """The gunicorn command of ``scripts/portal up``, read from the script itself."""
    text = (ROOT / "scripts/portal").read_text()
    match = re.search(r'"\$VENV/bin/gunicorn"(.*?)>>', text, re.S)
    assert match, "scripts/portal starts CKAN with gunicorn"
    words = match.group(1).replace("\\\n", " ").split()
    replace = {'"127.0.0.1:$CKAN_PORT"': f"127.0.0.1:{port}", '"$GUNICORN_WORKERS"': "2",
               '"$ROOT/scripts"': str(ROOT / "scripts")}
    return [str(ROOT / ".venv/bin/gunicorn"), *[replace.get(w, w) for w in words]]


def _flags(words: list[str]) -> dict[str, str]:
    return {w: words[i + 1] for i, w in enumerate(words) if w in GUNICORN_FLAGS}


def test_portal_script_uses_the_dockerfiles_gunicorn_settings() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"exec gunicorn (.*?)wsgi:application", dockerfile)
    assert cmd
    docker = _flags(cmd.group(1).replace('\\"', "").split())
    docker["--workers"] = re.search(r"GUNICORN_WORKERS=(\d+)", dockerfile).group(1)  # type: ignore[union-attr]
    assert _flags(_portal_gunicorn_argv(5000)) == docker
    assert "ckan\" -c \"$CKAN_INI\" run" not in (ROOT / "scripts/portal").read_text()


@pytest.fixture
def slow_peer() -> Iterator[SlowPeer]:
    peer = SlowPeer()
    yield peer
    peer.stop()


@pytest.fixture
def gunicorn_portal(portal: Portal, tmp_path: Path) -> Iterator[str]:
    """The portal served as ``scripts/portal up`` serves it, on the hardening database."""
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(portal.server.ini)
    parser["app:main"]["ckanext.splpdepok.sync.timeout_seconds"] = "120"
    ini = tmp_path / "gunicorn.ini"
    with os.fdopen(os.open(ini, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
        parser.write(handle)
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(_portal_gunicorn_argv(port), env=dict(os.environ, CKAN_INI=str(ini)),
                               stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(f"{url}/api/3/action/status_show", timeout=5).ok:
                break
        except requests.RequestException:
            pass
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
        threading.Event().wait(0.2)
    os.environ["SPLPDEPOK_HARDENING_GUNICORN_INI"] = str(ini)
    yield url
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_a_check_from_the_page_is_queued_and_pages_keep_answering(
        portal: Portal, gunicorn_portal: str, slow_peer: SlowPeer) -> None:
    url, admin = gunicorn_portal, {"Authorization": portal.tokens["sysadmin"] or ""}
    created = requests.post(f"{url}/api/3/action/splpdepok_target_create", headers=admin,
                            json={"name": "peer-lambat", "type": "ckan", "url": slow_peer.url})
    assert created.ok, created.text
    started = requests.post(f"{url}/ckan-admin/sinkronisasi/peer-lambat/cek", headers=admin,
                            allow_redirects=False, timeout=60)
    assert started.status_code == 302
    assert not slow_peer.arrived.is_set(), "the page called the peer itself"
    target_page = requests.get(f"{url}/ckan-admin/sinkronisasi/peer-lambat", headers=admin)
    assert 'id="splpdepok-sync-check-pending"' in target_page.text

    ini = os.environ["SPLPDEPOK_HARDENING_GUNICORN_INI"]
    worker = subprocess.Popen([str(ROOT / ".venv/bin/ckan"), "-c", ini, "jobs", "worker",
                               "splpdepok_sync", "--burst"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert slow_peer.arrived.wait(180), "the worker never ran the check"
        # the worker's check is held by the peer; the portal answers meanwhile
        for path in ("/katalog-lid", "/dataset/", "/ckan-admin/sinkronisasi/peer-lambat"):
            assert requests.get(url + path, headers=admin, timeout=60).status_code == 200
        assert slow_peer.holding == 1 and not slow_peer.released.is_set()

        # a synchronous API check held by the peer does not block the other requests
        inline: dict[str, requests.Response] = {}
        caller = threading.Thread(target=lambda: inline.setdefault("r", requests.post(
            f"{url}/api/3/action/splpdepok_target_check", headers=admin,
            json={"id": "peer-lambat"}, timeout=300)))
        caller.start()
        for _ in range(600):
            if slow_peer.holding == 2:
                break
            threading.Event().wait(0.1)
        assert slow_peer.holding == 2, "the API check did not reach the peer"
        assert requests.get(url + "/katalog-lid", timeout=60).status_code == 200
        assert caller.is_alive() and "r" not in inline
    finally:
        slow_peer.release()
    caller.join(300)
    assert inline["r"].status_code == 200
    assert worker.wait(300) == 0
    report = requests.get(f"{url}/ckan-admin/sinkronisasi/peer-lambat", headers=admin).text
    assert 'id="splpdepok-sync-check-pending"' not in report
    assert 'id="splpdepok-sync-check"' in report
