"""A local stand-in for SPLP (national WSO2 API Manager, multi-tenant) on 127.0.0.1.

It serves the token endpoint, the publisher operations the adapter uses and a gateway at
``/t/{tenant}/{context}/{version}/...``. EVERY publisher request and response is checked
against the reference OpenAPI contract (see ``splp_contract``); mismatches are recorded and
the ``splp_double`` fixture fails the test at teardown when any is left. Faults can be
injected: expired tokens, duplicate contexts, 5xx, 429, slow answers.

Use: ``from tests.support.splp_double import splp_double`` in a conftest, then
``def test_x(splp_double): ...``.
"""
from __future__ import annotations

import base64
import json
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from tests.support.splp_contract import Contract, load_contract
from tests.support.splp_faults import (
    FAULT_KINDS,
    Fault,
    IssuedToken,
    RecordedRequest,
    apply_fault,
    wso2_error,
)
from tests.support.splp_faults import (
    json_response as answer,
)
from tests.support.splp_state import PublisherStore, StoreError

TENANT = "depok.go.id"
DEFAULT_SCOPES = frozenset({"apim:api_view", "apim:api_create", "apim:api_publish",
                            "apim:api_manage", "apim:api_delete", "default"})


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Requests are in ``SplpDouble.requests``; keep the test log for the adapter's own."""


@dataclass
class SplpDouble:
    tenant_domain: str = TENANT
    client_id: str = field(default_factory=lambda: "cid-" + secrets.token_hex(8), repr=False)
    client_secret: str = field(default_factory=lambda: "csecret-" + secrets.token_hex(16),
                               repr=False)
    allowed_scopes: frozenset[str] = DEFAULT_SCOPES
    token_lifetime: int = 3600
    seed: int = 20240502

    def __post_init__(self) -> None:
        self.contract: Contract = load_contract()
        self.store = PublisherStore(self.tenant_domain, f"admin@{self.tenant_domain}")
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.tokens: dict[str, IssuedToken] = {}
        self.tokens_issued = 0
        self._rng = random.Random(self.seed)
        self._lock = threading.RLock()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        self.gateway_url = ""

    # -- life ---------------------------------------------------------------------------

    def start(self) -> SplpDouble:
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True,
                                   request_handler=_QuietHandler)
        port = self._server.server_port
        self.base_url = f"http://127.0.0.1:{port}"
        self.gateway_url = self.base_url  # same listener, gateway paths under /t/
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- test controls ------------------------------------------------------------------

    @property
    def apis(self) -> dict[str, Any]:
        """The stored APIs by id (each with ``.data``, ``.revisions``, ``.deployments``)."""
        return self.store.apis

    @property
    def api_url(self) -> str:
        return self.base_url + self.contract.base_path

    def inject(self, kind: str, *, times: int | None = None, share: float | None = None,
               operation: str | None = None, delay: float = 1.0) -> Fault:
        """Misbehave on the next ``times`` matching requests, or on ``share`` of them.

        ``operation`` is an operationId of the contract, ``"token"`` or ``"gateway"``;
        without it the fault hits publisher requests only.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind}; one of {FAULT_KINDS}")
        if times is None and share is None:
            times = 1
        fault = Fault(kind, times=times, share=share, operation=operation, delay=delay)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def expire_tokens(self) -> None:
        with self._lock:
            for token in self.tokens.values():
                token.expires_at = 0.0

    def take_violations(self) -> list[str]:
        """Return and forget the recorded violations (for tests that provoke them)."""
        with self._lock:
            found, self.violations = self.violations, []
        return found

    def writes(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.is_write]

    def operations(self) -> list[str]:
        return [r.operation for r in self.requests]

    def issue_token(self, scopes: frozenset[str] | None = None) -> str:
        """A token as if an application had obtained it (for gateway calls)."""
        value = secrets.token_hex(16)
        with self._lock:
            self.tokens[value] = IssuedToken(time.monotonic() + self.token_lifetime,
                                              scopes or self.allowed_scopes)
        return value

    # -- WSGI ---------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        request.get_data(cache=True)
        if request.path == "/oauth2/token":
            response = self._token_endpoint(request)
        elif request.path.startswith("/t/"):
            response = self._gateway(request)
        elif request.path.startswith(self.contract.base_path + "/"):
            response = self._publisher(request)
        else:
            response = answer(404, {"code": 404, "message": "Not Found"})
        return response(environ, start_response)

    def _record(self, request: Request, operation: str) -> RecordedRequest:
        auth = request.headers.get("Authorization", "")
        masked = (auth.split(" ", 1)[0] + " ***") if auth else ""
        body: Any = None
        if request.mimetype == "application/json" and request.get_data():
            try:
                body = json.loads(request.get_data(as_text=True))
            except ValueError:
                body = "<invalid json>"
        elif request.form:
            body = {k: ("***" if k in ("client_secret", "client_id", "password") else v)
                    for k, v in request.form.items()}
        entry = RecordedRequest(request.method, request.path,
                                request.query_string.decode("latin-1"), operation, masked, body)
        with self._lock:
            self.requests.append(entry)
        return entry

    def _fault(self, operation: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.wants(operation, self._rng):
                    return fault
        return None

    # -- token endpoint (RFC 6749 client credentials, WSO2 style) -------------------------

    def _token_endpoint(self, request: Request) -> Response:
        entry = self._record(request, "token")
        response = self._token_answer(request)
        entry.status = response.status_code
        return response

    def _token_answer(self, request: Request) -> Response:
        if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
            with self._lock:
                self.violations.append("token: not a form-encoded POST")
            return answer(400, {"error": "invalid_request"})
        fault = self._fault("token")
        forced = apply_fault(fault) if fault and fault.kind != "expired_token" else None
        if forced is not None:
            return forced
        if request.form.get("grant_type") != "client_credentials":
            return answer(400, {"error": "unsupported_grant_type"})
        client_id, client_secret = self._basic(request)
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return answer(401, {
                "error": "invalid_client",
                "error_description": "A valid OAuth client could not be found",
            })
        requested = frozenset(request.form.get("scope", "").split())
        granted = (requested & self.allowed_scopes) or frozenset({"default"})
        value = self.issue_token(granted)
        with self._lock:
            self.tokens_issued += 1
        return answer(200, {"access_token": value, "scope": " ".join(sorted(granted)),
                            "token_type": "Bearer", "expires_in": self.token_lifetime})

    @staticmethod
    def _basic(request: Request) -> tuple[str, str]:
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                return user, password
            except (ValueError, UnicodeDecodeError):
                return "", ""
        return request.form.get("client_id", ""), request.form.get("client_secret", "")

    def _bearer(self, request: Request) -> tuple[str | None, Response | None]:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or not header[7:].strip():
            return None, wso2_error(401, 900902, "Missing Credentials",
                                    "Invalid Credentials. Make sure your API invocation call "
                                    "has a header: 'Authorization : Bearer ACCESS_TOKEN'")
        value = header[7:].strip()
        with self._lock:
            token = self.tokens.get(value)
        if token is None or token.expires_at <= time.monotonic():
            return None, wso2_error(401, 900901, "Invalid Credentials",
                                    "Invalid Credentials. Make sure you have provided the "
                                    "correct security credentials")
        return value, None

    # -- publisher ----------------------------------------------------------------------

    def _publisher(self, request: Request) -> Response:
        found = self.contract.operation(request.method, request.path)
        if found is None:
            self._record(request, "unknown")
            self.violations.append(f"{request.method} {request.path}: not in the contract")
            return answer(404, {"code": 404, "message": "Not Found"})
        operation_id, _, operation = found
        entry = self._record(request, operation_id)
        problems = self.contract.check_request(request)
        if problems:
            with self._lock:
                self.violations.extend(f"{operation_id} request: {p}" for p in problems)
            response = wso2_error(400, 400, "Bad Request", "; ".join(problems)[:500])
        else:
            response = self._authorized(request, operation_id, operation)
        declared = {int(k) for k in operation.get("responses", {}) if str(k).isdigit()}
        if not problems and "default" not in operation.get("responses", {}):
            faults = self.contract.check_response(request, response, operation_id, declared)
            with self._lock:
                self.violations.extend(faults)
        entry.status = response.status_code
        return response

    def _authorized(self, request: Request, operation_id: str, operation: dict[str, Any]
                    ) -> Response:
        fault = self._fault(operation_id)
        if fault is not None and fault.kind == "expired_token":
            self.expire_tokens()
        value, refused = self._bearer(request)
        if refused is not None:
            return refused
        needed = self.contract.scopes(operation)
        with self._lock:
            held = self.tokens[value].scopes if value in self.tokens else frozenset()
        if needed and not held.intersection(needed):
            return wso2_error(403, 900910, "The access token does not allow you to access "
                              "the requested resource",
                              f"User is NOT authorized to access the Resource. Scope "
                              f"validation failed: needs one of {' '.join(needed)}")
        forced = apply_fault(fault)
        if forced is not None:
            return forced
        try:
            with self._lock:
                return self._dispatch(request, operation_id)
        except StoreError as exc:
            return answer(exc.status, exc.body())

    def _dispatch(self, request: Request, operation_id: str) -> Response:
        store, args = self.store, request.args
        match = re.search(r"/apis/([^/]+)", request.path[len(self.contract.base_path):])
        api_id = match.group(1) if match else ""
        body: Any = request.get_json(silent=True)
        handlers: dict[str, Callable[[], Response]] = {
            "getAllAPIs": lambda: answer(200, store.search(
                args.get("query", ""), int(args.get("limit", 25)), int(args.get("offset", 0)))),
            "createAPI": lambda: self._create_api(body or {}),
            "getAPI": lambda: answer(200, store.get(api_id)),
            "updateAPI": lambda: answer(200, store.update(api_id, body or {})),
            "createAPIRevision": lambda: answer(
                201, store.create_revision(api_id, (body or {}).get("description", ""))),
            "getAPIRevisions": lambda: answer(200, store.revisions(api_id)),
            "deleteAPIRevision": lambda: answer(
                200, store.delete_revision(api_id, request.path.rsplit("/", 1)[1])),
            "deployAPIRevision": lambda: answer(
                200, store.deploy(api_id, args.get("revisionId", ""), body or [])),
            "getAPIRevisionDeployments": lambda: answer(200, store.deployments(api_id)),
            "changeAPILifecycle": lambda: answer(
                200, store.change_lifecycle(args["apiId"], args["action"])),
            "getAPILifecycleHistory": lambda: self._lifecycle_history(api_id),
            "getAPILifecycleState": lambda: answer(200, store.lifecycle_state(api_id)),
        }
        handler = handlers.get(operation_id)
        if handler is not None:
            return handler()
        with self._lock:
            self.violations.append(f"{operation_id}: used by the adapter but not played here")
        return answer(501, {"code": 501, "message": "Not Implemented"})

    def _create_api(self, body: dict[str, Any]) -> Response:
        created = self.store.create(body)
        return answer(201, created, {"Location": f"{self.api_url}/apis/{created['id']}"})

    def _lifecycle_history(self, api_id: str) -> Response:
        store = self.store
        history = store.apis[api_id].history if api_id in store.apis else None
        if history is None:
            raise StoreError(404, "Not Found", f"API {api_id} not found")
        return answer(200, {"count": len(history), "list": history})

    # -- gateway ------------------------------------------------------------------------

    def _gateway(self, request: Request) -> Response:
        entry = self._record(request, "gateway")
        response = self._gateway_answer(request)
        entry.status = response.status_code
        return response

    def _gateway_answer(self, request: Request) -> Response:
        fault = self._fault("gateway")
        forced = apply_fault(fault)
        if forced is not None:
            return forced
        parts = request.path.split("/")  # "", "t", tenant, context..., version, resource...
        if len(parts) < 5 or parts[2] != self.tenant_domain:
            return answer(404, {"code": "404", "message": "Not Found",
                                "description": "No tenant or API at this address"})
        _, refused = self._bearer(request)
        if refused is not None:
            body = json.loads(refused.get_data(as_text=True))
            return answer(401, {**body, "code": str(body["code"])})
        rest = parts[3:]  # context parts..., version, resource parts...
        with self._lock:
            for cut in range(1, len(rest)):
                api = self.store.live_api("/".join(rest[:cut]), rest[cut])
                if api is None:
                    continue
                snapshot = self.store.deployed_snapshot(api.data["id"]) or api.data
                return answer(200, {"lid": snapshot.get("displayName") or snapshot["name"],
                                    "version": snapshot["version"],
                                    "resource": "/" + "/".join(rest[cut + 1:]), "data": []})
        return answer(404, {"code": "404", "message": "Not Found",
                            "description": "No matching resource found for the given API "
                                           "request"})


@pytest.fixture
def splp_double() -> Iterator[SplpDouble]:
    """A running SPLP double; the test fails if any exchange broke the contract."""
    double = SplpDouble().start()
    try:
        yield double
    finally:
        double.stop()
    assert not double.violations, "SPLP contract violations:\n" + "\n".join(double.violations)
