"""A fault-injecting reverse proxy on loopback: 429, 500, slow answers and connection resets.

Sits in front of a real server; a seeded random draw decides, per request, whether to fail it
before it reaches the upstream (429/500/reset), after the upstream did the work (reset_after:
the client never learns that its create succeeded) or to answer slowly.
"""
from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

FAULTS = ("429", "500", "slow", "reset", "reset_after")


class FaultProxy:
    def __init__(self, upstream: str, share: float = 0.0, seed: int = 7,
                 faults: tuple[str, ...] = FAULTS, slow_seconds: float = 0.3) -> None:
        self.upstream = upstream.rstrip("/")
        self.share, self.faults, self.slow_seconds = share, faults, slow_seconds
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.injected: Counter[str] = Counter()
        self.forwarded: Counter[str] = Counter()
        self.down = False
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reset(self) -> None:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection",
                                           "content-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy.draw()
                if proxy.down or fault == "reset":
                    self._reset()
                    return
                if fault in ("429", "500"):
                    self._answer(int(fault), b"injected fault",
                                 {"Content-Type": "text/plain", "Retry-After": "0"})
                    return
                if fault == "slow":
                    time.sleep(proxy.slow_seconds)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "content-length", "connection")}
                resp = requests.request(self.command, proxy.upstream + self.path, data=body,
                                        headers=headers, allow_redirects=False, timeout=120)
                with proxy.lock:
                    proxy.forwarded[self.path.split("?")[0]] += 1
                if fault == "reset_after":
                    self._reset()
                    return
                self._answer(resp.status_code, resp.content, dict(resp.headers))

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

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
