"""Network probes of a target's address: DNS, TCP, TLS, HTTP (pure code, no CKAN context).

Each probe returns ``{"check", "ok", "detail", "ms"}`` rows, so a report says which layer failed.
"""
from __future__ import annotations

import logging
import socket
import ssl
import time
from typing import Any
from urllib.parse import urlparse

import requests
from ckanext.splpdepok.sync import messages

Row = dict[str, Any]
log = logging.getLogger(__name__)


def _row(check: str, ok: bool, detail: str, started: float) -> Row:
    return {"check": check, "ok": ok, "detail": detail,
            "ms": round((time.perf_counter() - started) * 1000, 1)}


def probe_network(url: str, timeout: float = 10.0) -> list[Row]:
    """DNS resolution, TCP connect and (for https) the TLS handshake of ``url``'s host."""
    parsed = urlparse(url)
    host = parsed.hostname or ""
    if parsed.scheme not in ("http", "https") or not host:
        return [{"check": "dns", "ok": False, "ms": 0.0,
                 "detail": messages.NOT_HTTP % {"url": url}}]
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        address = infos[0][4][0]
        rows.append(_row("dns", True, f"{host} -> {address}", started))
    except OSError as exc:
        log.info("DNS lookup of %s failed: %s", host, exc)
        rows.append(_row("dns", False, messages.NET_DNS % {"host": host}, started))
        return rows
    started = time.perf_counter()
    try:
        sock = socket.create_connection((address, port), timeout=timeout)
        rows.append(_row("tcp", True, messages.TCP_OK % {"address": f"{address}:{port}"},
                         started))
    except OSError as exc:
        log.info("TCP connect to %s:%s failed: %s", address, port, exc)
        rows.append(_row("tcp", False, messages.network_error(exc, f"{host}:{port}"), started))
        return rows
    with sock:
        if parsed.scheme == "https":
            started = time.perf_counter()
            try:
                context = ssl.create_default_context()
                with context.wrap_socket(sock, server_hostname=host) as tls:
                    cert = tls.getpeercert() or {}
                    rows.append(_row("tls", True, messages.TLS_OK % {
                        "version": tls.version(), "until": cert.get("notAfter", "?")}, started))
            except (ssl.SSLError, OSError) as exc:
                log.info("TLS handshake with %s failed: %s", host, exc)
                rows.append(_row("tls", False, messages.NET_TLS % {"host": host}, started))
        else:
            rows.append({"check": "tls", "ok": True, "ms": 0.0,
                         "detail": messages.PLAIN_HTTP})
    return rows


def probe_http(url: str, *, headers: dict[str, str] | None = None,
               timeout: float = 10.0) -> tuple[Row, requests.Response | None]:
    """One GET; the row carries the status and the latency."""
    started = time.perf_counter()
    try:
        resp = requests.get(url, headers=headers or {}, timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:
        log.info("GET %s failed: %s: %s", url, type(exc).__name__, exc)
        return _row("http", False, messages.network_error(exc, messages.host_of(url)),
                    started), None
    ok = resp.status_code < 400
    detail = f"GET {urlparse(url).path or '/'} -> HTTP {resp.status_code}"
    return _row("http", ok, detail, started), resp


def ckan_status(base: str, token: str | None,
                timeout: float = 10.0) -> tuple[list[Row], str | None]:
    """HTTP status, API version and whether the token is accepted, on a remote CKAN."""
    base = base.rstrip("/")
    rows: list[Row] = []
    row, resp = probe_http(f"{base}/api/3/action/status_show", timeout=timeout)
    version = None
    if resp is not None and resp.ok:
        try:
            version = resp.json()["result"]["ckan_version"]
            row["detail"] += f", CKAN {version}"
        except (ValueError, KeyError, TypeError):
            row["ok"] = False
            row["detail"] += " (not a CKAN action API answer)"
    rows.append(row)
    if resp is None or not row["ok"]:
        return rows, version
    started = time.perf_counter()
    if not token:
        rows.append(_row("credentials", False, messages.NO_CREDENTIAL, started))
        return rows, version
    try:
        answer = requests.post(f"{base}/api/3/action/organization_list_for_user",
                               json={"permission": "create_dataset"},
                               headers={"Authorization": token}, timeout=timeout)
        body = answer.json()
        orgs = [o["name"] for o in body.get("result") or []] if body.get("success") else None
    except (requests.RequestException, ValueError):
        orgs = None
    if not orgs:
        rows.append(_row("credentials", False, messages.TOKEN_REFUSED, started))
    else:
        rows.append(_row("credentials", True, messages.TOKEN_OK % {"count": len(orgs)},
                         started))
        rows[-1]["organizations"] = orgs
    return rows, version
