"""Bounded reads of remote catalogs for the checks (pure code, no CKAN import).

- ``NationalCatalog``: ``package_show`` by id on the national catalog, either a plain CKAN action
  API (``GET {base}/api/3/action/package_show?id=``) or data.go.id's proxy
  (``POST {base}/api/proxy`` with ``{"endpoint", "method", "body", "token"}``, answered as
  ``{"status": "200 OK", "message": ..., "result": ...}``).
- ``lookup_many``: many lookups with a few threads, inside a time budget.

Every request has a time-out and a cap on the answer's size; nothing here retries for long.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
from ckanext.splpdepok.sync import messages

USER_AGENT = "ckanext-splpdepok-check/1.0"
MAX_BODY_BYTES = 8 * 1024 * 1024
API_FORMS = ("ckan", "proxy")


class ReadError(Exception):
    """The remote answered in a way that says nothing about the dataset (down, not JSON...)."""


def read_json(resp: requests.Response, limit: int = MAX_BODY_BYTES) -> Any:
    """The JSON body of a streamed answer, refusing bodies above ``limit`` bytes."""
    chunks, size = [], 0
    for chunk in resp.iter_content(65536):
        size += len(chunk)
        if size > limit:
            resp.close()
            raise ReadError(f"answer larger than {limit // (1024 * 1024)} MB")
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks).decode(resp.encoding or "utf-8", "replace"))
    except ValueError as exc:
        raise ReadError(f"not JSON (HTTP {resp.status_code})") from exc


@dataclass(frozen=True)
class RemoteDataset:
    """What an anonymous reader of the national catalog sees for one id."""

    id: str
    public: bool  # visible, active and not private
    name: str = ""
    title: str = ""
    error: str = ""  # set when the lookup failed: nothing is known


class NationalCatalog:
    """``package_show`` on the national catalog, plain CKAN or data.go.id's proxy form."""

    def __init__(self, base: str, api: str = "ckan", timeout: float = 10.0) -> None:
        if api not in API_FORMS:
            raise ValueError(f"api must be one of {API_FORMS}")
        self.base, self.api, self.timeout = base.rstrip("/"), api, timeout

    def _ckan(self, endpoint: str) -> tuple[int, Any]:
        resp = requests.get(self.base + endpoint, timeout=self.timeout, stream=True,
                            headers={"User-Agent": USER_AGENT}, allow_redirects=False)
        with resp:
            return resp.status_code, read_json(resp)

    def _proxy(self, endpoint: str) -> tuple[int, Any]:
        body = {"endpoint": endpoint, "method": "GET", "body": {}, "token": ""}
        resp = requests.post(f"{self.base}/api/proxy", json=body, timeout=self.timeout,
                             stream=True, headers={"User-Agent": USER_AGENT},
                             allow_redirects=False)
        with resp:
            envelope = read_json(resp)
        if not isinstance(envelope, dict) or "status" not in envelope:
            raise ReadError(f"not a proxy envelope (HTTP {resp.status_code})")
        status = str(envelope.get("status") or "")
        code = int(status[:3]) if status[:3].isdigit() else resp.status_code
        result = envelope.get("result")
        # The proxy may pass CKAN's own envelope through in ``result``, or only its result.
        if isinstance(result, dict) and "success" in result and "help" in result:
            return code, result
        return code, {"success": code == 200, "result": result,
                      "error": {"message": envelope.get("message")}}

    def package_show(self, dataset_id: str) -> RemoteDataset:
        endpoint = "/api/3/action/package_show?id=" + quote(dataset_id, safe="")
        try:
            code, body = (self._proxy if self.api == "proxy" else self._ckan)(endpoint)
        except requests.RequestException as exc:
            return RemoteDataset(dataset_id, False,
                                 error=messages.network_error(exc, messages.host_of(self.base)))
        except ReadError as exc:
            return RemoteDataset(dataset_id, False, error=str(exc))
        if code in (403, 404):  # not there, or not visible to the public
            return RemoteDataset(dataset_id, False)
        if code != 200 or not isinstance(body, dict) or not body.get("success"):
            return RemoteDataset(dataset_id, False, error=f"unexpected answer (HTTP {code})")
        pkg = body.get("result")
        if not isinstance(pkg, dict) or str(pkg.get("id", "")) != dataset_id:
            return RemoteDataset(dataset_id, False, error="the answer is not this dataset")
        public = pkg.get("state", "active") == "active" and not pkg.get("private")
        return RemoteDataset(dataset_id, public, str(pkg.get("name") or ""),
                             str(pkg.get("title") or ""))


def lookup_many(ids: Iterable[str], lookup: Callable[[str], RemoteDataset], *,
                threads: int = 4, budget_seconds: float = 300.0) -> dict[str, RemoteDataset]:
    """Looks every id up with ``threads`` workers; ids not started within the budget are
    returned with an error (never silently left out)."""
    deadline = time.monotonic() + budget_seconds

    def one(dataset_id: str) -> RemoteDataset:
        if time.monotonic() > deadline:
            return RemoteDataset(dataset_id, False, error="not checked: time budget used up")
        return lookup(dataset_id)

    unique = list(dict.fromkeys(ids))
    with ThreadPoolExecutor(max_workers=max(1, min(threads, 16))) as pool:
        return {r.id: r for r in pool.map(one, unique)}
