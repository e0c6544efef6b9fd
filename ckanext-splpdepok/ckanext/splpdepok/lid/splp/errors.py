"""Exception types of the SPLP adapter, and the masking that keeps secrets out of them.

Every message says what went wrong and what the operator can do about it; none carries a
client secret or an access token (messages built from remote bodies are passed through
:func:`redact` first).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MASK = "***"


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every occurrence of each non-empty secret in ``text`` by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text


class SplpError(Exception):
    """Base of every error raised by the SPLP adapter.

    ``status`` is the HTTP status (None for network failures), ``code`` the WSO2 error code
    when the body carried one, ``operation`` the publisher operation (e.g. ``createAPI``),
    ``kind`` a stable name for the failure class (for records and translations).
    """

    kind = "error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | str | None = None,
        operation: str | None = None,
        network_kind: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.operation = operation
        # dns, tcp, tls or timeout when the network failed before any HTTP answer.
        self.network_kind = network_kind
        # What names the cause (setting or variable names, never their values).
        self.details: dict[str, Any] = dict(details or {})

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, status={self.status!r}, "
            f"code={self.code!r}, operation={self.operation!r})"
        )


class SplpConfigurationError(SplpError):
    """The adapter was set up wrongly (missing URL or credentials)."""

    kind = "configuration"


class SplpAuthError(SplpError):
    """Credentials refused (401 from the token endpoint, or twice from the API)."""

    kind = "credentials"


class SplpForbiddenError(SplpError):
    """The token is valid but lacks the scope (or role) the operation needs (403)."""

    kind = "scopes"


class SplpNotFoundError(SplpError):
    """The API (or revision) does not exist in SPLP (404)."""

    kind = "not_found"


class SplpConflictError(SplpError):
    """SPLP already has an API with this context/name and version (409)."""

    kind = "conflict"


class SplpValidationError(SplpError):
    """SPLP rejected the payload (400/412/415): the LID entry needs fixing."""

    kind = "invalid"


class SplpRateLimitedError(SplpError):
    """SPLP kept answering 429 after every retry."""

    kind = "rate_limited"


class SplpServerError(SplpError):
    """SPLP kept failing with 5xx after every retry."""

    kind = "server"


class SplpTimeoutError(SplpError):
    """SPLP did not answer in time, after every retry."""

    kind = "timeout"


class SplpConnectionError(SplpError):
    """SPLP could not be reached at all (DNS, TCP or TLS failure)."""

    kind = "connection"


class SplpProtocolError(SplpError):
    """SPLP answered something the contract does not allow (e.g. not JSON)."""

    kind = "protocol"
