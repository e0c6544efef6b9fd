"""The fault proxy itself (tests/sync/faults.py), against a tiny upstream on loopback: it adds no
Nagle delay (TCP_NODELAY on both of its sockets), keeps one upstream connection per client
connection, passes answers through unchanged and still injects the faults it is asked for."""
from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
import requests

from tests.support.loopback import LoopbackServer
from tests.sync.faults import FaultProxy


class Upstream:
    """Echoes method, path and body as JSON; counts the connections it accepted."""

    def __init__(self, keep_alive: bool = True) -> None:
        self.connections = 0
        self.requests = 0
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                upstream.connections += 1

            def _echo(self) -> None:
                upstream.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = json.dumps({"method": self.command, "path": self.path,
                                   "body": self.rfile.read(length).decode(),
                                   "agent": self.headers.get("User-Agent")}).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Upstream", "echo")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _echo

        self._server = LoopbackServer(Handler)
        self.url = self._server.url

    def stop(self) -> None:
        self._server.stop()


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    yield server
    server.stop()


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream.url).start()
    yield proxy
    proxy.stop()


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_both_sockets_of_a_proxied_exchange_have_nagle_off(proxy):
    with requests.Session() as session:
        resp = session.post(proxy.url + "/api/action/package_create", data=b'{"name": "a"}',
                            headers={"User-Agent": "uji"}, timeout=10)
        assert resp.status_code == 201
        assert resp.json() == {"method": "POST", "path": "/api/action/package_create",
                               "body": '{"name": "a"}', "agent": "uji"}
        assert resp.headers["X-Upstream"] == "echo"
        socks = proxy.sockets()  # still open: the client keeps its connection alive
        assert len(socks["client"]) == 1 and len(socks["upstream"]) == 1
        for sock in socks["client"] + socks["upstream"]:
            assert _nodelay(sock) != 0, sock


def test_one_upstream_connection_serves_a_keep_alive_client(proxy, upstream):
    with requests.Session() as session:
        for i in range(5):
            resp = session.get(f"{proxy.url}/api/action/status_show?i={i}", timeout=10)
            assert resp.json()["path"] == f"/api/action/status_show?i={i}"
    assert upstream.requests == 5
    assert upstream.connections == 1
    assert proxy.forwarded["/api/action/status_show"] == 5


def test_an_upstream_that_closes_its_connections_is_reconnected_transparently():
    upstream = Upstream(keep_alive=False)  # HTTP/1.0: closes after every answer
    proxy = FaultProxy(upstream.url).start()
    try:
        with requests.Session() as session:
            bodies = [session.post(proxy.url + "/x", data=str(i).encode(), timeout=10).json()
                      for i in range(3)]
        assert [b["body"] for b in bodies] == ["0", "1", "2"]
        assert upstream.requests == 3 and upstream.connections == 3
        for sock in proxy.sockets()["upstream"]:
            assert _nodelay(sock) != 0
    finally:
        proxy.stop()
        upstream.stop()


def test_injected_faults_still_happen(proxy, upstream):
    proxy.share, proxy.faults = 1.0, ("429",)
    resp = requests.post(proxy.url + "/api/action/package_create", data=b"{}", timeout=10)
    assert (resp.status_code, resp.text, resp.headers["Retry-After"]) == (429,
                                                                          "injected fault", "0")
    assert upstream.requests == 0

    proxy.faults = ("reset_after",)
    with pytest.raises(requests.ConnectionError):
        requests.post(proxy.url + "/api/action/package_create", data=b"{}", timeout=10)
    assert upstream.requests == 1  # the work was done, the answer lost
    assert proxy.forwarded["/api/action/package_create"] == 1

    proxy.share, proxy.down = 0.0, True
    with pytest.raises(requests.ConnectionError):
        requests.get(proxy.url + "/api/action/status_show", timeout=10)
    assert upstream.requests == 1
    assert dict(proxy.injected) == {"429": 1, "reset_after": 1}


def test_an_upstream_that_is_down_closes_the_client_connection(upstream):
    proxy = FaultProxy(upstream.url).start()
    upstream.stop()
    try:
        with pytest.raises(requests.ConnectionError):
            requests.get(proxy.url + "/api/action/status_show", timeout=10)
        assert not proxy.forwarded
    finally:
        proxy.stop()
