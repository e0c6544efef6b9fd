"""Remote catalogs as seen by a run: a CKAN action API (ckanapi) and the Jabar JSON endpoint.

Pure code: no CKAN context. Transient failures (HTTP 429/5xx, time-outs, connection resets) are
retried with exponential backoff by tenacity; everything else surfaces as a ``SyncError`` whose
message tells the walidata what to do.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import ckanapi
import requests
from ckanext.splpdepok.sync import messages
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

MARKER = "splpdepok_source_id"
USER_AGENT = "ckanext-splpdepok-sync/1.0"
T = TypeVar("T")
log = logging.getLogger(__name__)


class SyncError(Exception):
    """A dataset-level failure with an actionable message."""


class NameTaken(SyncError):
    """The remote name belongs to a dataset that is not ours."""


class TransientError(Exception):
    """A failure worth retrying (429, 5xx, time-out, reset)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
_NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout,
                   requests.exceptions.ChunkedEncodingError)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    backoff: float = 1.0
    max_wait: float = 30.0

    def retrying(self) -> Retrying:
        return Retrying(
            retry=retry_if_exception_type(TransientError),
            stop=stop_after_attempt(max(1, self.attempts)),
            wait=wait_random_exponential(multiplier=self.backoff, max=self.max_wait),
            reraise=True,
        )


class RateLimiter:
    """Spaces out calls shared by all worker threads (``rate`` calls per second, 0 = off)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def _network(exc: BaseException, url: str) -> TransientError:
    """A connection failure as a retryable error whose message is a plain sentence; the
    library's own text (errno and all) goes to the log only."""
    log.info("request to %s failed: %s: %s", messages.host_of(url), type(exc).__name__, exc)
    return TransientError(messages.network_error(exc, messages.host_of(url)))


class _RemoteCKAN(ckanapi.RemoteCKAN):
    """ckanapi's client, raising ``TransientError`` where a retry may succeed."""

    def _request_fn(self, url: str, data: Any, headers: Any, files: Any,
                    requests_kwargs: Any) -> tuple[int, str]:
        try:
            status, text = super()._request_fn(url, data, headers, files, requests_kwargs)
        except _NETWORK_ERRORS as exc:
            raise _network(exc, url) from exc
        if status in TRANSIENT_STATUS:
            raise TransientError(messages.http_error(status, messages.host_of(url)), status)
        return status, text

    def _request_fn_get(self, url: str, data_dict: Any, headers: Any,
                        requests_kwargs: Any) -> tuple[int, str]:
        try:
            status, text = super()._request_fn_get(url, data_dict, headers, requests_kwargs)
        except _NETWORK_ERRORS as exc:
            raise _network(exc, url) from exc
        if status in TRANSIENT_STATUS:
            raise TransientError(messages.http_error(status, messages.host_of(url)), status)
        return status, text


def not_an_api_answer(action: str, what: str = "action API") -> str:
    """A remote answered ``action`` with something that is not CKAN's. The answer itself is not
    echoed: the address may be an internal service."""
    return f"{action}: not a CKAN {what} answer"


def describe_validation(err: ckanapi.ValidationError) -> str:
    fields = err.error_dict if isinstance(err.error_dict, dict) else {}
    parts = [f"{k}: {v}" for k, v in fields.items() if k != "__type"]
    return "; ".join(parts) or str(err)


def _is_name_in_use(err: ckanapi.ValidationError) -> bool:
    # CKAN reports a list of messages per field
    msgs = cast("list[Any] | None",
                (err.error_dict or {}).get("name") if isinstance(err.error_dict, dict) else None)
    return bool(msgs) and any("already in use" in str(m) for m in msgs)


class CkanClient:
    """Pushes payloads to one remote CKAN; one instance per worker thread."""

    def __init__(self, url: str, token: str | None, *, timeout: float = 30.0,
                 retry: RetryPolicy | None = None, limiter: RateLimiter | None = None,
                 session: requests.Session | None = None) -> None:
        self.remote = _RemoteCKAN(url, apikey=token, user_agent=USER_AGENT,
                                  session=session or requests.Session())
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RateLimiter(0)
        self.calls: Counter = Counter()

    def call(self, action: str, **data: Any) -> Any:
        def once() -> Any:
            self.limiter.wait()
            self.calls[action] += 1
            return self.remote.call_action(action, data,
                                           requests_kwargs={"timeout": self.timeout})

        try:
            return self.retry.retrying()(once)
        except TransientError as exc:
            raise SyncError(messages.RETRY_CKAN % {
                "action": action, "attempts": self.retry.attempts, "reason": exc}) from exc
        except ckanapi.NotAuthorized as exc:
            raise SyncError(messages.REFUSED_CKAN % {"action": action}) from exc

    # -- dataset operations ---------------------------------------------------------------

    def find(self, name_or_id: str) -> dict | None:
        try:
            return self.call("package_show", id=name_or_id)
        except ckanapi.NotFound:
            return None

    @staticmethod
    def is_ours(remote: dict, package_id: str) -> bool:
        extras = {e.get("key"): e.get("value") for e in remote.get("extras") or []}
        return extras.get(MARKER) == package_id or remote.get(MARKER) == package_id

    @staticmethod
    def mark(payload: dict, package_id: str) -> dict:
        extras = [e for e in payload.get("extras") or [] if e.get("key") != MARKER]
        extras.append({"key": MARKER, "value": package_id})
        return {**payload, "extras": extras}

    def create(self, payload: dict, package_id: str) -> dict:
        """Creates the dataset; adopts it when a previous attempt already created it."""
        body = self.mark(payload, package_id)
        try:
            return self.call("package_create", **body)
        except ckanapi.ValidationError as exc:
            if not _is_name_in_use(exc):
                raise SyncError(f"The target rejected the dataset: {describe_validation(exc)}"
                                ) from exc
        existing = self.find(payload["name"])
        if existing is None or not self.is_ours(existing, package_id):
            raise NameTaken(
                f"The name '{payload['name']}' is taken on the target by a dataset this portal "
                "did not create; it was left untouched. Set a name prefix on the target or "
                "ask the target's admin to free the name.")
        return self.update(existing["id"], payload, package_id)

    def update(self, remote_id: str, payload: dict, package_id: str,
               remote_wins: frozenset[str] = frozenset()) -> dict:
        body = self.mark(payload, package_id)
        if remote_wins:
            current = self.find(remote_id)
            if current is not None:
                for key in remote_wins:
                    if key in current:
                        body[key] = current[key]
        body["id"] = remote_id
        try:
            return self.call("package_update", **body)
        except ckanapi.NotFound:
            # Purged remotely: create it again under the same name.
            body.pop("id")
            return self.create(payload, package_id)
        except ckanapi.ValidationError as exc:
            raise SyncError(f"The target rejected the update: {describe_validation(exc)}"
                            ) from exc

    def withdraw(self, remote_id: str | None, remote_name: str | None, package_id: str,
                 mode: str) -> None:
        """Deletes (or makes private) our remote copy; a missing copy counts as withdrawn."""
        if not remote_id:
            existing = self.find(remote_name) if remote_name else None
            if existing is None or not self.is_ours(existing, package_id):
                return
            remote_id = existing["id"]
        try:
            if mode == "private":
                self.call("package_patch", id=remote_id, private=True)
            else:
                self.call("package_delete", id=remote_id)
        except ckanapi.NotFound:
            return

    def organization_names(self, names: list[str]) -> dict[str, bool]:
        present: dict[str, bool] = {}
        for name in names:
            try:
                self.call("organization_show", id=name, include_datasets=False)
                present[name] = True
            except ckanapi.NotFound:
                present[name] = False
        return present


class JabarClient:
    """Sends the province's key/value shape as JSON: PUT {url}/{name}; DELETE withdraws."""

    def __init__(self, url: str, token: str | None, *, timeout: float = 30.0,
                 retry: RetryPolicy | None = None, limiter: RateLimiter | None = None,
                 session: requests.Session | None = None) -> None:
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RateLimiter(0)
        self.calls: Counter = Counter()

    def _send(self, method: str, name: str, body: dict | None = None) -> requests.Response:
        def once() -> requests.Response:
            self.limiter.wait()
            self.calls[method] += 1
            try:
                resp = self.session.request(method, f"{self.url}/{name}", json=body,
                                            timeout=self.timeout)
            except _NETWORK_ERRORS as exc:
                raise _network(exc, self.url) from exc
            if resp.status_code in TRANSIENT_STATUS:
                raise TransientError(messages.http_error(resp.status_code,
                                                         messages.host_of(self.url)),
                                     resp.status_code)
            return resp

        try:
            resp = self.retry.retrying()(once)
        except TransientError as exc:
            raise SyncError(messages.RETRY_JABAR % {
                "attempts": self.retry.attempts, "reason": exc}) from exc
        if resp.status_code in (401, 403):
            raise SyncError(messages.JABAR_CREDENTIAL % {"status": resp.status_code})
        if method == "DELETE" and resp.status_code == 404:
            return resp
        if resp.status_code >= 400:
            raise SyncError(f"The Jabar endpoint rejected the dataset (HTTP {resp.status_code}: "
                            f"{resp.text[:200]})")
        return resp

    def push(self, name: str, payload: dict) -> dict:
        self._send("PUT", name, payload)
        return {"id": name, "name": name}

    def withdraw(self, name: str) -> None:
        self._send("DELETE", name)


def with_client(factory: Callable[[], T]) -> Callable[[], T]:
    """One client per thread (requests sessions are not shared across threads)."""
    local = threading.local()

    def get() -> T:
        if not hasattr(local, "client"):
            local.client = factory()
        return local.client

    return get

