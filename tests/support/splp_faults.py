"""Fault injection and request records of the SPLP double (see ``splp_double``)."""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Response

FAULT_KINDS = ("expired_token", "duplicate_context", "server_error", "rate_limited", "slow")
WRITE_OPERATIONS = frozenset({
    "createAPI", "updateAPI", "deleteAPI", "createAPIRevision", "deployAPIRevision",
    "undeployAPIRevision", "changeAPILifecycle", "restoreAPIRevision", "deleteAPIRevision",
})


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers,
                    content_type="application/json")


def wso2_error(status: int, code: int, message: str, description: str) -> Response:
    return json_response(status, {"code": code, "message": message,
                                  "description": description, "moreInfo": "", "error": []})


@dataclass
class Fault:
    """One injected misbehaviour; ``times`` requests from now, or a ``share`` of them."""

    kind: str
    times: int | None = None
    share: float | None = None
    operation: str | None = None
    delay: float = 1.0
    hits: int = 0

    def wants(self, operation: str, rng: random.Random) -> bool:
        if self.operation is not None and self.operation != operation:
            return False
        if self.operation is None and operation in ("token", "gateway"):
            return False
        if self.kind == "duplicate_context" and operation != "createAPI":
            return False
        if self.times is not None:
            if self.times <= 0:
                return False
            self.times -= 1
        elif self.share is not None and rng.random() >= self.share:
            return False
        self.hits += 1
        return True


@dataclass
class RecordedRequest:
    """One request as the double saw it (Authorization masked, secrets never kept)."""

    method: str
    path: str
    query: str
    operation: str
    authorization: str
    body: Any
    status: int = 0

    @property
    def is_write(self) -> bool:
        return self.operation in WRITE_OPERATIONS


def apply_fault(fault: Fault | None) -> Response | None:
    """The answer a fault forces (None: go on, possibly after sleeping)."""
    if fault is None:
        return None
    if fault.kind == "slow":
        time.sleep(fault.delay)
        return None
    if fault.kind == "server_error":
        return wso2_error(500, 500, "Internal Server Error",
                          "The server encountered an internal error.")
    if fault.kind == "rate_limited":
        response = wso2_error(429, 900800, "Message throttled out",
                              "You have exceeded your quota")
        response.headers["Retry-After"] = "0"
        return response
    if fault.kind == "duplicate_context":
        return wso2_error(409, 409, "Conflict",
                          "A duplicate API already exists for this context")
    return None


@dataclass
class IssuedToken:
    """A token the double handed out: when it stops working, what it may do."""

    expires_at: float
    scopes: frozenset[str]
