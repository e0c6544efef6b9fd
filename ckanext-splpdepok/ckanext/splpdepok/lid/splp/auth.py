"""OAuth2 client-credentials tokens from SPLP's ``/oauth2/token``, cached until shortly before
they expire and renewed once when the API says the token is no longer valid.

The client id and secret come from the caller (settings or environment). They are never
logged and never shown: :class:`ClientCredentials` masks both in ``repr``/``str``.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .errors import MASK, SplpAuthError, SplpConfigurationError, SplpProtocolError
from .transport import Transport, short_body

log = logging.getLogger(__name__)

# Least privilege: list/read, create/update/revise/deploy, publish.
DEFAULT_SCOPES: tuple[str, ...] = ("apim:api_view", "apim:api_create", "apim:api_publish")


@dataclass(frozen=True)
class ClientCredentials:
    """An OAuth2 client (consumer key/secret) registered in SPLP for this portal."""

    client_id: str = field(repr=False)
    client_secret: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.client_id or not self.client_secret:
            raise SplpConfigurationError(
                "SPLP client id and secret are both required; set them in the portal settings "
                "or environment before connecting to SPLP"
            )

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={MASK!r}, client_secret={MASK!r})"

    __str__ = __repr__

    def secrets(self) -> tuple[str, str]:
        return (self.client_id, self.client_secret)


@dataclass
class _Token:
    value: str
    expires_at: float
    scopes: frozenset[str]

    def __repr__(self) -> str:
        return f"_Token(value={MASK!r}, expires_at={self.expires_at!r})"


class TokenProvider:
    """Fetches and caches an access token; thread-safe.

    ``refresh_margin`` seconds before expiry the token counts as stale (never more than half
    of its lifetime, so very short-lived tokens are still used).
    """

    def __init__(
        self,
        token_url: str,
        credentials: ClientCredentials,
        transport: Transport,
        *,
        scopes: Iterable[str] = DEFAULT_SCOPES,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token_url = token_url
        self._credentials = credentials
        self._transport = transport
        self.scopes = tuple(scopes)
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._token: _Token | None = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    def __repr__(self) -> str:
        return f"TokenProvider(token_url={self.token_url!r}, credentials={self._credentials!r})"

    def secrets(self) -> tuple[str | None, ...]:
        """Everything that must never be shown: client id/secret and the current token."""
        token = self._token.value if self._token else None
        return (*self._credentials.secrets(), token)

    @property
    def granted_scopes(self) -> frozenset[str]:
        return self._token.scopes if self._token else frozenset()

    def token(self) -> str:
        """A valid access token, fetched again when the cached one is (nearly) expired."""
        with self._lock:
            if self._token is None or self._clock() >= self._token.expires_at:
                self._token = self._fetch()
            return self._token.value

    def invalidate(self, value: str | None = None) -> None:
        """Forget the cached token (only if it is still ``value``, when given)."""
        with self._lock:
            if self._token is not None and (value is None or self._token.value == value):
                self._token = None

    def _fetch(self) -> _Token:
        response = self._transport.send(
            "POST",
            self.token_url,
            operation="token",
            data={"grant_type": "client_credentials", "scope": " ".join(self.scopes)},
            auth=(self._credentials.client_id, self._credentials.client_secret),
            headers={"Accept": "application/json"},
        )
        self.fetch_count += 1
        if response.status_code in (400, 401, 403):
            detail = self._transport.redact(short_body(response))
            raise SplpAuthError(
                f"SPLP token endpoint refused the client credentials (HTTP "
                f"{response.status_code}: {detail}); check the SPLP client id and secret in the "
                f"portal settings and that the client may use the client_credentials grant",
                status=response.status_code, operation="token",
            )
        if response.status_code != 200:
            raise SplpProtocolError(
                f"SPLP token endpoint answered HTTP {response.status_code}; expected 200",
                status=response.status_code, operation="token",
            )
        try:
            body = response.json()
            value = str(body["access_token"])
            lifetime = float(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise SplpProtocolError(
                "SPLP token endpoint answered without a usable access_token/expires_in",
                status=response.status_code, operation="token",
            ) from None
        granted = frozenset(str(body.get("scope", "")).split())
        margin = min(self.refresh_margin, lifetime / 2)
        missing = set(self.scopes) - granted if granted else set()
        if missing:
            log.warning("SPLP token lacks requested scopes: %s", " ".join(sorted(missing)))
        log.info("SPLP access token obtained, valid for %.0fs", lifetime)
        return _Token(value=value, expires_at=self._clock() + lifetime - margin, scopes=granted)
