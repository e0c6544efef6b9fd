"""What Satu Data Jawa Barat lists for the city (pure code, no CKAN import).

The province's public read API (no authentication)::

    GET {base}/api-backend/dataset/list?search=&sort=["mdate:desc"]&limit=L&skip=S
        &where=["dataset_class_id=3",["regional_id=N"]]
    -> {"error": 0, "data": [{"name": ..., "nama_skpd": ..., "metadata": [{"key", "value"}]}]}

Pages are read until one is shorter than the page size (or the answer's total is reached), at
most ``max_pages``. Our datasets are matched with the province's by normalised title
(``title_key``; the README states the rule).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from ckanext.splpdepok.sync import messages
from ckanext.splpdepok.sync.remote_read import USER_AGENT, ReadError, read_json

LIST_PATH = "/api-backend/dataset/list"
DATASET_CLASS = 3
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_REGION = re.compile(r"(?:^| )(?:di )?kota depok(?= |$)")


def list_query(regional_id: int, limit: int, skip: int) -> str:
    """The query string of one page, in the shape the province's own front end sends."""
    where = json.dumps([f"dataset_class_id={DATASET_CLASS}", [f"regional_id={regional_id}"]],
                       separators=(",", ":"))
    return urlencode([("search", ""), ("sort", '["mdate:desc"]'), ("limit", str(limit)),
                      ("skip", str(skip)), ("where", where)])


def title_key(title: str) -> str:
    """Normalised title: NFKC, case-folded, accents removed, every run of characters other than
    a-z and 0-9 made one space, the words "kota depok" (with a "di" before them) dropped
    wherever they stand (every dataset of the city's region is about the city), spaces
    collapsed and trimmed."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title or "").casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _NOT_ALNUM.sub(" ", text).strip()
    return " ".join(_REGION.sub(" ", text).split())


@dataclass(frozen=True)
class JabarDataset:
    name: str
    skpd: str
    metadata: dict[str, str]

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> JabarDataset:
        meta = {}
        for pair in item.get("metadata") or []:
            if isinstance(pair, dict) and pair.get("key"):
                meta[str(pair["key"])] = str(pair.get("value") or "")
        return cls(str(item.get("name") or ""),
                   str(item.get("nama_skpd") or item.get("organisasi_name") or ""), meta)


def _total(body: dict[str, Any]) -> int | None:
    meta = body.get("meta")
    for source in (meta if isinstance(meta, dict) else {}, body):
        for key in ("total_count", "total_record", "total"):
            if isinstance(source.get(key), int):
                return int(source[key])
    return None


def read_catalog(base: str, regional_id: int, *, page_size: int = 100, max_pages: int = 200,
                 timeout: float = 10.0) -> list[JabarDataset]:
    """Every dataset the province lists for ``regional_id`` (raises ``ReadError``)."""
    out: list[JabarDataset] = []
    base = base.rstrip("/")
    for page in range(max_pages):
        url = f"{base}{LIST_PATH}?{list_query(regional_id, page_size, page * page_size)}"
        try:
            resp = requests.get(url, timeout=timeout, stream=True, allow_redirects=False,
                                headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
        except requests.RequestException as exc:
            raise ReadError(messages.network_error(exc, messages.host_of(base))) from exc
        with resp:
            if resp.status_code != 200:
                raise ReadError(f"GET {LIST_PATH} -> HTTP {resp.status_code}")
            body = read_json(resp)
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise ReadError("the answer has no data[] list")
        if body.get("error") not in (None, 0, "0", False):
            raise ReadError(f"the province answered error={body.get('error')!r}")
        items = [i for i in body["data"] if isinstance(i, dict)]
        out.extend(JabarDataset.from_item(i) for i in items)
        total = _total(body)
        if len(items) < page_size or (total is not None and len(out) >= total):
            return out
    raise ReadError(f"more than {max_pages} pages of {page_size}: stopped reading")


@dataclass(frozen=True)
class Ours:
    id: str
    name: str
    title: str
    organization: str = ""


@dataclass
class Comparison:
    present: list[tuple[Ours, JabarDataset]] = field(default_factory=list)
    missing: list[Ours] = field(default_factory=list)
    only_there: list[JabarDataset] = field(default_factory=list)


def compare(ours: Iterable[Ours], theirs: Iterable[JabarDataset]) -> Comparison:
    """Which of our datasets the province has (same normalised title), which it lacks, and
    which of its datasets match none of ours. A title is matched at most once on each side."""
    pool: dict[str, list[JabarDataset]] = {}
    for item in theirs:
        pool.setdefault(title_key(item.name), []).append(item)
    result = Comparison()
    for pkg in sorted(ours, key=lambda p: (title_key(p.title), p.name)):
        candidates = pool.get(title_key(pkg.title)) or []
        if title_key(pkg.title) and candidates:
            result.present.append((pkg, candidates.pop(0)))
        else:
            result.missing.append(pkg)
    result.only_there = sorted((i for items in pool.values() for i in items),
                               key=lambda i: title_key(i.name))
    return result
