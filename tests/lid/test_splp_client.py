"""The publisher client against the SPLP double: tokens, retries, error mapping, look-ups."""
from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from ckanext.splpdepok.lid.splp import (
    ClientCredentials,
    PublisherClient,
    RetryPolicy,
    SplpAuthError,
    SplpConflictError,
    SplpConnectionError,
    SplpForbiddenError,
    SplpNotFoundError,
    SplpRateLimitedError,
    SplpServerError,
    SplpTimeoutError,
    Timeouts,
    map_lid,
)
from ckanext.splpdepok.lid.splp import client as client_module

from tests.lid.conftest import SAMPLE_LIDS
from tests.support.splp_double import SplpDouble

MakeClient = Callable[..., PublisherClient]


def _create(client: PublisherClient, index: int = 0, **changes: Any) -> dict[str, Any]:
    return client.create_api(map_lid({**SAMPLE_LIDS[index], **changes}))


def test_create_read_and_find_by_context_and_version(
    client: PublisherClient, splp_double: SplpDouble
) -> None:
    created = _create(client)
    assert created["lifeCycleStatus"] == "CREATED"
    # SPLP (multi-tenant WSO2) stores the context with the tenant prefix.
    assert splp_double.apis[created["id"]].data["context"] == "/t/depok.go.id/kependudukan"
    found = client.find_api("/kependudukan", "1.0.0", "depok.go.id")
    assert found is not None and found["id"] == created["id"]
    assert client.find_api("/kependudukan", "2.0.0", "depok.go.id") is None
    assert client.find_api("/kependuduk", "1.0.0", "depok.go.id") is None  # no prefix match
    assert client.get_api(created["id"])["displayName"] == "Data Penduduk (Disdukcapil)"


def test_find_walks_every_page(
    client: PublisherClient, splp_double: SplpDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(7):
        _create(client, 1, name=f"Sekolah {i}", context=f"sekolah{i}", version="v1")
    monkeypatch.setattr(client_module, "PAGE_SIZE", 2)
    found = client.find_api("/sekolah6", "v1")
    assert found is not None and found["context"].endswith("/sekolah6")
    assert client.find_api("/sekolah", "v1") is None
    pages = [r.query for r in splp_double.requests if r.operation == "getAllAPIs"]
    assert len(pages) == 1 + 4  # "/sekolah" matches all seven by substring: four pages of two
    assert pages[-1].endswith("limit=2&offset=6")


def test_one_token_serves_many_calls(client: PublisherClient, splp_double: SplpDouble) -> None:
    for _ in range(5):
        client.search_apis("name:x")
    assert splp_double.tokens_issued == 1
    assert client.tokens.granted_scopes == {"apim:api_view", "apim:api_create", "apim:api_publish"}


def test_token_is_renewed_before_it_expires(
    make_client: MakeClient, splp_double: SplpDouble
) -> None:
    now = [1000.0]
    splp_double.token_lifetime = 300
    client = make_client(clock=lambda: now[0], refresh_margin=60)
    client.search_apis("x")
    now[0] += 239  # 1 s before the 60 s safety margin
    client.search_apis("x")
    assert splp_double.tokens_issued == 1
    now[0] += 2
    client.search_apis("x")
    assert splp_double.tokens_issued == 2


def test_expired_token_is_renewed_transparently(
    client: PublisherClient, splp_double: SplpDouble
) -> None:
    client.search_apis("x")
    splp_double.inject("expired_token", times=1)
    result = client.search_apis("x")
    assert result["count"] == 0
    assert splp_double.tokens_issued == 2
    statuses = [(r.operation, r.status) for r in splp_double.requests]
    assert statuses[-3:] == [("getAllAPIs", 401), ("token", 200), ("getAllAPIs", 200)]


def test_token_refused_twice_means_bad_credentials(
    client: PublisherClient, splp_double: SplpDouble
) -> None:
    splp_double.inject("expired_token", times=2)
    with pytest.raises(SplpAuthError) as caught:
        client.search_apis("x")
    assert caught.value.status == 401 and caught.value.code == 900901
    assert "credentials" in str(caught.value)


def test_wrong_secret_is_a_credentials_error(
    make_client: MakeClient, splp_double: SplpDouble
) -> None:
    bad = ClientCredentials(splp_double.client_id, "not-the-secret")
    with pytest.raises(SplpAuthError) as caught:
        make_client(credentials=bad).search_apis("x")
    assert caught.value.operation == "token"
    assert "client id and secret" in str(caught.value)
    assert "not-the-secret" not in str(caught.value) + repr(caught.value)


def test_missing_scope_names_the_scope(make_client: MakeClient, splp_double: SplpDouble) -> None:
    splp_double.allowed_scopes = frozenset({"apim:api_view", "apim:api_create"})
    client = make_client()
    created = _create(client)
    with pytest.raises(SplpForbiddenError) as caught:
        client.publish(created["id"])
    assert "apim:api_publish" in str(caught.value)
    assert splp_double.apis[created["id"]].state == "CREATED"


def test_duplicate_context_is_a_clear_conflict(
    client: PublisherClient, splp_double: SplpDouble
) -> None:
    _create(client)
    with pytest.raises(SplpConflictError) as caught:
        _create(client, name="Another name")
    assert "context" in str(caught.value) and caught.value.status == 409
    splp_double.inject("duplicate_context")
    with pytest.raises(SplpConflictError):
        _create(client, 1)
    assert len(splp_double.apis) == 1


def test_server_errors_are_retried_until_they_pass(
    client: PublisherClient, splp_double: SplpDouble
) -> None:
    splp_double.inject("server_error", times=3)
    created = _create(client)
    assert created["id"] in splp_double.apis
    creates = [r.status for r in splp_double.requests if r.operation == "createAPI"]
    assert creates == [500, 500, 500, 201]


def test_server_errors_beyond_the_budget_raise(
    make_client: MakeClient, splp_double: SplpDouble
) -> None:
    client = make_client(retry=RetryPolicy(attempts=3, backoff_initial=0.0))
    client.search_apis("x")
    splp_double.inject("server_error", times=10)
    with pytest.raises(SplpServerError) as caught:
        client.search_apis("x")
    assert "3 attempts" in str(caught.value) and caught.value.status == 500
    assert [r.status for r in splp_double.requests[-3:]] == [500, 500, 500]


def test_throttling_is_retried_then_reported(
    make_client: MakeClient, splp_double: SplpDouble
) -> None:
    client = make_client(retry=RetryPolicy(attempts=2, backoff_initial=0.0))
    splp_double.inject("rate_limited", times=1)
    assert client.search_apis("x")["count"] == 0
    splp_double.inject("rate_limited", times=2)
    with pytest.raises(SplpRateLimitedError):
        client.search_apis("x")


def test_slow_answers_become_a_timeout_error(
    make_client: MakeClient, splp_double: SplpDouble
) -> None:
    client = make_client(timeouts=Timeouts(connect=1.0, read=0.2),
                         retry=RetryPolicy(attempts=2, backoff_initial=0.0))
    client.search_apis("x")
    splp_double.inject("slow", times=2, delay=0.6)
    with pytest.raises(SplpTimeoutError) as caught:
        client.search_apis("x")
    assert caught.value.kind == caught.value.network_kind == "timeout"
    assert "no answer in time" in str(caught.value)


def test_unreachable_splp_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PublisherClient(f"http://127.0.0.1:{port}", ClientCredentials("id-x", "secret-x"),
                             retry=RetryPolicy(attempts=2, backoff_initial=0.0))
    with pytest.raises(SplpConnectionError) as caught:
        client.search_apis("x")
    assert caught.value.network_kind == "tcp"


def test_unknown_api_is_not_found(client: PublisherClient) -> None:
    with pytest.raises(SplpNotFoundError):
        client.get_api("00000000-0000-0000-0000-000000000000")


def test_revision_deploy_publish_and_state(
    client: PublisherClient, splp_double: SplpDouble
) -> None:
    api_id = _create(client)["id"]
    revision = client.create_revision(api_id, "first")
    deployed = client.deploy_revision(api_id, revision["id"])
    assert deployed[0]["revisionUuid"] == revision["id"]
    assert client.list_deployments(api_id)[0]["name"] == "Default"
    assert [r["id"] for r in client.list_revisions(api_id)] == [revision["id"]]
    answer = client.publish(api_id)
    assert answer["workflowStatus"] == "APPROVED"
    assert client.lifecycle_state(api_id)["state"] == "Published"
    history = client.lifecycle_history(api_id)
    assert [(h["previousState"], h["postState"]) for h in history] == [("Created", "Published")]
    assert splp_double.apis[api_id].is_live
