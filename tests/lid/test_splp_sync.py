"""Idempotent Katalog LID sync against the SPLP double (SOP step 15)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckanext.splpdepok.lid.splp import (
    PublisherClient,
    RetryPolicy,
    SyncOptions,
    check_gateway,
    sync_lids,
)

from tests.lid.conftest import api_id_of
from tests.support.splp_double import SplpDouble

MakeClient = Callable[..., PublisherClient]


def _mark(double: SplpDouble) -> int:
    return len(double.requests)


def _served(double: SplpDouble, api_id: str | None) -> dict[str, Any]:
    """The API as the gateway serves it (its deployed revision)."""
    snapshot = double.store.deployed_snapshot(str(api_id))
    assert snapshot is not None
    return snapshot


def _writes_since(double: SplpDouble, mark: int) -> list[str]:
    return [f"{r.method} {r.path}" for r in double.requests[mark:] if r.is_write]


def test_first_sync_creates_deploys_and_publishes_every_lid(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    results = sync_lids(client, lids)
    assert [r.status for r in results] == ["created"] * 3
    assert all(r.actions == ["create", "deploy", "publish"] for r in results)
    assert all(r.lifecycle == "PUBLISHED" and r.error is None for r in results)
    for result in results:
        stored = splp_double.apis[api_id_of(result)]
        assert stored.state == "PUBLISHED" and len(stored.deployments) == 1
    token = splp_double.issue_token()
    for lid in lids:
        check = check_gateway(splp_double.gateway_url, "depok.go.id", lid["context"],
                              lid["version"], token=token)
        assert check.ok, check.message


def test_second_sync_changes_nothing(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    sync_lids(client, lids)
    mark = _mark(splp_double)
    results = sync_lids(client, lids)
    assert [r.status for r in results] == ["unchanged"] * 3
    assert all(r.actions == [] and r.differences == [] for r in results)
    assert _writes_since(splp_double, mark) == []
    assert len(splp_double.apis) == 3


def test_an_edited_lid_updates_only_its_api(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    first = sync_lids(client, lids)
    lids[1]["description"] = "Sekolah negeri, swasta dan madrasah."
    lids[1]["endpoint_url"] = "https://api.depok.go.id/pendidikan/v2/sekolah"
    mark = _mark(splp_double)
    results = sync_lids(client, lids)
    assert [r.status for r in results] == ["unchanged", "updated", "unchanged"]
    assert sorted(d.field for d in results[1].differences) == ["description", "endpointConfig"]
    assert results[1].actions == ["update", "deploy"]
    edited = api_id_of(first[1])
    writes = _writes_since(splp_double, mark)
    assert writes and all(edited in w for w in writes)
    stored = splp_double.apis[edited]
    assert stored.data["description"] == "Sekolah negeri, swasta dan madrasah."
    assert len(stored.revisions) == 2
    assert stored.deployments[0]["revisionUuid"] == stored.revisions[-1]["id"]
    served = _served(splp_double, edited)["endpointConfig"]["production_endpoints"]["url"]
    assert served.endswith("/v2/sekolah")
    again = sync_lids(client, lids)
    assert [r.status for r in again] == ["unchanged"] * 3


def test_dry_run_reports_the_plan_and_writes_nothing(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    plan = sync_lids(client, lids, SyncOptions(dry_run=True))
    assert [r.status for r in plan] == ["created"] * 3
    assert all(r.dry_run and r.api_id is None for r in plan)
    assert plan[0].actions == ["create", "deploy", "publish"]
    assert "endpointConfig" in [d.field for d in plan[0].differences]
    assert splp_double.writes() == [] and splp_double.apis == {}

    sync_lids(client, lids)
    lids[0]["classification"] = "terbuka"
    mark = _mark(splp_double)
    plan = sync_lids(client, lids, SyncOptions(dry_run=True))
    assert [r.status for r in plan] == ["updated", "unchanged", "unchanged"]
    diff = {d.field: d for d in plan[0].differences}
    assert set(diff) == {"visibility", "tags", "additionalProperties"}
    assert (diff["visibility"].expected, diff["visibility"].actual) == ("PUBLIC", "RESTRICTED")
    assert _writes_since(splp_double, mark) == []
    assert plan[0].as_dict()["differences"][0]["field"] in diff


def test_duplicate_context_fails_that_lid_clearly_and_not_the_others(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    splp_double.inject("duplicate_context", times=1)
    results = sync_lids(client, lids)
    assert [r.status for r in results] == ["failed", "created", "created"]
    assert results[0].error_kind == "conflict"
    assert "/kependudukan" in (results[0].error or "")
    assert "choose another context" in (results[0].error or "")
    retry = sync_lids(client, lids)
    assert [r.status for r in retry] == ["created", "unchanged", "unchanged"]


def test_same_context_twice_in_the_catalogue_is_refused(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    twin = {**lids[0], "id": "lid-twin", "name": "Kembaran"}
    results = sync_lids(client, [lids[0], twin])
    assert [r.status for r in results] == ["created", "failed"]
    assert results[1].error_kind == "invalid_entry" and "lid-penduduk" in (results[1].error or "")
    assert len(splp_double.apis) == 1


def test_an_invalid_entry_fails_without_touching_splp(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    lids[2]["endpoint_url"] = "not a url"
    results = sync_lids(client, lids[2:])
    assert results[0].status == "failed" and results[0].error_kind == "invalid_entry"
    assert "endpoint_url" in (results[0].error or "")
    assert splp_double.requests == []


def test_five_hundreds_on_a_share_of_requests_still_converge(
    make_client: MakeClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    client = make_client(retry=RetryPolicy(attempts=8, backoff_initial=0.0))
    fault = splp_double.inject("server_error", share=0.3)
    results = sync_lids(client, lids)
    assert fault.hits > 0
    assert [r.status for r in results] == ["created"] * 3
    splp_double.clear_faults()
    mark = _mark(splp_double)
    assert [r.status for r in sync_lids(client, lids)] == ["unchanged"] * 3
    assert _writes_since(splp_double, mark) == []
    assert len(splp_double.apis) == 3


def test_lost_deployment_or_demotion_is_repaired_and_blocked_is_respected(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    first = sync_lids(client, lids)
    undeployed, demoted, blocked = (splp_double.apis[api_id_of(r)] for r in first)
    undeployed.deployments.clear()
    demoted.data["lifeCycleStatus"] = "CREATED"
    blocked.data["lifeCycleStatus"] = "BLOCKED"
    results = sync_lids(client, lids)
    assert [r.status for r in results] == ["unchanged"] * 3
    assert [r.actions for r in results] == [["deploy"], ["publish"], []]
    assert undeployed.deployments and demoted.state == "PUBLISHED" and blocked.state == "BLOCKED"


def test_expired_token_in_the_middle_of_a_sync_is_renewed(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    sync_lids(client, lids[:1])
    splp_double.inject("expired_token", operation="createAPI")
    results = sync_lids(client, lids)
    assert [r.status for r in results] == ["unchanged", "created", "created"]
    assert splp_double.tokens_issued == 2


def test_many_edits_stay_within_the_revision_limit(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    lid = lids[0]
    api_id = api_id_of(sync_lids(client, [lid])[0])
    for n in range(1, 8):
        lid["description"] = f"Edisi {n}"
        result = sync_lids(client, [lid])[0]
        assert (result.status, result.error) == ("updated", None)
    stored = splp_double.apis[api_id]
    assert len(stored.revisions) == 5
    assert stored.revisions[-1]["snapshot"]["description"] == "Edisi 7"
    assert stored.deployments[0]["revisionUuid"] == stored.revisions[-1]["id"]
    deleted = [r for r in splp_double.requests if r.operation == "deleteAPIRevision"]
    assert len(deleted) == 8 - 5


def test_update_whose_deploy_failed_is_deployed_by_the_next_run(
    make_client: MakeClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    client = make_client(retry=RetryPolicy(attempts=2, backoff_initial=0.0))
    api_id = sync_lids(client, lids[:1])[0].api_id
    lids[0]["description"] = "Versi terbaru"
    splp_double.inject("server_error", times=2, operation="createAPIRevision")
    failed = sync_lids(client, lids[:1])[0]
    assert (failed.status, failed.error_kind, failed.actions) == ("failed", "server",
                                                                 ["update", "deploy"])
    assert _served(splp_double, api_id)["description"] != "Versi terbaru"
    repaired = sync_lids(client, lids[:1])[0]
    assert (repaired.status, repaired.actions) == ("unchanged", ["deploy"])
    assert _served(splp_double, api_id)["description"] == "Versi terbaru"
    assert sync_lids(client, lids[:1])[0].actions == []
