"""Check rows that read a remote catalog: national drift (``harvest``) and Jabar (``jabar``).

The local side is read first and the transaction ended (``commit``) before any remote call, so no
row lock or open transaction waits on the network. The remote side is bounded: a time-out per
request, a size cap per answer, the target's threads and rate limit and a time budget for the
drift lookups, a page cap for Jabar.
"""
from __future__ import annotations

import time
from typing import Any

from ckan import model
from ckanext.splpdepok import config
from ckanext.splpdepok.sync import drift, jabar_catalog
from ckanext.splpdepok.sync.client import RateLimiter
from ckanext.splpdepok.sync.logic.source import iter_selected
from ckanext.splpdepok.sync.model import SyncTarget
from ckanext.splpdepok.sync.remote_read import (
    NationalCatalog,
    ReadError,
    RemoteDataset,
    lookup_many,
)

JABAR_PAGE_SIZE = 100
JABAR_MAX_PAGES = 200


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def local_datasets() -> list[drift.LocalDataset]:
    """Every dataset of the portal the harvester may have seen: public, private, draft and
    withdrawn (deleted, not purged). The harvester takes every public dataset, whatever a
    target's selection says, so the drift check does too."""
    pkg = model.Package
    rows = (model.Session.query(pkg.id, pkg.name, pkg.title, pkg.state, pkg.private)
            .filter(pkg.type == "dataset", pkg.state.in_(("active", "deleted", "draft")))
            .order_by(pkg.name))
    return [drift.LocalDataset(r.id, r.name, r.title or "", r.state, bool(r.private))
            for r in rows]


def drift_row(target: SyncTarget, timeout: float) -> dict[str, Any]:
    """What the national catalog shows for each of our dataset ids."""
    started = time.perf_counter()
    base, api, threads = target.catalog_url, target.catalog_api, target.concurrency
    local = local_datasets()
    model.Session.commit()  # nothing of ours stays open while the network answers
    catalog = NationalCatalog(base, api, timeout)
    limiter = RateLimiter(target.rate_per_second)  # the target's politeness applies here too

    def lookup(dataset_id: str) -> RemoteDataset:
        limiter.wait()
        return catalog.package_show(dataset_id)

    remote = lookup_many([p.id for p in local], lookup, threads=threads,
                         budget_seconds=config.sync_check_budget_seconds())
    findings, counts = drift.compare(local, remote)
    detail = (f"{len(local)} dataset(s) looked up by id in the national catalog ({api}): "
              f"{counts['in_step']} in step, {counts['withdrawn_still_public']} withdrawn here "
              f"but public there, {counts['private_still_public']} private here but public "
              f"there, {counts['missing_remote']} missing there, {counts['unknown']} unknown.")
    return {"check": "drift", "ok": not findings, "ms": _ms(started), "detail": detail,
            "counts": {k: counts[k] for k in ("in_step", *drift.FINDINGS)},
            "items": [f.as_dict() for f in findings]}


def _ours(target: SyncTarget) -> list[jabar_catalog.Ours]:
    return [jabar_catalog.Ours(p["id"], p["name"], p.get("title") or p["name"],
                               (p.get("organization") or {}).get("title") or "")
            for p in iter_selected(target.selection or {})]


def jabar_row(target: SyncTarget, timeout: float) -> dict[str, Any]:
    """Which of our selected datasets the province lists for the city, matched by title."""
    started = time.perf_counter()
    base, region = target.catalog_url, target.regional_id
    ours = _ours(target)
    model.Session.commit()
    try:
        theirs = jabar_catalog.read_catalog(base, region, page_size=JABAR_PAGE_SIZE,
                                            max_pages=JABAR_MAX_PAGES, timeout=timeout)
    except ReadError as exc:
        return {"check": "jabar_catalog", "ok": False, "ms": _ms(started), "items": [],
                "detail": f"The province's catalog could not be read: {exc}."}
    result = jabar_catalog.compare(ours, theirs)
    items = [{"finding": "present", "id": p.id, "name": p.name, "title": p.title,
              "jabar_name": j.name, "jabar_skpd": j.skpd} for p, j in result.present]
    items += [{"finding": "missing", "id": p.id, "name": p.name, "title": p.title,
               "jabar_name": "", "jabar_skpd": ""} for p in result.missing]
    items += [{"finding": "only_there", "id": "", "name": "", "title": "",
               "jabar_name": j.name, "jabar_skpd": j.skpd} for j in result.only_there]
    counts = {"ours": len(ours), "theirs": len(theirs), "present": len(result.present),
              "missing": len(result.missing), "only_there": len(result.only_there)}
    detail = (f"The province lists {len(theirs)} dataset(s) for regional_id={region}; "
              f"{len(result.present)} of our {len(ours)} are there, {len(result.missing)} "
              f"missing; {len(result.only_there)} of theirs match none of ours.")
    return {"check": "jabar_catalog", "ok": not result.missing, "ms": _ms(started),
            "detail": detail, "counts": counts, "items": items}
