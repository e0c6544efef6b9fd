"""Hostile input to every registration action and page: a 4xx with a clear message, never a 500.

The values attackers sent in issue 9: wrong JSON types (``mine: 1``, ``limit: [1]``), NUL bytes,
lone surrogates, huge numbers, empty ids.
"""
from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from ckan.tests import factories

from tests.registration.conftest import act, fields

ACTIONS = ("create", "update", "submit", "approve", "return", "reject", "show", "list", "plan")
HUGE = "9" * 4000  # a JSON number Python still parses, far beyond any column
BODIES = [
    ('{"id": ""}', "Missing value"),
    ('{"id": "\\u0000abc"}', "NUL"),
    ('{"id": "\\ud800"}', "invalid character"),
    ('{"id": [1]}', "Must be text"),
    ('{"id": {"a": 1}}', "Must be text"),
    (f'{{"id": {HUGE}}}', "Must be text"),
    ('{"id": "' + "x" * 5000 + '"}', "Not a valid identifier"),
]
LIST_BODIES = [
    ('{"mine": 1}', "Must be true or false"),
    ('{"overdue": [true]}', "Must be true or false"),
    ('{"limit": [1]}', "Must be a whole number"),
    ('{"limit": 1.5}', "Must be a whole number"),
    ('{"offset": "' + "9" * 5000 + '"}', "Must be a whole number"),
    ('{"text": "\\u0000"}', "NUL"),
    ('{"text": "a\\udfffb"}', "invalid character"),
    ('{"kind": ["ippd"]}', "Must be text"),
]


def _post(app: Any, token: str, action: str, body: str) -> Any:
    return app.post(f"/api/3/action/splpdepok_registration_{action}", data=body,
                    headers={"Authorization": token, "Content-Type": "application/json"},
                    expect_errors=True)


@pytest.fixture
def token(people: SimpleNamespace) -> str:
    return factories.APIToken(user=people.sysadmin["name"])["token"]


@pytest.mark.parametrize("action", [a for a in ACTIONS if a not in ("create", "list")])
def test_bad_ids_are_409_with_a_message(app: Any, token: str, action: str) -> None:
    for body, message in BODIES:
        response = _post(app, token, action, body)
        assert response.status_code == 409, (action, body[:40], response.get_data(as_text=True))
        assert message in json.dumps(response.json["error"], ensure_ascii=False), body[:40]


def test_bad_list_parameters_are_409(app: Any, token: str) -> None:
    for body, message in LIST_BODIES:
        response = _post(app, token, "list", body)
        assert response.status_code == 409, response.get_data(as_text=True)
        assert message in json.dumps(response.json["error"]), body[:40]


@pytest.mark.parametrize("action", ["approve", "return", "reject", "submit"])
@pytest.mark.parametrize("extra", ['"note": "\\u0000"', '"note": ["a"]', '"version": [1]',
                                   f'"version": {HUGE}0', '"plan": 5', '"note": "\\ud83d"'])
def test_bad_transition_fields_are_409(app: Any, token: str, people: SimpleNamespace,
                                       action: str, extra: str) -> None:
    reg = act("create", people.applicant, **fields("ippd"))
    act("submit", people.applicant, id=reg["id"])
    response = _post(app, token, action, f'{{"id": "{reg["id"]}", {extra}}}')
    if "version" in extra and "[" not in extra:  # clamped, then simply not this version
        assert response.status_code == 409 and "conflict" in response.json["error"]
        return
    assert response.status_code == 409, response.get_data(as_text=True)
    assert act("show", people.sysadmin, id=reg["id"])["status"] == "submitted"


@pytest.mark.parametrize("field", ["ippd_domain", "ippd_name", "username", "full_name", "email",
                                   "phone", "organization", "new_organization", "kind"])
def test_create_with_hostile_fields_is_refused(people: SimpleNamespace, field: str) -> None:
    from ckan.tests.helpers import logic

    for value in ("a\u0000b", "a\ud800b", ["x"], 10**40, {"x": 1}):
        data = dict(fields("ippd"), **{field: value})
        with pytest.raises(logic.ValidationError) as refused:
            act("create", people.applicant, **data)
        errors = refused.value.error_dict
        assert field in errors or "organization" in errors, (field, value)
    assert act("list", people.applicant)["count"] == 0


def test_a_nul_in_an_uploaded_file_name_is_refused(people: SimpleNamespace) -> None:
    from ckan.tests.helpers import logic

    from tests.registration.conftest import PDF, upload

    with pytest.raises(logic.ValidationError) as refused:
        act("create", people.applicant, **fields("ippd", letter_upload=upload(
            PDF, "surat\u0000.pdf")))
    assert "letter_upload" in refused.value.error_dict


@pytest.mark.parametrize(("path", "status"), [
    # NUL bytes are refused by the security capability's request guard before any view runs;
    # an id that is merely unknown, overlong or not valid UTF-8 is not found.
    ("/ckan-admin/pendaftaran/%00", 400), ("/ckan-admin/pendaftaran/%ED%A0%80", 404),
    ("/ckan-admin/pendaftaran/" + "x" * 3000, 404), ("/pendaftaran/%00", 400),
    ("/pendaftaran/%00/ubah", 400),
])
def test_pages_refuse_bad_ids(app: Any, token: str, path: str, status: int) -> None:
    assert app.get(path, headers={"Authorization": token}, expect_errors=True) \
        .status_code == status


@pytest.mark.parametrize(("query", "status"), [
    ("page=-5", 200), ("status=" + "x" * 500, 200), ("text=%ED%A0%80", 200),
    # the request guard: NUL bytes and page numbers past 100,000 are refused outright
    ("page=" + "9" * 40, 400), ("text=%00", 400), ("kind=%00", 400),
])
def test_the_queue_survives_bad_parameters(app: Any, token: str, query: str,
                                           status: int) -> None:
    response = app.get(f"/ckan-admin/pendaftaran?{query}", headers={"Authorization": token},
                       expect_errors=True)
    assert response.status_code == status
