"""HTTP sending with bounded retries (tenacity) and classification of network failures.

Shared by the token provider, the publisher client and the gateway check, so that the same
failure gets the same name everywhere: ``dns``, ``tcp``, ``tls``, ``timeout``.
"""
from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import requests
import urllib3.exceptions as u3
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from .errors import (
    SplpConnectionError,
    SplpError,
    SplpRateLimitedError,
    SplpServerError,
    SplpTimeoutError,
    redact,
)

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to insist: attempts in all, exponential back-off bounds, overall deadline."""

    attempts: int = 4
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.25
    total_seconds: float = 60.0
    max_retry_after: float = 30.0


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for the TCP/TLS connection and then for each read."""

    connect: float = 5.0
    read: float = 30.0

    def as_tuple(self) -> tuple[float, float]:
        return (self.connect, self.read)


def _layer(current: BaseException) -> str | None:
    """The layer one exception of the chain names, if it names one."""
    if isinstance(current, u3.NameResolutionError):
        return "dns"
    # NewConnectionError subclasses ConnectTimeoutError in urllib3; refusals land here.
    if isinstance(current, u3.NewConnectionError) and "timed out" not in str(current):
        return "tcp"
    if isinstance(current, u3.ReadTimeoutError | u3.ConnectTimeoutError | TimeoutError):
        return "timeout"
    if isinstance(current, u3.SSLError | ssl.SSLError):
        return "tls"
    return None


def _linked(current: BaseException) -> list[BaseException]:
    """The exceptions ``current`` wraps: its reason, arguments, cause and context."""
    linked: list[BaseException] = []
    if isinstance(current, u3.MaxRetryError) and current.reason is not None:
        linked.append(current.reason)
    linked.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
    linked.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return linked


def classify_network_error(exc: BaseException) -> str:
    """Name the layer a ``requests`` failure happened at: dns, tcp, tls or timeout."""
    if isinstance(exc, requests.exceptions.Timeout):
        return "timeout"
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls"
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        layer = _layer(current)
        if layer is not None:
            return layer
        stack.extend(_linked(current))
    text = str(exc)
    dns = "Name or service not known" in text or "getaddrinfo" in text
    return "dns" if dns else "tcp"


NETWORK_HINTS = {
    "dns": "the host name does not resolve; check the configured URL and the server's DNS",
    "tcp": "the TCP connection was refused or reset; check the URL, port and firewall",
    "tls": "the TLS handshake failed; check https/http, the certificate and the CA bundle",
    "timeout": "no answer in time; SPLP may be overloaded, or the time-out is too short",
}


class _RetryableStatus(Exception):
    def __init__(self, response: requests.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class _BackoffWithRetryAfter:
    """Exponential back-off with jitter, stretched to honour a (bounded) Retry-After."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.exp = wait_exponential_jitter(
            initial=policy.backoff_initial, max=policy.backoff_max, jitter=policy.jitter
        )

    def __call__(self, state: RetryCallState) -> float:
        wait = float(self.exp(state)) if self.policy.backoff_initial > 0 else 0.0
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _RetryableStatus):
            header = exc.response.headers.get("Retry-After", "")
            if header.strip().isdigit():
                wait = max(wait, min(float(header), self.policy.max_retry_after))
        return wait


class Transport:
    """One ``requests`` session, a time-out pair and a retry policy."""

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        verify: bool | str = True,
        secrets: Callable[[], Iterable[str | None]] = lambda: (),
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.session = session or requests.Session()
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.verify = verify
        self._secrets = secrets
        self._sleep = sleep

    def redact(self, text: str) -> str:
        return redact(text, self._secrets())

    def send(self, method: str, url: str, *, operation: str, **kwargs: Any) -> requests.Response:
        """Send, retrying 429/5xx/time-outs/connection failures; return the final response.

        Any status outside :data:`RETRYABLE_STATUSES` is returned to the caller to map.
        Raises :class:`SplpRateLimitedError`, :class:`SplpServerError`,
        :class:`SplpTimeoutError` or :class:`SplpConnectionError` once retries run out.
        """
        policy = self.retry
        options: dict[str, Any] = {
            "stop": stop_after_attempt(max(1, policy.attempts))
            | stop_after_delay(policy.total_seconds),
            "wait": _BackoffWithRetryAfter(policy),
            "retry": retry_if_exception_type(
                (_RetryableStatus, requests.exceptions.Timeout, requests.exceptions.ConnectionError)
            ),
            "reraise": True,
            "before_sleep": self._log_retry(operation),
        }
        if self._sleep is not None:
            options["sleep"] = self._sleep
        kwargs.setdefault("timeout", self.timeouts.as_tuple())
        kwargs.setdefault("verify", self.verify)
        try:
            for attempt in Retrying(**options):
                with attempt:
                    response = self.session.request(method, url, **kwargs)
                    if response.status_code in RETRYABLE_STATUSES:
                        raise _RetryableStatus(response)
                    return response
        except _RetryableStatus as exc:
            raise self._status_error(exc.response, operation, policy.attempts) from None
        except requests.exceptions.RequestException as exc:
            raise self._network_error(exc, operation, url) from None
        raise SplpError(f"SPLP {operation}: no attempt was made", operation=operation)

    def _log_retry(self, operation: str) -> Callable[[RetryCallState], None]:
        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            what = (
                f"HTTP {exc.response.status_code}"
                if isinstance(exc, _RetryableStatus)
                else classify_network_error(exc) if exc else "failure"
            )
            wait = state.next_action.sleep if state.next_action else 0.0
            log.warning(
                "SPLP %s: %s on attempt %d; retrying in %.2fs",
                operation, what, state.attempt_number, wait,
            )

        return before_sleep

    def _status_error(
        self, response: requests.Response, operation: str, attempts: int
    ) -> SplpError:
        status = response.status_code
        detail = self.redact(short_body(response))
        if status == 429:
            return SplpRateLimitedError(
                f"SPLP {operation}: throttled (HTTP 429) on all {attempts} attempts; "
                f"run the sync again later or ask the SPLP operator for a higher tier. {detail}",
                status=status, operation=operation,
            )
        return SplpServerError(
            f"SPLP {operation}: server error HTTP {status} on all {attempts} attempts; SPLP "
            f"is failing on its side, try again later or report it to the SPLP operator. {detail}",
            status=status, operation=operation,
        )

    def _network_error(
        self, exc: requests.exceptions.RequestException, operation: str, url: str
    ) -> SplpError:
        kind = classify_network_error(exc)
        message = (
            f"SPLP {operation}: {kind} failure reaching {self.redact(url)} after "
            f"{self.retry.attempts} attempts: {NETWORK_HINTS[kind]}"
        )
        if kind == "timeout":
            return SplpTimeoutError(message, operation=operation, network_kind=kind)
        return SplpConnectionError(message, operation=operation, network_kind=kind)


def short_body(response: requests.Response, limit: int = 300) -> str:
    """The WSO2 error description of a response, or the start of its text."""
    try:
        body = response.json()
    except ValueError:
        text = (response.text or "").strip()
        return text[:limit]
    if isinstance(body, dict):
        parts = [str(body.get(k)) for k in ("code", "message", "description") if body.get(k)]
        return " / ".join(parts)[:limit]
    return str(body)[:limit]
