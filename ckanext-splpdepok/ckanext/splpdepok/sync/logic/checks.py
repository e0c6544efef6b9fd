"""Connection checks of a target, stored as reports (``splpdepok_target_check``)."""
from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok import config
from ckanext.splpdepok.sync import messages, probe, readiness
from ckanext.splpdepok.sync.client import CkanClient, RetryPolicy, SyncError
from ckanext.splpdepok.sync.logic import catalog_checks, credentials
from ckanext.splpdepok.sync.logic.source import iter_selected, selection_query
from ckanext.splpdepok.sync.model import SyncCheck, SyncTarget


def _ckan_rows(target: SyncTarget, token: str | None, timeout: float) -> tuple[list, str | None]:
    rows, version = probe.ckan_status(target.url, token, timeout)
    if not rows[0]["ok"]:
        return rows, version
    wanted = sorted(set((target.org_map or {}).values()))
    started = time.perf_counter()
    if not wanted:
        rows.append({"check": "organizations", "ok": False, "ms": 0.0,
                     "detail": messages.NO_ORG_MAP})
        return rows, version
    client = CkanClient(target.url, token, timeout=timeout, retry=RetryPolicy(attempts=1))
    try:
        present = client.organization_names(wanted)
    except SyncError as exc:
        present, error = {}, str(exc)
    else:
        error = ""
    missing = [name for name in wanted if not present.get(name)]
    writable = set(next((r.get("organizations", []) for r in rows
                         if r["check"] == "credentials"), []))
    not_writable = [name for name in wanted if present.get(name) and name not in writable]
    detail = error or (
        f"{len(wanted) - len(missing)} of {len(wanted)} mapped organization(s) exist"
        + (f"; missing: {', '.join(missing)}" if missing else "")
        + (f"; the token may not create datasets in: {', '.join(not_writable)}"
           if not_writable else ""))
    rows.append({"check": "organizations", "ok": not missing and not not_writable and not error,
                 "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)})
    return rows, version


def _jabar_rows(target: SyncTarget, token: str | None, timeout: float) -> list:
    if target.jabar_mode == "export":
        return [{"check": "http", "ok": True, "ms": 0.0,
                 "detail": "Export mode: the JSON file is downloaded from this portal."}]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    row, resp = probe.probe_http(target.url, headers=headers, timeout=timeout)
    if resp is not None and resp.status_code < 500:
        row["ok"] = resp.status_code not in (401, 403)
    cred_ok = resp is not None and resp.status_code not in (401, 403)
    cred = {"check": "credentials", "ok": bool(token) and cred_ok, "ms": 0.0,
            "detail": ("The endpoint accepts the token." if token and cred_ok else
                       "No token configured." if not token else
                       "The endpoint refused the token (HTTP 401/403).")}
    return [row, cred]


def _harvest_rows(target: SyncTarget, timeout: float) -> list:
    """The harvester pulls from us: our public API must answer and show the selection."""
    site = tk.config.get("ckan.site_url", "").rstrip("/")
    rows = probe.probe_network(site, timeout)
    row, resp = probe.probe_http(f"{site}/api/3/action/package_search?rows=0&fq="
                                 + quote(selection_query(target.selection or {})),
                                 timeout=timeout)
    if resp is not None and resp.ok:
        try:
            row["detail"] += f", {resp.json()['result']['count']} public dataset(s) visible"
        except (ValueError, KeyError):
            row["ok"] = False
    rows.append(row)
    started = time.perf_counter()
    total = not_ready = 0
    for pkg in iter_selected(target.selection or {}):
        total += 1
        not_ready += bool(readiness.missing_fields(pkg, "harvest"))
    rows.append({"check": "readiness", "ok": not_ready == 0,
                 "ms": round((time.perf_counter() - started) * 1000, 1),
                 "detail": f"{total - not_ready} of {total} dataset(s) have every national "
                           "field the harvester needs."})
    return rows


def check_target(target: SyncTarget) -> SyncCheck:
    """Runs every check of the target's type and stores the report."""
    timeout = min(config.sync_timeout_seconds(), 15.0)
    token = credentials.resolve(target.credential_ref)
    version = None
    if target.type == "harvest":
        rows = _harvest_rows(target, timeout)
    elif target.type == "jabar" and not target.url:
        rows = _jabar_rows(target, token, timeout)  # export mode: no push address to probe
    else:
        rows = probe.probe_network(target.url, timeout)
        if all(r["ok"] for r in rows):
            if target.type == "ckan":
                more, version = _ckan_rows(target, token, timeout)
            else:
                more = _jabar_rows(target, token, timeout)
            rows.extend(more)
    if reads_remote_catalog(target):
        if target.type == "harvest":
            rows.append(catalog_checks.drift_row(target, timeout))
        else:
            rows.append(catalog_checks.jabar_row(target, timeout))
    for row in rows:
        row["detail"] = credentials.redact(str(row["detail"]), token)
    http = next((r for r in rows if r["check"] == "http"), None)
    report = SyncCheck(target_id=target.id, ok=all(r["ok"] for r in rows), results=rows,
                       latency_ms=http["ms"] if http else None, api_version=version)
    model.Session.add(report)
    model.Session.commit()
    return report


def summary(report: SyncCheck) -> dict[str, Any]:
    return report.dictize()


def reads_remote_catalog(target: SyncTarget) -> bool:
    """Whether the check reads a remote catalog (long: the pages send it to the worker)."""
    return bool(target.catalog_url) and target.type in ("harvest", "jabar")

