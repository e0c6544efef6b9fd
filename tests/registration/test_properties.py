"""Property-based tests: bad input is a validation error (never a 500), markup is always escaped."""
from __future__ import annotations

import contextlib
import io
from types import SimpleNamespace
from typing import Any

import pytest
from ckan.tests import factories
from ckan.tests.helpers import logic
from ckanext.splpdepok.registration.logic import documents, validators
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.registration.conftest import PDF, act, docx_bytes, fields, odt_bytes, upload

FIELD_NAMES = ("kind", "ippd_domain", "ippd_name", "username", "full_name", "email",
               "organization", "new_organization", "phone")
junk = st.one_of(st.text(max_size=300), st.integers(), st.none(), st.booleans(),
                 st.lists(st.text(max_size=5), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_pure_validators_raise_only_value_errors(text: str) -> None:
    for func in (validators.normalise_email, validators.normalise_phone,
                 validators.normalise_domain, validators.normalise_text):
        try:
            result = func(text)
        except ValueError:
            continue
        assert isinstance(result, str)


@given(st.from_regex(r"\A(\+62|0)8[1-9][0-9]{7,9}\Z"))
@settings(max_examples=100, deadline=None)
def test_mobile_numbers_normalise_to_e164(number: str) -> None:
    try:
        normalised = validators.normalise_phone(number)
    except ValueError:
        return  # not every digit pattern is an allocated range
    assert normalised.startswith("+628") and normalised[1:].isdigit()
    assert validators.normalise_phone(normalised) == normalised


@given(st.binary(max_size=2048), st.sampled_from(["a.pdf", "a.docx", "a.odt", "a.exe", "a"]))
@settings(max_examples=200, deadline=None)
def test_random_bytes_are_refused_as_documents(content: bytes, name: str) -> None:
    try:
        checked = documents.check_upload("letter", upload(content, name), max_bytes=4096)
    except ValueError:
        return
    assert checked is not None and checked.mimetype in documents.ALLOWED


@pytest.mark.parametrize("content,name,accepted", [
    (PDF, "surat.pdf", True), (docx_bytes(), "k.docx", True), (odt_bytes(), "k.odt", True),
    (PDF, "surat.docx", False), (docx_bytes(), "k.pdf", False), (b"MZ\x90\x00", "x.pdf", False),
    (b"<html><script>alert(1)</script>", "x.pdf", False), (b"", "x.pdf", False),
])
def test_document_types_by_content(content: bytes, name: str, accepted: bool) -> None:
    if accepted:
        assert documents.check_upload("kajian", upload(content, name), max_bytes=4096)
    else:
        with pytest.raises(ValueError):
            documents.check_upload("kajian", upload(content, name), max_bytes=4096)


@given(st.dictionaries(st.sampled_from(FIELD_NAMES), junk, max_size=len(FIELD_NAMES)))
@SETTINGS
def test_create_with_junk_is_a_validation_error(people: SimpleNamespace,
                                                data: dict[str, Any]) -> None:
    payload = dict(fields("ippd"), **data)
    try:
        result = act("create", people.applicant, **payload)
    except logic.ValidationError as error:
        assert isinstance(error.error_dict, dict) and error.error_dict
    else:
        assert result["status"] == "draft"


@given(st.dictionaries(st.sampled_from(("id", "note", "version", "kind", "status", "limit",
                                        "offset", "overdue", "text", "organization",
                                        "plan")), junk))
@SETTINGS
def test_other_actions_with_junk_never_crash(people: SimpleNamespace,
                                             data: dict[str, Any]) -> None:
    for action in ("submit", "approve", "return", "show", "list"):
        with contextlib.suppress(logic.ValidationError, logic.NotAuthorized, logic.NotFound):
            act(action, people.walidata, **data)


def test_api_junk_is_a_4xx(app: Any, people: SimpleNamespace) -> None:
    token = factories.APIToken(user=people.applicant["name"])["token"]
    cases = [("create", {"kind": ["x"]}), ("create", {"kind": "ippd", "email": {"a": 1}}),
             ("create", {"kind": "ippd", "letter_upload": 5}), ("list", {"kind": ["x"]}),
             ("list", {"limit": "many"}), ("list", {"overdue": {"x": 1}}),
             ("show", {"id": ["a", "b"]}), ("approve", {"id": {"x": 1}})]
    for action, body in cases:
        response = app.post(f"/api/3/action/splpdepok_registration_{action}", json=body,
                            headers={"Authorization": token}, expect_errors=True)
        assert 400 <= response.status_code < 500, (action, body, response.status_code)


markup = st.builds(lambda a, b: f"{a}<script>alert('{b}')</script><b onmouseover=x>{a}",
                   st.text(alphabet="abc XYZ", min_size=1, max_size=8),
                   st.text(alphabet="0123456789", min_size=1, max_size=4))


@given(markup)
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_markup_is_escaped_on_every_page(app: Any, people: SimpleNamespace,
                                         payload: str) -> None:
    reg = act("create", people.applicant, **fields(
        "ippd", ippd_name=payload, full_name=payload, new_organization=payload))
    act("submit", people.applicant, id=reg["id"])
    act("return", people.walidata, id=reg["id"], note=payload)
    pages = [("applicant", "/pendaftaran"), ("applicant", f"/pendaftaran/{reg['id']}"),
             ("applicant", f"/pendaftaran/{reg['id']}/ubah"),
             ("walidata", "/ckan-admin/pendaftaran?status=all"),
             ("walidata", f"/ckan-admin/pendaftaran/{reg['id']}"),
             ("applicant", "/pemberitahuan")]
    for who, url in pages:
        token = factories.APIToken(user=getattr(people, who)["name"])["token"]
        body = app.get(url, headers={"Authorization": token}).get_data(as_text=True)
        assert "<script>alert(" not in body, url
        assert "<b onmouseover" not in body, url
        assert "&lt;script&gt;alert(" in body, url  # shown, as text


def test_upload_field_given_as_text_is_refused(people: SimpleNamespace) -> None:
    with pytest.raises(logic.ValidationError) as refused:
        act("create", people.applicant, **fields("ippd", letter_upload="/etc/passwd"))
    assert "letter_upload" in refused.value.error_dict


def test_stream_is_read_at_most_once_past_the_limit() -> None:
    stream = io.BytesIO(PDF + b"x" * 10_000)
    with pytest.raises(ValueError, match="too large"):
        documents.check_upload("letter", upload(stream.getvalue(), "a.pdf"), max_bytes=1000)
