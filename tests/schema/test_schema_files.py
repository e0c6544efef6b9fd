"""The schema YAML and presets file are consistent (pure checks, no CKAN site)."""
from __future__ import annotations

import json
from pathlib import Path

import ckanext.scheming
import yaml
from ckanext.splpdepok.schemas import fields

SCHEMAS = Path(fields.__file__).parent


def _preset_names(path: Path) -> set[str]:
    return {p["preset_name"] for p in json.loads(path.read_text())["presets"]}


def test_every_preset_used_is_defined() -> None:
    ours = _preset_names(SCHEMAS / "presets.json")
    standard = _preset_names(Path(ckanext.scheming.__file__).parent / "presets.json")
    assert not ours & standard, "our presets must not shadow scheming's"
    schema = yaml.safe_load((SCHEMAS / "sdi_dataset.yaml").read_text())
    used = {f["preset"] for f in schema["dataset_fields"] + schema["resource_fields"]
            if "preset" in f}
    assert used <= ours | standard


def test_sdi_fork_presets_are_provided() -> None:
    # The national fork's metadata schema uses these non-standard presets.
    assert {"text_enabled", "title_enabled", "markdown_enabled", "select_enabled"} <= (
        _preset_names(SCHEMAS / "presets.json")
    )


def test_labels_are_bilingual() -> None:
    for name, field in {**fields.dataset_fields(), **fields.resource_fields()}.items():
        assert set(field["label"]) == {"id", "en"}, name
        for choice in field.get("choices", []):
            assert set(choice["label"]) == {"id", "en"}, (name, choice["value"])


def test_national_field_names_are_in_the_schema() -> None:
    names = set(fields.dataset_fields())
    assert set(fields.SDI_DATASET_FIELDS) <= names
    assert set(fields.LOCAL_DATASET_FIELDS) <= names
    assert set(fields.SDI_RESOURCE_FIELDS) <= set(fields.resource_fields())
    assert fields.choices("accessRights") == {
        "terbuka": {"id": "Terbuka", "en": "Open"},
        "terbatas": {"id": "Terbatas", "en": "Restricted"},
        "tertutup": {"id": "Tertutup", "en": "Closed"},
    }
    assert list(fields.choices("publisher_type")) == [
        "pusat", "daerah-provinsi", "daerah-kota", "daerah-kabupaten"
    ]
