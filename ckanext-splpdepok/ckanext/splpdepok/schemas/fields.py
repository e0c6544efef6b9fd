"""Read-only view of the dataset schema YAML for pure code (crosswalk, readiness, DCAT profile).

The YAML is the single source of field names, labels and choices; this module parses it with
PyYAML only (no CKAN), so unit tests and the sync engine can use it without a running site.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

SCHEMA_FILE = Path(__file__).with_name("sdi_dataset.yaml")

# Fields of the national (data.go.id) schema, kept at the top level of package dicts. Names are
# the national ones on purpose: the national harvester maps them without a crosswalk.
SDI_DATASET_FIELDS: tuple[str, ...] = (
    "id_dds",
    "id_sds",
    "satuan",
    "ukuran",
    "jenis",
    "theme",
    "accrualPeriodicity",
    "accessRights",
    "prioritas_tahun",
    "publisher_type",
)

# Local additions (provincial metadata, DCAT temporal coverage); unknown to the national schema.
LOCAL_DATASET_FIELDS: tuple[str, ...] = (
    "tingkat_penyajian",
    "cakupan",
    "temporal_start",
    "temporal_end",
)

# Resource fields of the national schema beyond CKAN's core ones.
SDI_RESOURCE_FIELDS: tuple[str, ...] = (
    "id_msi",
    "id_msk",
    "interpretasi",
    "metode_perhitungan",
    "rumus",
    "klasifikasi",
    "kodereferensi",
    "indikator_komposit",
    "level_estimasi",
    "accrualPeriodicity",
    "kriteria_prioritas",
    "indikator_prioritas",
)

# Labels for things that are not schema fields but that readiness reports may name.
_EXTRA_LABELS: dict[str, dict[str, str]] = {
    "resources": {"id": "Sumber daya (minimal satu berkas atau tautan)",
                  "en": "Resources (at least one file or link)"},
    "tags": {"id": "Konsep (kata kunci)", "en": "Concepts (tags)"},
}

LabelText = dict[str, str]


@cache
def load_schema() -> dict[str, Any]:
    """The parsed schema YAML (cached: the file ships with the package and never changes)."""
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def dataset_fields() -> dict[str, dict[str, Any]]:
    return {f["field_name"]: f for f in load_schema()["dataset_fields"]}


@cache
def resource_fields() -> dict[str, dict[str, Any]]:
    return {f["field_name"]: f for f in load_schema()["resource_fields"]}


def _text(value: str | LabelText, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or next(iter(value.values()), ""))
    return str(value)


def label(field_name: str, lang: str = "id") -> str:
    """The field's label in `lang` (``id``/``en``); the field name itself when unknown."""
    if field_name == "tags":
        return _text(_EXTRA_LABELS["tags"], lang)
    field = dataset_fields().get(field_name)
    if field is not None:
        return _text(field["label"], lang)
    if field_name in _EXTRA_LABELS:
        return _text(_EXTRA_LABELS[field_name], lang)
    return field_name


def choices(field_name: str) -> dict[str, LabelText]:
    """value -> {lang: label} for a select field (empty for free-text fields)."""
    field = dataset_fields().get(field_name) or {}
    return {str(c["value"]): c["label"] for c in field.get("choices", [])}


def choice_label(field_name: str, value: Any, lang: str = "id") -> str:
    """Display label of a choice value; the raw value when it is not one of the choices."""
    text = choices(field_name).get(str(value))
    return _text(text, lang) if text else str(value)
