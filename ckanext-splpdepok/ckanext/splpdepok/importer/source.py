"""Reading the old portal (CKAN 2.8/2.9 action API) through ckanapi, with bounded retries.

Pure code (no CKAN context). Calls go through the sync capability's ``CkanClient``: ckanapi's
``RemoteCKAN`` with a time-out on every request and tenacity retries on HTTP 429/5xx, time-outs
and connection resets. Datasets are paged with ``package_search`` (``sort=id asc``, private ones
too when a token is given); when the old portal's search does not answer (a broken Solr is common
on old portals), ``package_list`` + ``package_show`` is used instead, which only sees public
datasets.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import ckanapi
from ckanext.splpdepok.sync.client import CkanClient, RetryPolicy, SyncError, not_an_api_answer

PAGE = 100
Progress = Callable[[int, int], None]


def scrub(value: Any) -> Any:
    """Text PostgreSQL and a terminal can take: NUL characters removed, lone surrogates (valid
    JSON escapes, invalid text) replaced with U+FFFD. Applied to everything read."""
    if isinstance(value, str):
        if value.isascii() and "\x00" not in value:
            return value
        text = value.replace("\x00", "")
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


class SourceError(Exception):
    """The old portal cannot be read; the message says why."""


class OldPortal:
    def __init__(self, url: str, token: str | None = None, *, timeout: float = 30.0,
                 retry: RetryPolicy | None = None) -> None:
        self.url = url.rstrip("/")
        self.token = token or None
        self.client = CkanClient(self.url, self.token, timeout=timeout, retry=retry)
        self.method = "package_search"

    def call(self, action: str, **data: Any) -> Any:
        try:
            return scrub(self.client.call(action, **data))
        except ckanapi.NotFound:
            raise
        except SyncError as exc:  # no answer after the retries, or the token refused
            raise SourceError(str(exc)) from exc
        except ckanapi.CKANAPIError as exc:
            raise SourceError(not_an_api_answer(action)) from exc

    def version(self) -> str:
        status = self.call("status_show")
        if not isinstance(status, dict):
            raise SourceError(not_an_api_answer("status_show"))
        return str(status.get("ckan_version") or "?")

    def _names(self, action: str) -> list[str]:
        names: list[str] = []
        offset = 0
        while True:
            page = self.call(action, limit=PAGE, offset=offset)
            if not isinstance(page, list):
                raise SourceError(f"{action}: expected a list of names")
            fresh = [n for n in page if isinstance(n, str) and n not in names]
            names.extend(fresh)
            # An old CKAN that ignores limit/offset answers every page the same: stop there.
            if len(page) < PAGE or not fresh:
                return names
            offset += PAGE

    def groups(self, kind: str) -> list[dict[str, Any]]:
        """Every organization (``kind="organization"``) or group with its details."""
        out = []
        for name in self._names(f"{kind}_list"):
            try:
                item = self.call(f"{kind}_show", id=name, include_datasets=False,
                                 include_users=False, include_extras=False)
            except ckanapi.NotFound:
                continue
            if isinstance(item, dict):
                out.append(item)
        return out

    def _search(self, start: int, rows: int) -> dict[str, Any]:
        result = self.call("package_search", q="*:*", rows=rows, start=start, sort="id asc",
                           include_private=bool(self.token))
        if not isinstance(result, dict) or not isinstance(result.get("results"), list):
            raise SourceError(not_an_api_answer("package_search", "search"))
        return result

    def datasets(self, progress: Progress | None = None) -> list[dict[str, Any]]:
        """Every dataset the old portal shows (to the token's user, when given)."""
        try:
            return list(self._by_search(progress))
        except SourceError:
            self.method = "package_list"
            return list(self._by_list(progress))

    def _by_search(self, progress: Progress | None) -> Iterator[dict[str, Any]]:
        first = self._search(0, 0)
        total = int(first.get("count") or 0)
        seen: set[str] = set()
        start = 0
        while start < total:
            page = self._search(start, PAGE)["results"]
            if not page:
                return
            for pkg in page:
                if isinstance(pkg, dict) and pkg.get("id") not in seen:
                    seen.add(str(pkg.get("id")))
                    yield pkg
            start += len(page)
            if progress:
                progress(min(start, total), total)

    def _by_list(self, progress: Progress | None) -> Iterator[dict[str, Any]]:
        names = self._names("package_list")
        for done, name in enumerate(names, 1):
            try:
                pkg = self.call("package_show", id=name)
            except ckanapi.NotFound:
                pkg = None
            if isinstance(pkg, dict):
                yield pkg
            if progress:
                progress(done, len(names))
