"""Pure rules of ckanext.splpdepok.schemas.national_output (no database)."""
from __future__ import annotations

from typing import Any

import pytest
from ckanext.splpdepok.schemas.national_output import (
    EXTRA_FIELDS,
    extra_value,
    national_dcat_entry,
    with_national_extras,
    without_echoed_extras,
)
from hypothesis import given
from hypothesis import strategies as st

from tests.schema.samples import NATIONAL_VALUES


@pytest.mark.parametrize(("value", "text"), [
    ("Jiwa", "Jiwa"), ("", None), (None, None), ([], None), ({}, None),
    (["2023", "2024"], '["2023", "2024"]'), ({"b": 1, "a": "é"}, '{"a": "é", "b": 1}'),
    (2024, "2024"), (True, "true"),
])
def test_extra_value(value: Any, text: str | None) -> None:
    assert extra_value(value) == text


def test_echo_adds_each_present_field_once_and_keeps_existing_extras() -> None:
    pkg = {"satuan": "Jiwa", "theme": ["a", "b"], "ukuran": "", "extras": [
        {"key": "jenis", "value": "lama"}, {"key": "catatan", "value": "x"}], "jenis": "baru"}
    out = with_national_extras(pkg)
    assert out["extras"] == [{"key": "jenis", "value": "lama"}, {"key": "catatan", "value": "x"},
                             {"key": "satuan", "value": "Jiwa"},
                             {"key": "theme", "value": '["a", "b"]'}]
    assert pkg["extras"] == out["extras"][:2]  # the input is not changed
    assert "extras" not in with_national_extras({"satuan": "Jiwa"}, ())


def test_echo_of_a_full_dataset_covers_every_field() -> None:
    out = with_national_extras(dict(NATIONAL_VALUES))
    assert [e["key"] for e in out["extras"]] == [k for k in EXTRA_FIELDS if k in NATIONAL_VALUES]


FIELDS = {"satuan", "ukuran", "theme"}


def _never() -> dict[str, Any]:
    raise AssertionError("stored() read without a conflict")


def test_unchanged_echoes_are_dropped_and_other_extras_kept() -> None:
    data = {"satuan": "Jiwa", "extras": [{"key": "satuan", "value": "Jiwa"},
                                         {"key": "catatan", "value": "x"}]}
    assert without_echoed_extras(data, FIELDS, _never) == {
        "satuan": "Jiwa", "extras": [{"key": "catatan", "value": "x"}]}


def test_an_echo_fills_a_missing_field() -> None:
    out = without_echoed_extras({"extras": [{"key": "ukuran", "value": "Rasio"}]}, FIELDS, _never)
    assert out == {"ukuran": "Rasio", "extras": []}


def test_conflict_the_edited_side_wins() -> None:
    data = {"satuan": "Orang", "extras": [{"key": "satuan", "value": "Jiwa"}]}
    # field edited (stored value was the echo's): the field wins
    assert without_echoed_extras(data, FIELDS, lambda: {"satuan": "Jiwa"})["satuan"] == "Orang"
    # echo edited (field still the stored value): the echo wins
    assert without_echoed_extras(data, FIELDS, lambda: {"satuan": "Orang"})["satuan"] == "Jiwa"
    # nothing stored (a create): the field wins
    assert without_echoed_extras(data, FIELDS)["satuan"] == "Orang"


def test_deleted_and_malformed_extras_pass_through_untouched() -> None:
    data = {"extras": [{"key": "satuan", "value": "x", "deleted": True}, "junk"]}
    assert without_echoed_extras(data, FIELDS, _never) == data
    assert without_echoed_extras({"extras": "nope"}, FIELDS, _never) == {"extras": "nope"}


def test_dcat_entry_without_organization_or_resources() -> None:
    base = {"title": "t", "publisher": {"name": "Walidata"}, "distribution": []}
    pkg = {"id": "abc", "name": "n", "title": None, "metadata_created": "2024-01-01T00:00:00",
           "metadata_modified": "2024-02-01T00:00:00", "satuan": "Jiwa", "tags": [],
           "resources": [{"url": "https://x.test/api", "format": "JSON", "size": None}]}
    entry = national_dcat_entry(pkg, base)
    assert entry["identifier"] == "abc" and entry["title"] == "n"
    assert entry["publisher"] == {"name": "Walidata"}  # ckanext-dcat's fallback stays
    assert entry["distribution"] == [{"title": "", "description": "", "format": "JSON",
                                      "accessURL": "https://x.test/api"}]
    assert entry["satuan"] == "Jiwa" and "produsen_data_name" not in entry
    assert (entry["produsen_data_city_code"], entry["produsen_data_province_code"]) == (
        "3276", "32")


_texts = st.text(min_size=1, max_size=12)
_values = st.one_of(_texts, st.lists(_texts, max_size=3), st.integers(-5, 5))
_datasets = st.fixed_dictionaries({}, optional={f: _values for f in EXTRA_FIELDS}).map(
    lambda d: {**d, "extras": [{"key": "catatan", "value": "bebas"}]})


@given(_datasets)
def test_echo_then_strip_gives_the_dataset_back(pkg: dict[str, Any]) -> None:
    shown = with_national_extras(pkg)
    assert len({e["key"] for e in shown["extras"]}) == len(shown["extras"])
    assert without_echoed_extras(shown, EXTRA_FIELDS, _never) == pkg
