"""Readiness check unit tests (pure)."""
from __future__ import annotations

import pytest
from ckanext.splpdepok.sync.readiness import (
    TARGET_TYPES,
    describe_missing,
    is_ready,
    missing_fields,
)

from tests.schema.samples import full_package, minimal_package


@pytest.mark.parametrize("target", ["ckan", "jabar", "harvest"])
def test_full_package_is_ready_for_every_target(target: str) -> None:
    assert missing_fields(full_package(), target) == []
    assert is_ready(full_package(), target)


def test_target_types() -> None:
    assert set(TARGET_TYPES) == {"ckan", "jabar", "harvest"}


def test_minimal_package_for_ckan() -> None:
    assert missing_fields(minimal_package(), "ckan") == ["notes", "license_id", "resources"]


def test_minimal_package_for_harvest_lists_national_fields_in_order() -> None:
    missing = missing_fields(minimal_package(), "harvest")
    assert missing == [
        "notes", "tags", "owner_org", "author", "maintainer", "accessRights", "theme",
        "accrualPeriodicity", "jenis", "satuan", "ukuran", "license_id", "resources",
    ]
    assert "publisher_type" not in missing  # defaulted to daerah-kota by the schema


def test_jabar_needs_provincial_metadata() -> None:
    pkg = full_package()
    for key in ("tingkat_penyajian", "temporal_start"):
        pkg[key] = ""
    assert missing_fields(pkg, "jabar") == ["tingkat_penyajian", "temporal_start"]


def test_blank_values_and_unusable_resources_count_as_missing() -> None:
    pkg = full_package()
    pkg["satuan"] = "   "
    pkg["license_id"] = "notspecified"
    pkg["resources"] = [{"url": "", "state": "active"}, {"url": "http://x", "state": "deleted"}]
    assert missing_fields(pkg, "harvest") == ["satuan", "license_id", "resources"]


def test_fields_kept_in_extras_count_as_present() -> None:
    pkg = full_package()
    del pkg["theme"]
    pkg["extras"] = [{"key": "theme", "value": "Kependudukan"}]
    assert "theme" not in missing_fields(pkg, "harvest")


def test_tag_string_counts_as_tags() -> None:
    pkg = full_package()
    pkg["tags"] = []
    pkg["tag_string"] = "penduduk, kecamatan"
    assert "tags" not in missing_fields(pkg, "harvest")


def test_unknown_target_type_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown target type"):
        missing_fields(full_package(), "jabr")


def test_descriptions_use_schema_labels() -> None:
    pkg = full_package()
    pkg["author"] = None
    pkg["maintainer"] = None
    pkg["resources"] = []
    assert describe_missing(pkg, "harvest") == [
        {"field": "author", "label": "Produsen Data"},
        {"field": "maintainer", "label": "Walidata"},
        {"field": "resources", "label": "Sumber daya (minimal satu berkas atau tautan)"},
    ]
    english = describe_missing(pkg, "harvest", lang="en")
    assert english[0] == {"field": "author", "label": "Data producer"}


def test_indonesian_choice_errors_match_the_schema_choices() -> None:
    """schema.po translates CKAN's one_of message, which embeds the allowed values verbatim."""
    from pathlib import Path

    from babel.messages.pofile import read_po
    from ckanext.splpdepok.schemas import fields

    po = Path(fields.__file__).parents[1] / "i18n/id/LC_MESSAGES/parts/schema.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    select_fields = [f for f, spec in fields.dataset_fields().items() if spec.get("choices")]
    assert len(select_fields) == 4
    for name in select_fields:
        msgid = f"Value must be one of {list(fields.choices(name))}"
        message = catalog.get(msgid)
        assert message is not None and isinstance(message.string, str), name
        assert message.string.startswith("Nilai harus"), name
