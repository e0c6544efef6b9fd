"""Loopback HTTP servers for the catalog checks, for the two peers that cannot run here.

- ``JabarCatalogServer`` speaks Satu Data Jabar's public read shape
  (``GET /api-backend/dataset/list``) and answers **400** to any request whose query does not
  carry the shape the province's front end sends (search, sort, limit, skip, where), so a test
  proves the request, not only the parsing.
- ``ProxyForwarder`` is data.go.id's ``POST /api/proxy``: it checks the envelope
  (``endpoint``, ``method``, ``body``, ``token``), forwards the GET to a real CKAN and answers
  ``{"status": "200 OK", "message": ..., "result": ...}``; ``before_forward`` runs while the
  caller waits for the answer.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests

Handler = Callable[[BaseHTTPRequestHandler], tuple[int, Any]]


class _Server:
    def __init__(self, handle: Handler) -> None:
        self.requests: list[dict[str, Any]] = []

        class _H(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                status, body = handle(self)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class JabarCatalogServer(_Server):
    """``datasets``: {regional_id: [items]}; items are served newest first, ``limit``/``skip``
    paged. Every request is recorded (parsed query) in ``self.requests``."""

    def __init__(self, datasets: dict[int, list[dict[str, Any]]]) -> None:
        self.datasets = datasets
        super().__init__(self._handle)

    def _handle(self, h: BaseHTTPRequestHandler) -> tuple[int, Any]:
        parsed = urlparse(h.path)
        query = parse_qs(parsed.query, keep_blank_values=True)
        self.requests.append({"method": h.command, "path": parsed.path, "query": query})
        if h.command != "GET" or parsed.path != "/api-backend/dataset/list":
            return 404, {"error": 1, "message": "not found"}
        problem = self._bad_query(query)
        if problem:
            return 400, {"error": 1, "message": problem}
        where = json.loads(query["where"][0])
        region = int(where[1][0].split("=", 1)[1])
        limit, skip = int(query["limit"][0]), int(query["skip"][0])
        items = self.datasets.get(region, [])
        return 200, {"error": 0, "message": "OK", "data": items[skip:skip + limit],
                     "meta": {"limit": limit, "skip": skip}}

    @staticmethod
    def _bad_query(query: dict[str, list[str]]) -> str:
        if set(query) != {"search", "sort", "limit", "skip", "where"}:
            return f"expected search, sort, limit, skip, where; got {sorted(query)}"
        if any(len(v) != 1 for v in query.values()):
            return "a parameter is repeated"
        if query["sort"][0] != '["mdate:desc"]':
            return "sort must be [\"mdate:desc\"]"
        if not (query["limit"][0].isdigit() and query["skip"][0].isdigit()):
            return "limit and skip are whole numbers"
        if not 1 <= int(query["limit"][0]) <= 1000:
            return "limit is 1-1000"
        return JabarCatalogServer._bad_where(query["where"][0])

    @staticmethod
    def _bad_where(text: str) -> str:
        try:
            where = json.loads(text)
        except ValueError:
            return "where is not JSON"
        if (not isinstance(where, list) or len(where) != 2 or where[0] != "dataset_class_id=3"
                or not isinstance(where[1], list) or len(where[1]) != 1
                or not str(where[1][0]).startswith("regional_id=")
                or not str(where[1][0]).split("=", 1)[1].isdigit()):
            return "where must be [\"dataset_class_id=3\",[\"regional_id=N\"]]"
        return ""


class ProxyForwarder(_Server):
    """data.go.id's proxy shape in front of a real CKAN (``upstream``)."""

    def __init__(self, upstream: str,
                 before_forward: Callable[[], None] | None = None) -> None:
        self.upstream = upstream.rstrip("/")
        self.before_forward = before_forward
        super().__init__(self._handle)

    def _handle(self, h: BaseHTTPRequestHandler) -> tuple[int, Any]:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        self.requests.append({"method": h.command, "path": h.path, "body": raw})
        if h.command != "POST" or h.path != "/api/proxy":
            return 404, {"status": "404 Not Found", "message": "no such route", "result": None}
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, {"status": "400 Bad Request", "message": "not JSON", "result": None}
        if (not isinstance(body, dict) or set(body) != {"endpoint", "method", "body", "token"}
                or body["method"] != "GET" or body["body"] != {}
                or not str(body["endpoint"]).startswith("/api/3/action/")):
            return 400, {"status": "400 Bad Request", "message": "bad envelope", "result": None}
        if self.before_forward is not None:
            self.before_forward()  # e.g. look at the caller's database while it waits
        resp = requests.get(self.upstream + body["endpoint"], timeout=30)
        answer = resp.json()
        status = f"{resp.status_code} {resp.reason}"
        if answer.get("success"):
            return 200, {"status": status, "message": "Success", "result": answer["result"]}
        return 200, {"status": status, "message": (answer.get("error") or {}).get("message"),
                     "result": None}
