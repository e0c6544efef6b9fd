"""In-memory publisher of the SPLP double: APIs with ids, life-cycle state, revisions and
gateway deployments, behaving like a multi-tenant WSO2 API Manager 4.x as far as the Katalog
LID sync can tell (tenant prefix on contexts, 409 on duplicates, five revisions at most).
"""
from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

MAX_REVISIONS = 5
ENVIRONMENTS = ("Default",)
TRANSITIONS = {  # action -> (allowed from, to)
    "Publish": (("CREATED", "PROTOTYPED"), "PUBLISHED"),
    "Deploy as a Prototype": (("CREATED",), "PROTOTYPED"),
    "Demote to Created": (("PUBLISHED", "PROTOTYPED"), "CREATED"),
    "Block": (("PUBLISHED",), "BLOCKED"),
    "Re-Publish": (("BLOCKED",), "PUBLISHED"),
    "Deprecate": (("PUBLISHED",), "DEPRECATED"),
    "Retire": (("DEPRECATED",), "RETIRED"),
}
INFO_FIELDS = (
    "id", "name", "displayName", "description", "context", "additionalProperties", "version",
    "provider", "type", "lifeCycleStatus", "workflowStatus", "hasThumbnail", "createdTime",
    "updatedTime",
)
IMMUTABLE = ("id", "name", "context", "version", "provider", "lifeCycleStatus")


class StoreError(Exception):
    """An error answer: HTTP status, short message, description."""

    def __init__(self, status: int, message: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.message = message
        self.description = description

    def body(self) -> dict[str, Any]:
        return {"code": self.status, "message": self.message,
                "description": self.description, "moreInfo": "", "error": []}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _stamp() -> str:
    return _now().strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class StoredApi:
    data: dict[str, Any]
    revisions: list[dict[str, Any]] = field(default_factory=list)
    deployments: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def state(self) -> str:
        return str(self.data["lifeCycleStatus"])

    @property
    def is_live(self) -> bool:
        return self.state == "PUBLISHED" and bool(self.deployments)


class PublisherStore:
    """The publisher's data for one tenant."""

    def __init__(self, tenant_domain: str, provider: str) -> None:
        self.tenant_domain = tenant_domain
        self.provider = provider
        self.apis: dict[str, StoredApi] = {}

    # -- helpers ----------------------------------------------------------------------

    def stored_context(self, context: str) -> str:
        return f"/t/{self.tenant_domain}/" + context.strip().strip("/")

    def bare_context(self, stored: str) -> str:
        prefix = f"/t/{self.tenant_domain}"
        return stored[len(prefix):] if stored.startswith(prefix + "/") else stored

    def _get(self, api_id: str) -> StoredApi:
        if api_id not in self.apis:
            raise StoreError(404, "Not Found", f"Requested API with id '{api_id}' not found")
        return self.apis[api_id]

    @staticmethod
    def _with_map(data: dict[str, Any]) -> dict[str, Any]:
        props = data.get("additionalProperties") or []
        data["additionalPropertiesMap"] = {
            p["name"]: {"name": p["name"], "value": p.get("value", ""),
                        "display": bool(p.get("display", False))}
            for p in props if isinstance(p, dict) and "name" in p
        }
        return data

    # -- APIs -------------------------------------------------------------------------

    def search(self, query: str, limit: int, offset: int) -> dict[str, Any]:
        terms = re.findall(r'(\w[\w-]*):("[^"]*"|\S+)|(\S+)', query or "")
        matches = []
        for stored in self.apis.values():
            ok = True
            for attr, value, bare in terms:
                exact = value.startswith('"') and value.endswith('"') and len(value) > 1
                needle = (value.strip('"') if attr else bare).lower()
                key = {"status": "lifeCycleStatus", "lcstate": "lifeCycleStatus"}.get(
                    attr, attr or "name")
                have = str(stored.data.get(key, "")).lower()
                if (have != needle) if exact else (needle not in have):
                    ok = False
            if ok:
                matches.append(stored)
        page = matches[offset: offset + limit]
        return {
            "count": len(page),
            "list": [{k: copy.deepcopy(s.data[k]) for k in INFO_FIELDS if k in s.data}
                     for s in page],
            "pagination": {"offset": offset, "limit": limit, "total": len(matches),
                           "next": "", "previous": ""},
        }

    def create(self, payload: dict[str, Any]) -> dict[str, Any]:
        context = self.stored_context(payload["context"])
        for other in self.apis.values():
            same_version = other.data["version"] == payload["version"]
            if same_version and other.data["context"] == context:
                raise StoreError(409, "Conflict",
                                 f"A duplicate API already exists for context {context}")
            if same_version and other.data["name"].lower() == payload["name"].lower():
                raise StoreError(409, "Conflict",
                                 f"An API with name {payload['name']} already exists")
        data = copy.deepcopy(payload)
        data.update(
            id=str(uuid.uuid4()), context=context, provider=self.provider,
            lifeCycleStatus="CREATED", workflowStatus="APPROVED", hasThumbnail=False,
            isRevision=False, createdTime=_stamp(), lastUpdatedTime=_stamp(),
            updatedTime=_stamp(), type=payload.get("type", "HTTP"),
            visibility=payload.get("visibility", "PUBLIC"),
        )
        stored = StoredApi(self._with_map(data))
        self.apis[data["id"]] = stored
        return copy.deepcopy(stored.data)

    def get(self, api_id: str) -> dict[str, Any]:
        """An API, or a revision by its id (revisions are read-only APIs in WSO2)."""
        if api_id not in self.apis:
            for stored in self.apis.values():
                for revision in stored.revisions:
                    if revision["id"] == api_id:
                        data = copy.deepcopy(revision["snapshot"])
                        data.update(id=api_id, isRevision=True, revisionId=revision["number"],
                                    revisionedApiId=stored.data["id"])
                        return data
        return copy.deepcopy(self._get(api_id).data)

    def update(self, api_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        stored = self._get(api_id)
        kept = {k: stored.data[k] for k in IMMUTABLE if k in stored.data}
        data = copy.deepcopy(payload)
        data.pop("additionalPropertiesMap", None)
        data.update(kept, lastUpdatedTime=_stamp(), updatedTime=_stamp())
        stored.data = self._with_map(data)
        return copy.deepcopy(stored.data)

    # -- revisions and deployments ----------------------------------------------------

    def create_revision(self, api_id: str, description: str) -> dict[str, Any]:
        stored = self._get(api_id)
        if len(stored.revisions) >= MAX_REVISIONS:
            raise StoreError(400, "Bad Request",
                             "Maximum number of revisions per API has reached. Need to remove "
                             "any revision to create a new revision")
        number = max((r["number"] for r in stored.revisions), default=0) + 1
        revision = {
            "id": str(uuid.uuid4()), "displayName": f"Revision {number}",
            "description": description, "createdTime": _now().isoformat(),
            "apiInfo": {"id": api_id}, "deploymentInfo": [], "number": number,
            "snapshot": copy.deepcopy(stored.data),
        }
        stored.revisions.append(revision)
        return self.public_revision(stored, revision)

    def public_revision(self, stored: StoredApi, revision: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in revision.items() if k not in ("number", "snapshot")}
        shown["deploymentInfo"] = [d for d in stored.deployments
                                   if d["revisionUuid"] == revision["id"]]
        return copy.deepcopy(shown)

    def revisions(self, api_id: str) -> dict[str, Any]:
        stored = self._get(api_id)
        items = [self.public_revision(stored, r) for r in stored.revisions]
        return {"count": len(items), "list": items}

    def delete_revision(self, api_id: str, revision_id: str) -> dict[str, Any]:
        stored = self._get(api_id)
        if not any(r["id"] == revision_id for r in stored.revisions):
            raise StoreError(404, "Not Found", f"Revision {revision_id} not found")
        if any(d["revisionUuid"] == revision_id for d in stored.deployments):
            raise StoreError(400, "Bad Request", "Undeploy the revision before deleting it")
        stored.revisions = [r for r in stored.revisions if r["id"] != revision_id]
        return self.revisions(api_id)

    def deploy(self, api_id: str, revision_id: str, targets: list[dict[str, Any]]) -> list[Any]:
        stored = self._get(api_id)
        if not any(r["id"] == revision_id for r in stored.revisions):
            raise StoreError(404, "Not Found", f"Revision {revision_id} not found")
        if not targets:
            raise StoreError(400, "Bad Request", "No gateway environment given")
        deployed = []
        for target in targets:
            if target.get("name") not in ENVIRONMENTS:
                raise StoreError(400, "Bad Request",
                                 f"Gateway environment {target.get('name')} not found")
            stored.deployments = [d for d in stored.deployments if d["name"] != target["name"]]
            deployment = {
                "revisionUuid": revision_id, "name": target["name"],
                "vhost": target.get("vhost", "localhost"), "status": "APPROVED",
                "displayOnDevportal": bool(target.get("displayOnDevportal", True)),
                "deployedTime": _now().isoformat(), "successDeployedTime": _now().isoformat(),
            }
            stored.deployments.append(deployment)
            deployed.append(copy.deepcopy(deployment))
        return deployed

    def deployments(self, api_id: str) -> dict[str, Any]:
        return {"list": copy.deepcopy(self._get(api_id).deployments)}

    def deployed_snapshot(self, api_id: str) -> dict[str, Any] | None:
        """The API as its deployed revision froze it (what the gateway serves)."""
        stored = self._get(api_id)
        for deployment in stored.deployments:
            for revision in stored.revisions:
                if revision["id"] == deployment["revisionUuid"]:
                    return copy.deepcopy(revision["snapshot"])
        return None

    # -- life cycle -------------------------------------------------------------------

    def change_lifecycle(self, api_id: str, action: str) -> dict[str, Any]:
        stored = self._get(api_id)
        sources, target = TRANSITIONS[action]
        if stored.state not in sources:
            raise StoreError(400, "Bad Request",
                             f"Action '{action}' is not allowed in state {stored.state}")
        stored.history.append({"previousState": stored.state.title(),
                               "postState": target.title(), "user": self.provider,
                               "updatedTime": _now().isoformat()})
        stored.data["lifeCycleStatus"] = target
        return {"workflowStatus": "APPROVED", "jsonPayload": "",
                "lifecycleState": self.lifecycle_state(api_id)}

    def lifecycle_state(self, api_id: str) -> dict[str, Any]:
        state = self._get(api_id).state
        transitions = [{"event": action, "targetState": to.title()}
                       for action, (sources, to) in TRANSITIONS.items() if state in sources]
        return {"state": state.title(), "checkItems": [], "availableTransitions": transitions}

    def live_api(self, context: str, version: str) -> StoredApi | None:
        """The published and deployed API at this bare context and version (gateway lookup)."""
        for stored in self.apis.values():
            if (self.bare_context(stored.data["context"]) == "/" + context.strip("/")
                    and stored.data["version"] == version and stored.is_live):
                return stored
        return None
