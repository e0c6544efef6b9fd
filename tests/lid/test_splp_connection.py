"""Connection check of an LID with SPLP (SOP step 16) against the double."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckanext.splpdepok.lid.splp import (
    PublisherClient,
    RetryPolicy,
    check_connection,
    sync_lids,
)

from tests.lid.conftest import api_id_of
from tests.support.splp_double import SplpDouble


def _check(client: PublisherClient, double: SplpDouble, lid: dict[str, Any]) -> Any:
    return check_connection(client, lid, gateway=double.gateway_url,
                            gateway_token=double.issue_token(), resource_path="/data")


def test_synced_lid_is_connected(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    synced = sync_lids(client, lids)
    reports = []
    for lid, result in zip(lids, synced, strict=True):
        report = _check(client, splp_double, lid)
        reports.append(report)
        assert report.connected, report.problems
        assert report.api_id == result.api_id and report.same_fields and report.deployed
        assert report.gateway is not None and report.gateway.status_code == 200
    assert reports[-1].as_dict()["connected"] is True


def test_lid_missing_from_splp_is_not_connected(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    report = _check(client, splp_double, lids[0])
    assert not report.connected and report.gateway is None
    assert "not in the national LID catalogue" in report.problems[0]


def test_fields_changed_in_splp_are_reported(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    api_id = api_id_of(sync_lids(client, lids[:1])[0])
    stored = splp_double.apis[api_id]
    stored.data["description"] = "diubah langsung di SPLP"
    stored.data["endpointConfig"]["production_endpoints"]["url"] = "https://lain.example/"
    report = _check(client, splp_double, lids[0])
    assert not report.connected and not report.same_fields
    assert [d.field for d in report.differences] == ["description", "endpointConfig"]
    assert report.gateway is not None and report.gateway.ok  # still served: fields only
    assert report.problems == ["fields differ from the LID entry: description, endpointConfig; "
                               "sync again"]


def test_unpublished_and_undeployed_api_is_not_connected(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    api_id = api_id_of(sync_lids(client, lids[:1])[0])
    splp_double.apis[api_id].data["lifeCycleStatus"] = "CREATED"
    splp_double.apis[api_id].deployments.clear()
    report = _check(client, splp_double, lids[0])
    assert report.same_fields and not report.deployed and report.lifecycle == "CREATED"
    assert len(report.problems) == 3
    assert report.gateway is not None and report.gateway.status_code == 404


def test_splp_failure_is_a_problem_not_an_exception(
    make_client: Callable[..., PublisherClient], splp_double: SplpDouble,
    lids: list[dict[str, Any]],
) -> None:
    client = make_client(retry=RetryPolicy(attempts=2, backoff_initial=0.0))
    sync_lids(client, lids[:1])
    splp_double.inject("server_error", times=5)
    report = _check(client, splp_double, lids[0])
    assert not report.connected
    assert report.problems[0].startswith("SPLP could not be read") and "HTTP 500" in (
        report.problems[0])


def test_gateway_serving_an_older_revision_is_reported(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    api_id = api_id_of(sync_lids(client, lids[:1])[0])
    revision = splp_double.apis[api_id].revisions[-1]
    revision["snapshot"]["description"] = "isi lama"
    report = _check(client, splp_double, lids[0])
    assert report.same_fields and report.deployed
    assert report.problems == ["the gateway serves an older revision of the API: sync again"]
    assert sync_lids(client, lids[:1])[0].actions == ["deploy"]
    assert _check(client, splp_double, lids[0]).connected
