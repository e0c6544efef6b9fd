"""Connection check through the SPLP gateway (SOP step 16): call
``{gateway}/t/{tenant}/{context}/{version}{resource}`` with a bearer token and record the
status and the latency, naming the layer that failed (dns, tcp, tls, timeout, http_status).

The token is an application token subscribed to the API (not the publisher token); it is
never logged or returned.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlparse

import requests

from .errors import redact
from .mapping import clean_context
from .transport import NETWORK_HINTS, classify_network_error

log = logging.getLogger(__name__)

OK = "ok"
HTTP_STATUS = "http_status"
INVALID_URL = "invalid_url"

HTTP_HINTS = {
    401: "the gateway refused the token (WSO2 900901/900902): renew the application token",
    403: "the token is not subscribed to this API or lacks its scope",
    404: "no published, deployed API answers at this context/version in the tenant",
    429: "the subscription's throttling tier is exhausted",
}


@dataclass(frozen=True)
class GatewayCheckResult:
    """Outcome of one gateway call; ``failure`` is None when the status was 2xx."""

    url: str
    ok: bool
    status_code: int | None
    latency_ms: float
    failure: str | None
    message: str
    checked_at: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url, "ok": self.ok, "status_code": self.status_code,
            "latency_ms": round(self.latency_ms, 1), "failure": self.failure,
            "message": self.message, "checked_at": self.checked_at,
        }


def gateway_url(
    gateway: str, tenant_domain: str, context: str, version: str, resource_path: str = ""
) -> str:
    """``https://gw/t/depok.go.id/kependudukan/1.0.0/penduduk`` from its parts."""
    base = gateway.rstrip("/")
    tenant = quote(tenant_domain.strip("/"), safe=".-")
    path = quote(clean_context(context), safe="/-_.")
    resource = "/" + resource_path.lstrip("/") if resource_path else ""
    return f"{base}/t/{tenant}/{path}/{quote(version, safe='.-_')}{quote(resource, safe='/-_.?=&')}"


def check_gateway(
    gateway: str,
    tenant_domain: str,
    context: str,
    version: str,
    *,
    token: str | None,
    resource_path: str = "",
    timeout: tuple[float, float] = (5.0, 15.0),
    verify: bool | str = True,
    session: requests.Session | None = None,
) -> GatewayCheckResult:
    """One GET through the gateway; never raises for network or HTTP failures."""
    url = gateway_url(gateway, tenant_domain, context, version, resource_path)
    started_wall = time.time()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or not tenant_domain:
        return GatewayCheckResult(url, False, None, 0.0, INVALID_URL,
                                  "gateway URL and tenant domain are required", started_wall)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    http = session or requests.Session()
    started = time.perf_counter()
    try:
        response = http.get(url, headers=headers, timeout=timeout, verify=verify,
                            allow_redirects=False)
        latency = (time.perf_counter() - started) * 1000
    except requests.exceptions.RequestException as exc:
        latency = (time.perf_counter() - started) * 1000
        kind = classify_network_error(exc)
        message = f"{kind} failure: {NETWORK_HINTS[kind]}"
        log.warning("SPLP gateway check %s: %s after %.0f ms", url, kind, latency)
        return GatewayCheckResult(url, False, None, latency, kind, message, started_wall)
    finally:
        if session is None:
            http.close()
    status = response.status_code
    if 200 <= status < 300:
        log.info("SPLP gateway check %s: HTTP %d in %.0f ms", url, status, latency)
        return GatewayCheckResult(url, True, status, latency, None, OK, started_wall)
    hint = HTTP_HINTS.get(status) or (
        "the backend or the gateway failed" if status >= 500 else "unexpected answer"
    )
    body = redact((response.text or "")[:200].strip(), [token])
    message = f"HTTP {status}: {hint}" + (f" ({body})" if body else "")
    log.warning("SPLP gateway check %s: HTTP %d in %.0f ms", url, status, latency)
    return GatewayCheckResult(url, False, status, latency, HTTP_STATUS, message, started_wall)
