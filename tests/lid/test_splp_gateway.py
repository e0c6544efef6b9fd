"""Connection check through the SPLP gateway (SOP step 16), against the double."""
from __future__ import annotations

import socket
from typing import Any

from ckanext.splpdepok.lid.splp import PublisherClient, check_gateway, gateway_url, sync_lids

from tests.support.splp_double import SplpDouble


def _published(client: PublisherClient, lids: list[dict[str, Any]]) -> dict[str, Any]:
    assert sync_lids(client, lids[:1])[0].status == "created"
    return lids[0]


def test_gateway_url_is_built_from_its_parts() -> None:
    assert gateway_url("https://gw.example/", "depok.go.id", "/kependudukan/", "1.0.0",
                       "/penduduk") == "https://gw.example/t/depok.go.id/kependudukan/1.0.0/penduduk"
    assert gateway_url("https://gw", "d.go.id", "a/b", "v1") == "https://gw/t/d.go.id/a/b/v1"


def test_published_and_deployed_lid_answers(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    lid = _published(client, lids)
    result = check_gateway(splp_double.gateway_url, "depok.go.id", lid["context"],
                           lid["version"], token=splp_double.issue_token(),
                           resource_path="/kecamatan")
    assert result.ok and result.status_code == 200 and result.failure is None
    assert result.latency_ms > 0
    served = [r for r in splp_double.requests if r.operation == "gateway"][-1]
    assert served.path == "/t/depok.go.id/kependudukan/1.0.0/kecamatan"
    assert served.authorization == "Bearer ***"


def test_unpublished_lid_is_an_http_404(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    lid = _published(client, lids)
    api_id = next(iter(splp_double.apis))
    splp_double.apis[api_id].data["lifeCycleStatus"] = "CREATED"
    result = check_gateway(splp_double.gateway_url, "depok.go.id", lid["context"],
                           lid["version"], token=splp_double.issue_token())
    assert not result.ok
    assert (result.failure, result.status_code) == ("http_status", 404)
    assert "no published, deployed API" in result.message


def test_missing_or_bad_token_is_an_http_401(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    lid = _published(client, lids)
    for token in (None, "made-up-token-123"):
        result = check_gateway(splp_double.gateway_url, "depok.go.id", lid["context"],
                               lid["version"], token=token)
        assert (result.failure, result.status_code) == ("http_status", 401)
        assert "made-up-token-123" not in result.message


def test_slow_gateway_is_a_timeout(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    lid = _published(client, lids)
    splp_double.inject("slow", operation="gateway", delay=0.6)
    result = check_gateway(splp_double.gateway_url, "depok.go.id", lid["context"],
                           lid["version"], token=splp_double.issue_token(),
                           timeout=(1.0, 0.2))
    assert (result.ok, result.failure, result.status_code) == (False, "timeout", None)


def test_failing_gateway_is_an_http_500(
    client: PublisherClient, splp_double: SplpDouble, lids: list[dict[str, Any]]
) -> None:
    lid = _published(client, lids)
    splp_double.inject("server_error", operation="gateway")
    result = check_gateway(splp_double.gateway_url, "depok.go.id", lid["context"],
                           lid["version"], token=splp_double.issue_token())
    assert (result.failure, result.status_code) == ("http_status", 500)


def test_refused_connection_is_tcp() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = check_gateway(f"http://127.0.0.1:{port}", "depok.go.id", "x", "v1", token="t")
    assert (result.ok, result.failure) == (False, "tcp")


def test_unknown_host_is_dns() -> None:
    result = check_gateway("https://splp-gateway.invalid", "depok.go.id", "x", "v1", token="t")
    assert (result.ok, result.failure) == (False, "dns")


def test_https_to_a_plain_http_port_is_tls(splp_double: SplpDouble) -> None:
    port = splp_double.gateway_url.rsplit(":", 1)[1]
    result = check_gateway(f"https://127.0.0.1:{port}", "depok.go.id", "x", "v1", token="t",
                           verify=False)
    assert (result.ok, result.failure) == (False, "tls")


def test_missing_tenant_is_an_invalid_url() -> None:
    result = check_gateway("https://gw.example", "", "x", "v1", token="t")
    assert (result.ok, result.failure) == (False, "invalid_url")
