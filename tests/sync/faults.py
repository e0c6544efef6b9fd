"""A fault-injecting reverse proxy on loopback: 429, 500, slow answers and connection resets.

Sits in front of a real server; a seeded random draw decides, per request, whether to fail it
before it reaches the upstream (429/500/reset), after the upstream did the work (reset_after:
the client never learns that its create succeeded) or to answer slowly.

Without a fault drawn it adds no delay of its own: ``TCP_NODELAY`` on the accepted client socket
and on the upstream socket (Nagle's algorithm with delayed ACKs costs ~40 ms per exchange when a
response goes out in two writes), each response written in one ``sendall``, one keep-alive
upstream connection per client connection (no connect per request) and a listen backlog that
takes a burst of parallel clients. ``sockets()`` hands out the open sockets so a test can read
their options back.
"""
from __future__ import annotations

import http.client
import random
import select
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import urlsplit

FAULTS = ("429", "500", "slow", "reset", "reset_after")
# hop-by-hop (or recomputed) headers, never copied through
_REQUEST_DROP = frozenset({"host", "content-length", "connection", "keep-alive",
                           "transfer-encoding", "proxy-connection"})
_RESPONSE_DROP = frozenset({"content-length", "connection", "keep-alive", "transfer-encoding"})
# a reused keep-alive connection the upstream closed meanwhile fails with one of these before
# any answer: the request is sent again once on a fresh connection
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


def _nodelay(sock: socket.socket) -> None:
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _dropped(sock: socket.socket | None) -> bool:
    """An idle keep-alive socket is readable only when the peer closed (or broke) it."""
    if sock is None:
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 drops SYNs of a burst of parallel clients

    def __init__(self, proxy: FaultProxy) -> None:
        self.proxy = proxy
        super().__init__(("127.0.0.1", 0), _Handler)


class _Upstream(http.client.HTTPConnection):
    """One keep-alive connection to the upstream, ``TCP_NODELAY`` from its connect."""

    def __init__(self, proxy: FaultProxy) -> None:
        super().__init__(proxy.host, proxy.port, timeout=120)
        self.proxy = proxy

    def connect(self) -> None:
        super().connect()
        _nodelay(self.sock)
        self.proxy.track("upstream", self.sock)


class _Handler(BaseHTTPRequestHandler):
    """One client connection (its requests in turn), with its own upstream connection."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # StreamRequestHandler.setup sets TCP_NODELAY
    proxy: FaultProxy
    upstream: _Upstream | None = None

    def setup(self) -> None:
        super().setup()
        self.proxy = cast("_ProxyServer", self.server).proxy
        self.proxy.track("client", self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self.upstream is not None:
                self.upstream.close()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _answer(self, status: int, reason: str, body: bytes,
                headers: list[tuple[str, str]]) -> None:
        """Status line, headers and body in one write (no small segment on its own)."""
        lines = [f"HTTP/1.1 {status} {reason}\r\n"]
        lines += [f"{k}: {v}\r\n" for k, v in headers if k.lower() not in _RESPONSE_DROP]
        lines.append(f"Content-Length: {len(body)}\r\n")
        if self.close_connection:
            lines.append("Connection: close\r\n")
        lines.append("\r\n")
        self.wfile.write("".join(lines).encode("latin-1") + body)

    def _forward(self, body: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _REQUEST_DROP}
        if self.upstream is None:
            self.upstream = _Upstream(self.proxy)
        conn = self.upstream
        for attempt in (1, 2):
            reused = conn.sock is not None
            if reused and _dropped(conn.sock):
                conn.close()
                reused = False
            try:
                conn.request(self.command, self.proxy.base + self.path,
                             body=body if body or self.command != "GET" else None,
                             headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except _STALE:
                conn.close()
                if reused and attempt == 1:
                    continue
                raise
            except Exception:
                conn.close()
                raise
            if resp.will_close:
                conn.close()
            return resp.status, resp.reason, resp.getheaders(), data
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _handle(self) -> None:
        proxy = self.proxy
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = proxy.draw()
        if proxy.down or fault == "reset":
            self._reset()
            return
        if fault in ("429", "500"):
            self._answer(int(fault), "Injected Fault", b"injected fault",
                         [("Content-Type", "text/plain"), ("Retry-After", "0")])
            return
        if fault == "slow":
            time.sleep(proxy.slow_seconds)
        try:
            status, reason, headers, data = self._forward(body)
        except (OSError, http.client.HTTPException):
            # upstream down or gone mid-request: the client sees its connection close
            self.close_connection = True
            return
        with proxy.lock:
            proxy.forwarded[self.path.split("?")[0]] += 1
        if fault == "reset_after":
            self._reset()
            return
        self._answer(status, reason, data, headers)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class FaultProxy:
    def __init__(self, upstream: str, share: float = 0.0, seed: int = 7,
                 faults: tuple[str, ...] = FAULTS, slow_seconds: float = 0.3) -> None:
        self.upstream = upstream.rstrip("/")
        parts = urlsplit(self.upstream)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"FaultProxy needs an http:// upstream, not {upstream!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.base = parts.path.rstrip("/")
        self.share, self.faults, self.slow_seconds = share, faults, slow_seconds
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.injected: Counter[str] = Counter()
        self.forwarded: Counter[str] = Counter()
        self.down = False
        self._socks: dict[str, list[socket.socket]] = {"client": [], "upstream": []}
        self.server = _ProxyServer(self)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def track(self, side: str, sock: socket.socket) -> None:
        with self.lock:
            socks = self._socks[side]
            socks[:] = [s for s in socks if s.fileno() != -1]  # forget closed ones
            socks.append(sock)

    def sockets(self) -> dict[str, list[socket.socket]]:
        """The open sockets: accepted from clients ("client") and towards the upstream."""
        with self.lock:
            return {side: [s for s in socks if s.fileno() != -1]
                    for side, socks in self._socks.items()}

    def draw(self) -> str | None:
        with self.lock:
            if self.share and self.random.random() < self.share:
                # Rotate through the kinds so each one shows up in a short run.
                fault = self.faults[sum(self.injected.values()) % len(self.faults)]
                self.injected[fault] += 1
                return fault
        return None

    def start(self) -> FaultProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
