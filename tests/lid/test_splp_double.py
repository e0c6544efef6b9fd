"""The SPLP double itself: it enforces the contract, tokens and scopes, so the adapter's tests
mean something. Each test provokes a violation on purpose and takes it off the list."""
from __future__ import annotations

import json
from typing import Any

import requests
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from tests.support.splp_contract import load_contract
from tests.support.splp_double import SplpDouble


def _token(double: SplpDouble, scope: str = "apim:api_view apim:api_create") -> str:
    answer = requests.post(f"{double.base_url}/oauth2/token",
                           data={"grant_type": "client_credentials", "scope": scope},
                           auth=(double.client_id, double.client_secret), timeout=5)
    assert answer.status_code == 200
    return answer.json()["access_token"]


def _post_api(double: SplpDouble, body: Any, token: str) -> requests.Response:
    return requests.post(f"{double.api_url}/apis", json=body, timeout=5,
                         headers={"Authorization": f"Bearer {token}"})


def test_contract_is_loaded_once_per_session() -> None:
    first, second = load_contract(), load_contract()
    assert first is second
    assert first.load_seconds > 0
    assert first.base_path == "/api/am/publisher/v4"


def test_malformed_create_body_is_recorded_as_a_violation(splp_double: SplpDouble) -> None:
    token = _token(splp_double)
    answer = _post_api(splp_double, {"name": "Tanpa versi", "context": "/x", "type": "REST"},
                       token)
    assert answer.status_code == 400
    found = splp_double.take_violations()
    assert len(found) == 1
    assert "createAPI request" in found[0]
    assert "'version' is a required property" in found[0]
    assert "'REST' is not one of" in found[0]
    assert splp_double.apis == {}


def test_read_only_field_in_a_request_is_a_violation(splp_double: SplpDouble) -> None:
    token = _token(splp_double)
    _post_api(splp_double, {"id": "mine", "name": "A", "context": "/a", "version": "1"}, token)
    assert any("read-only" in v for v in splp_double.take_violations())


def test_bad_lifecycle_action_and_unknown_path_are_violations(splp_double: SplpDouble) -> None:
    token = _token(splp_double, "apim:api_publish")
    headers = {"Authorization": f"Bearer {token}"}
    requests.post(f"{splp_double.api_url}/apis/change-lifecycle",
                  params={"apiId": "x", "action": "Publikasikan"}, headers=headers, timeout=5)
    requests.get(f"{splp_double.api_url}/no-such-thing", headers=headers, timeout=5)
    found = splp_double.take_violations()
    assert any("changeAPILifecycle request" in v and "Publikasikan" in v for v in found)
    assert any("not in the contract" in v for v in found)


def test_a_response_that_breaks_the_contract_is_caught(splp_double: SplpDouble) -> None:
    token = _token(splp_double)
    created = _post_api(splp_double, {"name": "A", "context": "/a", "version": "1"}, token)
    api_id = created.json()["id"]
    splp_double.apis[api_id].data["visibility"] = "RAHASIA"  # not in the enum
    requests.get(f"{splp_double.api_url}/apis/{api_id}", timeout=5,
                 headers={"Authorization": f"Bearer {token}"})
    found = splp_double.take_violations()
    assert len(found) == 1 and "getAPI response 200" in found[0] and "RAHASIA" in found[0]


def test_missing_expired_and_underscoped_tokens_are_refused(splp_double: SplpDouble) -> None:
    url = f"{splp_double.api_url}/apis"
    missing = requests.get(url, timeout=5)
    assert (missing.status_code, missing.json()["code"]) == (401, 900902)
    token = _token(splp_double, "apim:api_view")
    splp_double.expire_tokens()
    expired = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert (expired.status_code, expired.json()["code"]) == (401, 900901)
    viewer = _token(splp_double, "apim:api_view")
    refused = _post_api(splp_double, {"name": "A", "context": "/a", "version": "1"}, viewer)
    assert (refused.status_code, refused.json()["code"]) == (403, 900910)
    assert "apim:api_create" in refused.json()["description"]
    assert splp_double.take_violations() == []


def test_token_endpoint_checks_client_and_grant(splp_double: SplpDouble) -> None:
    url = f"{splp_double.base_url}/oauth2/token"
    wrong = requests.post(url, data={"grant_type": "client_credentials"},
                          auth=(splp_double.client_id, "wrong"), timeout=5)
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    grant = requests.post(url, data={"grant_type": "password"},
                          auth=(splp_double.client_id, splp_double.client_secret), timeout=5)
    assert grant.json()["error"] == "unsupported_grant_type"
    granted = requests.post(url, data={"grant_type": "client_credentials",
                                       "scope": "apim:api_view apim:admin"},
                            auth=(splp_double.client_id, splp_double.client_secret), timeout=5)
    assert granted.json()["scope"] == "apim:api_view"  # apim:admin is not this client's
    logged = [r for r in splp_double.requests if r.operation == "token"]
    assert all(r.authorization == "Basic ***" for r in logged)


def test_faults_hit_the_chosen_share_reproducibly(splp_double: SplpDouble) -> None:
    token = _token(splp_double)
    fault = splp_double.inject("server_error", share=0.5)
    statuses = [requests.get(f"{splp_double.api_url}/apis", timeout=5,
                             headers={"Authorization": f"Bearer {token}"}).status_code
                for _ in range(40)]
    assert statuses.count(500) == fault.hits
    assert 8 <= fault.hits <= 32
    assert set(statuses) == {200, 500}


def test_undeclared_statuses_and_bodies_are_judged() -> None:
    contract = load_contract()
    environ = EnvironBuilder(method="GET", path="/api/am/publisher/v4/apis/x").get_environ()
    request = Request(environ)
    declared = {200, 304, 404, 406}

    def reply(status: int, body: Any) -> list[str]:
        response = Response(json.dumps(body), status=status, content_type="application/json")
        return contract.check_response(request, response, "getAPI", declared)

    error = {"code": 500, "message": "Internal Server Error"}
    assert reply(500, error) == []  # platform status with the contract's Error body
    assert reply(409, {"code": 409, "message": "Conflict"}) == [
        "getAPI: status 409 is not in the contract"]
    assert "not an Error" in reply(503, {"oops": True})[0]
    assert "not an Error" in reply(401, {"code": "900901", "message": "x"})[0]  # code: integer
    assert reply(404, {"code": 404, "message": "Not Found"}) == []
    assert reply(200, {"name": "A", "context": "/a", "version": "1"}) == []
    assert "required" in reply(200, {"name": "A"})[0]
