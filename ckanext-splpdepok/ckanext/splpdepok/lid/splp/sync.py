"""Idempotent synchronisation of the city's Katalog LID with the national one in SPLP
(SOP step 15): find each LID's API by context and version, create or update it only when a
managed field differs, deploy a revision when SPLP's gateway lags behind, publish it.

A second run over the same entries writes nothing. ``dry_run`` reads only and reports what
would change.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .client import GatewayTarget, PublisherClient
from .errors import SplpConflictError, SplpError
from .mapping import (
    FieldDiff,
    LidMappingError,
    MappingOptions,
    clean_context,
    compare,
    map_lid,
    update_body,
)

log = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
PUBLISHED_STATES = ("PUBLISHED",)
# States an operator chose on purpose: the sync does not push them back to PUBLISHED.
HANDS_OFF_STATES = ("BLOCKED", "DEPRECATED", "RETIRED")


@dataclass
class LidSyncResult:
    """Outcome for one LID entry. In a dry run, ``status`` and ``actions`` say what would happen."""

    key: str
    context: str
    version: str
    status: str = UNCHANGED
    api_id: str | None = None
    actions: list[str] = field(default_factory=list)
    differences: list[FieldDiff] = field(default_factory=list)
    lifecycle: str | None = None
    error: str | None = None
    error_kind: str | None = None
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "context": self.context, "version": self.version,
            "status": self.status, "api_id": self.api_id, "actions": list(self.actions),
            "differences": [d.as_dict() for d in self.differences],
            "lifecycle": self.lifecycle, "error": self.error, "error_kind": self.error_kind,
            "dry_run": self.dry_run,
        }


@dataclass(frozen=True)
class SyncOptions:
    dry_run: bool = False
    publish: bool = True
    targets: Sequence[GatewayTarget] = (GatewayTarget(),)
    mapping: MappingOptions = field(default_factory=MappingOptions)
    revision_note: str = "Satu Data Kota Depok: Katalog LID sync"
    # WSO2 refuses a sixth revision of an API until one is deleted.
    max_revisions: int = 5


def _key(lid: dict[str, Any]) -> str:
    return str(lid.get("id") or lid.get("name") or "?")


def sync_lids(
    client: PublisherClient, lids: Iterable[dict[str, Any]], options: SyncOptions | None = None
) -> list[LidSyncResult]:
    """Sync every entry; one entry's failure never stops the others."""
    options = options or SyncOptions()
    results: list[LidSyncResult] = []
    seen: dict[tuple[str, str], str] = {}
    for lid in lids:
        result = LidSyncResult(
            key=_key(lid), context="/" + clean_context(str(lid.get("context") or "")),
            version=str(lid.get("version") or ""), dry_run=options.dry_run,
        )
        results.append(result)
        pair = (result.context, result.version)
        if pair in seen:
            _fail(result, LidMappingError([
                f"context {result.context} version {result.version} is also used by LID "
                f"{seen[pair]}; each LID needs its own context/version"
            ]))
            continue
        seen[pair] = result.key
        try:
            _sync_one(client, lid, options, result)
        except SplpError as exc:
            _fail(result, exc)
    counts = {s: sum(r.status == s for r in results) for s in (CREATED, UPDATED, UNCHANGED, FAILED)}
    log.info("SPLP LID sync%s: %s", " (dry run)" if options.dry_run else "", counts)
    return results


def _fail(result: LidSyncResult, exc: SplpError) -> None:
    result.status = FAILED
    result.error = exc.message
    result.error_kind = exc.kind
    log.warning("SPLP LID sync of %s failed: %s", result.key, exc.message)


def _sync_one(
    client: PublisherClient, lid: dict[str, Any], options: SyncOptions, result: LidSyncResult
) -> None:
    desired = map_lid(lid, options.mapping)
    tenant = str(lid.get("tenant_domain") or "")
    info = client.find_api(desired["context"], desired["version"], tenant)
    if info is None:
        if options.dry_run:
            result.status = CREATED
            result.actions = ["create", "deploy"] + (["publish"] if options.publish else [])
            result.differences = compare(desired, {}, tenant).differences
            return
        remote = _create(client, desired, tenant, result)
    else:
        remote = client.get_api(str(info["id"]))
    result.api_id = str(remote["id"])
    result.lifecycle = str(remote.get("lifeCycleStatus") or "")

    if result.status != CREATED:
        result.differences = compare(desired, remote, tenant).differences
        if result.differences:
            result.status = UPDATED
            result.actions.append("update")
            if not options.dry_run:
                remote = client.update_api(result.api_id, update_body(remote, desired))

    changed = result.status in (CREATED, UPDATED)
    if changed or _gateway_is_stale(client, desired, tenant, result.api_id, options):
        result.actions.append("deploy")
        if not options.dry_run:
            _make_room_for_revision(client, result.api_id, options.max_revisions)
            revision = client.create_revision(result.api_id, options.revision_note)
            client.deploy_revision(result.api_id, str(revision["id"]), options.targets)

    state = str(remote.get("lifeCycleStatus") or "CREATED").upper()
    if options.publish and state not in PUBLISHED_STATES:
        if state in HANDS_OFF_STATES:
            log.info("SPLP API %s is %s; left as the operator set it", result.api_id, state)
        else:
            result.actions.append("publish")
            if not options.dry_run:
                answer = client.publish(result.api_id)
                result.lifecycle = str(
                    (answer.get("lifecycleState") or {}).get("state") or "PUBLISHED"
                ).upper()


def _gateway_is_stale(
    client: PublisherClient, desired: dict[str, Any], tenant: str, api_id: str,
    options: SyncOptions,
) -> bool:
    """True when no revision is deployed, or the deployed one lacks the LID's fields (e.g. an
    earlier run updated the API but failed before deploying)."""
    served = client.deployed_revision(api_id, [t.name for t in options.targets])
    return served is None or not compare(desired, served, tenant).same


def _make_room_for_revision(client: PublisherClient, api_id: str, limit: int) -> None:
    """Delete the oldest revisions that no gateway serves until one more fits."""
    revisions = client.list_revisions(api_id)
    idle = [r for r in revisions if not r.get("deploymentInfo")]
    idle.sort(key=lambda r: str(r.get("createdTime") or ""))
    while len(revisions) >= limit and idle:
        oldest = idle.pop(0)
        client.delete_revision(api_id, str(oldest["id"]))
        revisions = [r for r in revisions if r.get("id") != oldest.get("id")]
        log.info("SPLP API %s: deleted old revision %s to stay within %d", api_id,
                 oldest.get("displayName") or oldest.get("id"), limit)


def _create(
    client: PublisherClient, desired: dict[str, Any], tenant: str, result: LidSyncResult
) -> dict[str, Any]:
    """POST the API; on 409 look again: a retried POST may have gone through the first time."""
    try:
        remote = client.create_api(desired)
    except SplpConflictError:
        info = client.find_api(desired["context"], desired["version"], tenant)
        if info is None:
            raise
        log.info("SPLP API %s already existed; treating it as found", info.get("id"))
        return client.get_api(str(info["id"]))
    result.status = CREATED
    result.actions.append("create")
    return remote
