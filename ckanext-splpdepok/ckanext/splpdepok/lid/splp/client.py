"""Typed client for the parts of the WSO2 API Manager publisher REST API v4 that SPLP exposes
and the Katalog LID sync needs: search, create, read, update, revise, deploy, publish.

No CKAN imports: the caller passes the base URL and the client credentials it read from the
portal settings or the environment.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from .auth import DEFAULT_SCOPES, ClientCredentials, TokenProvider
from .errors import (
    SplpAuthError,
    SplpConfigurationError,
    SplpConflictError,
    SplpError,
    SplpForbiddenError,
    SplpNotFoundError,
    SplpProtocolError,
    SplpValidationError,
)
from .mapping import normalize_context
from .transport import RetryPolicy, Timeouts, Transport, short_body

log = logging.getLogger(__name__)

PUBLISHER_PATH = "/api/am/publisher/v4"
TOKEN_PATH = "/oauth2/token"
PAGE_SIZE = 25
MAX_PAGES = 40

# Scopes of each operation as the contract declares them (any one of them is enough).
OPERATION_SCOPES: dict[str, tuple[str, ...]] = {
    "getAllAPIs": ("apim:api_view", "apim:api_manage", "apim:api_import_export",
                   "apim:api_list_view"),
    "createAPI": ("apim:api_create", "apim:api_manage"),
    "getAPI": ("apim:api_view", "apim:api_manage", "apim:api_import_export",
               "apim:api_product_import_export"),
    "updateAPI": ("apim:api_create", "apim:api_manage", "apim:api_publish"),
    "createAPIRevision": ("apim:api_create", "apim:api_manage", "apim:api_publish",
                          "apim:api_import_export"),
    "getAPIRevisions": ("apim:api_view", "apim:api_create", "apim:api_manage",
                        "apim:api_publish", "apim:api_import_export"),
    "deleteAPIRevision": ("apim:api_create", "apim:api_manage", "apim:api_publish",
                          "apim:api_import_export"),
    "deployAPIRevision": ("apim:api_create", "apim:api_manage", "apim:api_publish"),
    "getAPIRevisionDeployments": ("apim:api_view", "apim:api_create", "apim:api_manage",
                                  "apim:api_publish"),
    "changeAPILifecycle": ("apim:api_publish", "apim:api_manage", "apim:api_import_export"),
    "getAPILifecycleHistory": ("apim:api_view", "apim:api_publish", "apim:api_manage"),
    "getAPILifecycleState": ("apim:api_view", "apim:api_publish", "apim:api_create",
                             "apim:api_manage"),
}


@dataclass(frozen=True)
class GatewayTarget:
    """A gateway environment a revision is deployed to (WSO2 default: ``Default``)."""

    name: str = "Default"
    vhost: str = "localhost"
    display_on_devportal: bool = True

    def as_payload(self) -> dict[str, Any]:
        return {"name": self.name, "vhost": self.vhost,
                "displayOnDevportal": self.display_on_devportal}


class PublisherClient:
    """One SPLP publisher (``base_url`` like ``https://splp.layanan.go.id``) and one client."""

    def __init__(
        self,
        base_url: str,
        credentials: ClientCredentials,
        *,
        publisher_path: str = PUBLISHER_PATH,
        token_url: str | None = None,
        scopes: Iterable[str] = DEFAULT_SCOPES,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        verify: bool | str = True,
        session: requests.Session | None = None,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise SplpConfigurationError(
                "SPLP base URL must be an absolute http(s) URL (e.g. https://splp.example.go.id)"
            )
        self.base_url = base_url.rstrip("/")
        self.api_url = self.base_url + "/" + publisher_path.strip("/")
        self.transport = Transport(
            session=session, timeouts=timeouts, retry=retry, verify=verify,
            secrets=lambda: self.tokens.secrets(),
        )
        self.tokens = TokenProvider(
            token_url or self.base_url + TOKEN_PATH, credentials, self.transport,
            scopes=scopes, refresh_margin=refresh_margin, clock=clock,
        )

    def __repr__(self) -> str:
        return f"PublisherClient(api_url={self.api_url!r}, tokens={self.tokens!r})"

    # -- plumbing ---------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        expected: Sequence[int] = (200,),
        subject: str = "",
        **kwargs: Any,
    ) -> Any:
        """Send one publisher request (retries inside), renewing the token once on 401."""
        response: requests.Response | None = None
        for attempt in (1, 2):
            token = self.tokens.token()
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            response = self.transport.send(
                method, self.api_url + path, operation=operation, headers=headers, **kwargs
            )
            if response.status_code != 401 or attempt == 2:
                break
            log.info("SPLP %s: access token refused (HTTP 401); renewing it once", operation)
            self.tokens.invalidate(token)
        assert response is not None
        if response.status_code in expected:
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                raise SplpProtocolError(
                    f"SPLP {operation}: answer is not JSON (HTTP {response.status_code})",
                    status=response.status_code, operation=operation,
                ) from None
        raise self._error(response, operation, subject)

    def _error(self, response: requests.Response, operation: str, subject: str) -> SplpError:
        status = response.status_code
        detail = self.transport.redact(short_body(response))
        code: Any = None
        try:
            body = response.json()
            code = body.get("code") if isinstance(body, dict) else None
        except ValueError:
            pass
        about = f" ({subject})" if subject else ""
        prefix = f"SPLP {operation}{about}: HTTP {status}"
        if status == 401:
            return SplpAuthError(
                f"{prefix}, the access token was refused even after renewing it ({detail}); "
                "check that the SPLP client credentials are still valid and not revoked",
                status=status, code=code, operation=operation,
            )
        if status == 403:
            needed = " or ".join(OPERATION_SCOPES.get(operation, ())) or "an unknown scope"
            granted = " ".join(sorted(self.tokens.granted_scopes)) or "none reported"
            return SplpForbiddenError(
                f"{prefix}, not allowed: this operation needs the scope {needed}; the token "
                f"has: {granted}. Ask the SPLP operator to grant it to this client/user",
                status=status, code=code, operation=operation,
            )
        if status == 404:
            return SplpNotFoundError(
                f"{prefix}, not found in SPLP; it may have been deleted there",
                status=status, code=code, operation=operation,
            )
        if status == 409:
            return SplpConflictError(
                f"{prefix}, SPLP already has an API with this context (or name) and version "
                f"({detail}); choose another context/version in the LID entry, or ask the SPLP "
                "operator which tenant owns it",
                status=status, code=code, operation=operation,
            )
        if status in (400, 412, 415):
            return SplpValidationError(
                f"{prefix}, SPLP rejected the request: {detail}; fix the LID entry fields",
                status=status, code=code, operation=operation,
            )
        return SplpProtocolError(
            f"{prefix}, unexpected answer: {detail}", status=status, code=code,
            operation=operation,
        )

    # -- APIs -------------------------------------------------------------------------

    def search_apis(self, query: str, *, limit: int = PAGE_SIZE, offset: int = 0) -> dict[str, Any]:
        """GET /apis?query=... (an ``APIList``)."""
        return self._call(
            "GET", "/apis", operation="getAllAPIs",
            params={"query": query, "limit": limit, "offset": offset},
        )

    def find_api(
        self, context: str, version: str, tenant_domain: str = ""
    ) -> dict[str, Any] | None:
        """The ``APIInfo`` whose context and version are exactly these, or None.

        The search modifiers match by substring, so every page is filtered here.
        """
        wanted = normalize_context(context, version, tenant_domain)
        query = f"context:{wanted} version:{version}"
        offset = 0
        for _ in range(MAX_PAGES):
            page = self.search_apis(query, limit=PAGE_SIZE, offset=offset) or {}
            items = page.get("list") or []
            for info in items:
                if str(info.get("version")) == version and normalize_context(
                    str(info.get("context") or ""), version, tenant_domain
                ) == wanted:
                    return info
            total = (page.get("pagination") or {}).get("total")
            offset += len(items)
            if not items or (isinstance(total, int) and offset >= total):
                return None
        return None

    def get_api(self, api_id: str) -> dict[str, Any]:
        return self._call("GET", f"/apis/{quote(api_id, safe='')}", operation="getAPI",
                          subject=api_id)

    def create_api(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST /apis: the new API, in ``CREATED`` state."""
        subject = f"{payload.get('context')} {payload.get('version')}"
        return self._call("POST", "/apis", operation="createAPI", expected=(201,),
                          subject=subject, json=payload)

    def update_api(self, api_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        """PUT /apis/{id} with the whole API object (see ``mapping.update_body``)."""
        return self._call("PUT", f"/apis/{quote(api_id, safe='')}", operation="updateAPI",
                          subject=api_id, json=payload)

    # -- revisions and deployments ----------------------------------------------------

    def create_revision(self, api_id: str, description: str = "") -> dict[str, Any]:
        return self._call(
            "POST", f"/apis/{quote(api_id, safe='')}/revisions", operation="createAPIRevision",
            expected=(201,), subject=api_id, json={"description": description[:255]},
        )

    def list_revisions(self, api_id: str) -> list[dict[str, Any]]:
        body = self._call("GET", f"/apis/{quote(api_id, safe='')}/revisions",
                          operation="getAPIRevisions", subject=api_id) or {}
        return list(body.get("list") or [])

    def delete_revision(self, api_id: str, revision_id: str) -> None:
        """DELETE a revision (SPLP keeps five per API; the oldest undeployed one goes)."""
        self._call(
            "DELETE",
            f"/apis/{quote(api_id, safe='')}/revisions/{quote(revision_id, safe='')}",
            operation="deleteAPIRevision", expected=(200, 204), subject=api_id,
        )

    def deploy_revision(
        self, api_id: str, revision_id: str, targets: Sequence[GatewayTarget] = (GatewayTarget(),)
    ) -> list[dict[str, Any]]:
        body = self._call(
            "POST", f"/apis/{quote(api_id, safe='')}/deploy-revision",
            operation="deployAPIRevision", subject=api_id, expected=(200, 201),
            params={"revisionId": revision_id}, json=[t.as_payload() for t in targets],
        )
        return list(body or [])

    def list_deployments(self, api_id: str) -> list[dict[str, Any]]:
        body = self._call("GET", f"/apis/{quote(api_id, safe='')}/deployments",
                          operation="getAPIRevisionDeployments", subject=api_id) or {}
        return list(body.get("list") or [])

    def deployed_revision(
        self, api_id: str, environments: Sequence[str] = ()
    ) -> dict[str, Any] | None:
        """The API object of the revision a gateway serves (revisions are APIs in WSO2:
        GET /apis/{revisionId} answers with ``isRevision`` true), or None when undeployed."""
        for deployment in self.list_deployments(api_id):
            if environments and deployment.get("name") not in environments:
                continue
            revision_id = deployment.get("revisionUuid")
            if revision_id:
                return self.get_api(str(revision_id))
        return None

    # -- life cycle -------------------------------------------------------------------

    def change_lifecycle(self, api_id: str, action: str = "Publish") -> dict[str, Any]:
        """POST /apis/change-lifecycle?apiId=..&action=.. (a ``WorkflowResponse``)."""
        return self._call(
            "POST", "/apis/change-lifecycle", operation="changeAPILifecycle",
            expected=(200, 202), subject=api_id, params={"apiId": api_id, "action": action},
        )

    def publish(self, api_id: str) -> dict[str, Any]:
        return self.change_lifecycle(api_id, "Publish")

    def lifecycle_state(self, api_id: str) -> dict[str, Any]:
        return self._call("GET", f"/apis/{quote(api_id, safe='')}/lifecycle-state",
                          operation="getAPILifecycleState", subject=api_id)

    def lifecycle_history(self, api_id: str) -> list[dict[str, Any]]:
        """State changes of the API (who, when, from, to): evidence for the SOP record."""
        body = self._call("GET", f"/apis/{quote(api_id, safe='')}/lifecycle-history",
                          operation="getAPILifecycleHistory", subject=api_id) or {}
        return list(body.get("list") or [])
