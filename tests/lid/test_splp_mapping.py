"""Pure mapping of LID entries to WSO2 API payloads, and the comparator (no server, no DB)."""
from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from ckanext.splpdepok.lid.splp import (
    LidMappingError,
    MappingOptions,
    compare,
    compare_lid,
    map_lid,
)
from ckanext.splpdepok.lid.splp.client import OPERATION_SCOPES
from ckanext.splpdepok.lid.splp.mapping import (
    READ_ONLY_API_FIELDS,
    normalize_context,
    safe_api_name,
    update_body,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_core.validation.schemas import oas30_write_schema_validators_factory

from tests.lid.conftest import SAMPLE_LIDS
from tests.support.splp_contract import load_contract


def _lid(index: int = 0, **changes: Any) -> dict[str, Any]:
    lid = copy.deepcopy(SAMPLE_LIDS[index])
    lid.update(changes)
    return lid


def _api_schema_validator() -> Any:
    contract = load_contract()
    return oas30_write_schema_validators_factory.create(
        contract.openapi.spec / "components" / "schemas" / "API"
    )


def test_terbatas_maps_to_restricted_visibility_with_roles() -> None:
    payload = map_lid(_lid(0))
    assert payload["visibility"] == "RESTRICTED"
    assert payload["visibleRoles"] == ["Internal/subscriber"]
    assert map_lid(_lid(0, visible_roles=["depok_opd"]))["visibleRoles"] == ["depok_opd"]


def test_terbuka_maps_to_public_visibility() -> None:
    payload = map_lid(_lid(1))
    assert payload["visibility"] == "PUBLIC"
    assert payload["visibleRoles"] == []


def test_core_fields_and_endpoints() -> None:
    payload = map_lid(_lid(0))
    assert payload["name"] == "Data Penduduk Disdukcapil"  # parentheses are forbidden by WSO2
    assert payload["displayName"] == "Data Penduduk (Disdukcapil)"
    assert payload["context"] == "/kependudukan"
    assert payload["version"] == "1.0.0"
    assert payload["type"] == "HTTP"
    assert payload["policies"] == ["Unlimited"]
    assert payload["businessInformation"] == {"businessOwner": "Disdukcapil Kota Depok"}
    endpoints = payload["endpointConfig"]
    assert endpoints["endpoint_type"] == "http"
    assert endpoints["production_endpoints"]["url"] == "https://api.depok.go.id/penduduk/v1"
    # Without a sandbox URL the sandbox points at production.
    assert endpoints["sandbox_endpoints"]["url"] == "https://api.depok.go.id/penduduk/v1"
    assert [(o["target"], o["verb"]) for o in payload["operations"]] == [("/*", "GET")]


def test_sandbox_url_and_context_slashes() -> None:
    payload = map_lid(_lid(2))
    assert payload["endpointConfig"]["sandbox_endpoints"]["url"].startswith("https://sandbox.")
    assert map_lid(_lid(1))["context"] == "/pendidikan/sekolah"


def test_attributes_output_format_and_classification_travel_as_properties() -> None:
    payload = map_lid(_lid(1))
    props = {p["name"]: p for p in payload["additionalProperties"]}
    assert props["lid_output_format"]["value"] == "CSV"
    assert props["lid_classification"]["value"] == "terbuka"
    assert json.loads(props["lid_attributes"]["value"]) == [
        {"name": "npsn", "type": "string", "description": "NPSN"}
    ]
    assert props["lid_attributes"]["display"] is False
    assert set(payload["tags"]) >= {"satudata-depok", "lid", "terbuka", "csv"}


def test_options_choose_tiers_and_roles() -> None:
    options = MappingOptions(subscription_tiers=("Gold", "Bronze"), restricted_roles=("r1",))
    payload = map_lid(_lid(0), options)
    assert payload["policies"] == ["Bronze", "Gold"]
    assert payload["visibleRoles"] == ["r1"]


def test_every_problem_of_an_entry_is_listed() -> None:
    bad = _lid(0, name="", context="t/other/x", version="1 0", endpoint_url="ftp://x",
               classification="rahasia", output_format="DOCX", attributes=[{"type": "x"}])
    with pytest.raises(LidMappingError) as caught:
        map_lid(bad)
    text = str(caught.value)
    for word in ("name", "context", "version", "endpoint_url", "classification",
                 "output_format", "attributes"):
        assert word in text
    assert len(caught.value.problems) == 7


def test_safe_name_and_context_normalisation() -> None:
    assert safe_api_name("A/B, C & D [x]") == "A B C D x"
    assert normalize_context("/t/depok.go.id/kependudukan", "1.0.0", "depok.go.id") == (
        "/kependudukan"
    )
    assert normalize_context("/t/depok.go.id/kependudukan/1.0.0", "1.0.0") == "/kependudukan"
    assert normalize_context("/kependudukan/{version}", "1.0.0") == "/kependudukan"
    assert normalize_context("/a/b/", "2") == "/a/b"


def test_mapped_payloads_conform_to_the_contract() -> None:
    validator = _api_schema_validator()
    for lid in SAMPLE_LIDS:
        validator.validate(map_lid(lid))


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    name=_text.filter(lambda s: safe_api_name(s) != ""),
    description=st.text(max_size=200),
    context=st.from_regex(r"[a-z][a-z0-9\-_]{0,20}(/[a-z0-9\-_.]{1,10}){0,2}", fullmatch=True),
    version=st.from_regex(r"v?[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True),
    classification=st.sampled_from(["terbuka", "terbatas"]),
    output=st.sampled_from(["json", "XML", "Csv"]),
    attrs=st.lists(st.fixed_dictionaries({"name": _text.filter(str.strip), "type": _text}),
                   max_size=4),
)
def test_any_valid_entry_maps_to_a_contract_valid_payload(
    name: str, description: str, context: str, version: str, classification: str,
    output: str, attrs: list[dict[str, str]],
) -> None:
    lid = _lid(0, name=name, description=description, context=context, version=version,
               classification=classification, output_format=output, attributes=attrs)
    if context.split("/")[0] == "t":
        return
    payload = map_lid(lid)
    _api_schema_validator().validate(payload)
    assert compare(payload, payload).same


def test_comparator_accepts_what_splp_adds() -> None:
    desired = map_lid(_lid(0))
    remote = copy.deepcopy(desired)
    remote.update(
        id="abc", context="/t/depok.go.id/kependudukan", lifeCycleStatus="PUBLISHED",
        provider="admin@depok.go.id", name="Renamed in SPLP",
        tags=list(reversed(desired["tags"])),
        additionalProperties=[*desired["additionalProperties"],
                              {"name": "other", "value": "x", "display": True}],
    )
    remote["endpointConfig"]["production_endpoints"]["config"] = None
    assert compare_lid(_lid(0), remote).same


def test_comparator_reads_the_property_map_when_the_list_is_absent() -> None:
    desired = map_lid(_lid(1))
    remote = copy.deepcopy(desired)
    remote["additionalPropertiesMap"] = {p["name"]: p for p in remote.pop("additionalProperties")}
    assert compare(desired, remote).same


def test_comparator_lists_each_differing_field() -> None:
    desired = map_lid(_lid(0))
    remote = copy.deepcopy(desired)
    remote["description"] = "lama"
    remote["endpointConfig"]["production_endpoints"]["url"] = "https://old.example/"
    remote["visibility"] = "PUBLIC"
    remote["additionalProperties"][0]["value"] = "[]"
    result = compare(desired, remote)
    assert not result.same
    assert sorted(result.fields) == sorted(
        ["description", "endpointConfig", "visibility", "additionalProperties"]
    )
    diff = next(d for d in result.differences if d.field == "description")
    assert (diff.expected, diff.actual) == (desired["description"], "lama")


def test_update_body_keeps_remote_fields_and_drops_read_only_ones() -> None:
    desired = map_lid(_lid(0))
    remote = {**copy.deepcopy(desired), "id": "abc", "keyManagers": ["all"],
              "context": "/t/depok.go.id/kependudukan", "cacheTimeout": 300,
              "description": "old"}
    body = update_body(remote, desired)
    assert not set(READ_ONLY_API_FIELDS) & set(body)
    assert body["cacheTimeout"] == 300
    assert body["context"] == "/t/depok.go.id/kependudukan"
    assert body["description"] == desired["description"]
    _api_schema_validator().validate(body)


def test_read_only_fields_and_scopes_match_the_contract() -> None:
    contract = load_contract()
    with (contract.openapi.spec / "components" / "schemas" / "API" / "properties").open() as p:
        read_only = {k for k, v in p.items() if v.get("readOnly")}
    assert set(READ_ONLY_API_FIELDS) == read_only
    with (contract.openapi.spec / "paths").open() as paths:
        for path in paths.values():
            for operation in path.values():
                if isinstance(operation, dict) and operation.get("operationId") in OPERATION_SCOPES:
                    declared = tuple(operation["security"][0]["OAuth2Security"])
                    assert OPERATION_SCOPES[operation["operationId"]] == declared
