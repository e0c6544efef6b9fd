"""SPLP adapter: pure client, mapping, sync and gateway check for the national service bus
(WSO2 API Manager publisher REST API v4). No CKAN imports; callers pass settings in.
"""
from __future__ import annotations

from .auth import ClientCredentials, TokenProvider
from .client import GatewayTarget, PublisherClient
from .connection import ConnectionReport, check_connection
from .errors import (
    SplpAuthError,
    SplpConfigurationError,
    SplpConflictError,
    SplpConnectionError,
    SplpError,
    SplpForbiddenError,
    SplpNotFoundError,
    SplpProtocolError,
    SplpRateLimitedError,
    SplpServerError,
    SplpTimeoutError,
    SplpValidationError,
)
from .gateway import GatewayCheckResult, check_gateway, gateway_url
from .mapping import (
    Comparison,
    FieldDiff,
    LidMappingError,
    MappingOptions,
    compare,
    compare_lid,
    map_lid,
)
from .sync import LidSyncResult, SyncOptions, sync_lids
from .transport import RetryPolicy, Timeouts

__all__ = [
    "ClientCredentials", "Comparison", "ConnectionReport", "FieldDiff", "GatewayCheckResult",
    "GatewayTarget", "LidMappingError", "LidSyncResult", "MappingOptions", "PublisherClient",
    "RetryPolicy", "SplpAuthError", "SplpConfigurationError", "SplpConflictError",
    "SplpConnectionError", "SplpError", "SplpForbiddenError", "SplpNotFoundError",
    "SplpProtocolError", "SplpRateLimitedError", "SplpServerError", "SplpTimeoutError",
    "SplpValidationError", "SyncOptions", "Timeouts", "TokenProvider", "check_connection",
    "check_gateway", "compare", "compare_lid", "gateway_url", "map_lid", "sync_lids",
]
