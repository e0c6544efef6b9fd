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


def test_every_select_field_is_checked_by_the_label_naming_validator() -> None:
    """Selects use splpdepok_choice (Indonesian message with the field label and the choice
    labels) instead of CKAN's one_of, whose message lists raw codes."""
    from ckanext.splpdepok.schemas import fields

    selects = {f: spec for f, spec in fields.dataset_fields().items()
               if spec.get("preset") == "select"}
    assert set(selects) == {"jenis", "theme", "accrualPeriodicity", "accessRights",
                            "publisher_type", "tingkat_penyajian"}
    for name, spec in selects.items():
        wanted = "splpdepok_theme" if name == "theme" else "splpdepok_choice"
        assert wanted in spec["validators"].split(), name
        assert "scheming_choices" not in spec["validators"], name
    assert fields.dataset_fields()["theme"]["choices_helper"] == "splpdepok_theme_choices"
