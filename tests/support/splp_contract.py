"""The WSO2 API Manager publisher REST API v4 contract (OpenAPI 3.0.1, ~665 KB), loaded once
per test process, and the checks the SPLP double runs with it on every exchange.

Vendored in ``tests/lid/contract/`` (source and licence in its README);
``$SPLPDEPOK_SPLP_CONTRACT`` may point at another copy. The contract's server is
``https://apis.wso2.com/api/am/publisher/v4``: the double
serves the same path on 127.0.0.1, and requests are validated as if sent to that origin.
"""
from __future__ import annotations

import functools
import os
import threading
import time
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.exceptions import OpenAPIError
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.validation.schemas import oas30_read_schema_validators_factory
from werkzeug.wrappers import Request, Response

FILE_NAME = "wso2-apim-publisher-api-v4.yaml"
ROOT = Path(__file__).resolve().parent.parent.parent
VENDORED = ROOT / "tests" / "lid" / "contract" / FILE_NAME
# Statuses the contract leaves out but WSO2's auth, throttling and error handlers return on
# every operation (their body is still the contract's Error object), and 409 from createAPI
# on a duplicate context/name, which WSO2 4.x returns although the contract lists 400/415.
PLATFORM_STATUSES = frozenset({401, 403, 429, 500, 502, 503, 504})
EXTRA_STATUSES = {"createAPI": frozenset({409})}


def contract_path() -> Path:
    configured = os.environ.get("SPLPDEPOK_SPLP_CONTRACT")
    if configured:
        return Path(configured)
    return VENDORED


class Contract:
    """The parsed contract plus the helpers the double needs; thread-safe."""

    def __init__(self, path: Path) -> None:
        started = time.perf_counter()
        self.openapi = OpenAPI.from_file_path(str(path))
        self.load_seconds = time.perf_counter() - started
        self.path = path
        server = (self.openapi.spec / "servers" / 0 / "url").contents()
        parsed = urlparse(server)
        self.origin = f"{parsed.scheme}://{parsed.netloc}"
        self.base_path = parsed.path.rstrip("/")
        self._finder = APICallPathFinder(self.openapi.spec)
        self._lock = threading.Lock()
        self._error_validator = oas30_read_schema_validators_factory.create(
            self.openapi.spec / "components" / "schemas" / "Error"
        )

    def request_adapter(self, request: Request) -> WerkzeugOpenAPIRequest:
        origin = self.origin

        class _AtContractOrigin(WerkzeugOpenAPIRequest):
            @property
            def host_url(self) -> str:
                return origin

        return _AtContractOrigin(request)

    def operation(self, method: str, path: str) -> tuple[str, str, dict[str, Any]] | None:
        """(operationId, path template, operation dict) for a request path, or None."""
        try:
            found = self._finder.find(method.lower(), self.origin + path)
        except OpenAPIError:
            return None
        operation = found.operation.contents()
        return (operation.get("operationId", ""), found.path_result.pattern, operation)

    def scopes(self, operation: dict[str, Any]) -> tuple[str, ...]:
        """OAuth2 scopes of an operation; WSO2 accepts a token holding any one of them."""
        requirements = operation.get("security")
        if requirements is None:
            requirements = (self.openapi.spec / "security").contents()
        scopes: list[str] = []
        for requirement in requirements or []:
            scopes.extend(requirement.get("OAuth2Security", []))
        return tuple(scopes)

    def check_request(self, request: Request) -> list[str]:
        """Contract violations of a request (empty when it conforms)."""
        with self._lock, warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unsupported scheme type")
            try:
                self.openapi.validate_request(self.request_adapter(request))
            except OpenAPIError as exc:
                return [describe(exc)]
        return []

    def check_response(
        self, request: Request, response: Response, operation_id: str, declared: set[int]
    ) -> list[str]:
        """Contract violations of a response to ``request``."""
        status = response.status_code
        if status not in declared:
            allowed = PLATFORM_STATUSES | EXTRA_STATUSES.get(operation_id, frozenset())
            if status not in allowed:
                return [f"{operation_id}: status {status} is not in the contract"]
            return self._check_error_body(response, operation_id)
        with self._lock, warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unsupported scheme type")
            try:
                self.openapi.validate_response(
                    self.request_adapter(request),
                    WerkzeugOpenAPIResponse(response),  # type: ignore[arg-type]
                )
            except OpenAPIError as exc:
                return [f"{operation_id} response {status}: {describe(exc)}"]
        return []

    def _check_error_body(self, response: Response, operation_id: str) -> list[str]:
        import json

        try:
            body = json.loads(response.get_data(as_text=True))
            self._error_validator.validate(body)
        except (ValueError, OpenAPIError) as exc:
            return [f"{operation_id} response {response.status_code}: not an Error: {exc}"]
        return []


def describe(exc: BaseException) -> str:
    """The exception and the schema errors underneath it, on one line."""
    parts = [f"{type(exc).__name__}: {exc}"]
    cause = exc.__cause__
    while cause is not None:
        errors = getattr(cause, "schema_errors", None)
        if errors:
            parts.extend(f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors)
        else:
            parts.append(str(cause))
        cause = cause.__cause__
    return " | ".join(parts)


@functools.cache
def load_contract() -> Contract:
    """The contract, parsed once per test process (it takes most of a second)."""
    return Contract(contract_path())
