"""Crosswalk unit tests: pure functions, no database."""
from __future__ import annotations

import json

import pytest
from ckanext.splpdepok.sync.crosswalk import (
    CROSSWALK_VERSION,
    JABAR_REGIONAL_ID,
    content_hash,
    field_diff,
    to_ckan,
    to_jabar,
)

from tests.schema.samples import full_package, minimal_package

NATIONAL = {
    "id_dds": "DDS-3276-001",
    "id_sds": "SDS-001",
    "satuan": "Jiwa",
    "ukuran": "Jumlah",
    "jenis": "Statistik Sektoral",
    "theme": "Kependudukan",
    "accrualPeriodicity": "Tahunan",
    "accessRights": "terbuka",
    "prioritas_tahun": "2024",
    "publisher_type": "daerah-kota",
}


def test_version_is_a_nonempty_string() -> None:
    assert isinstance(CROSSWALK_VERSION, str) and CROSSWALK_VERSION


class TestToCkan:
    def test_fields_mode_puts_national_fields_top_level(self) -> None:
        payload = to_ckan(full_package(), name="remote-name", owner_org="remote-org")
        for key, expected in NATIONAL.items():
            assert payload[key] == expected
        assert payload["tingkat_penyajian"] == "kecamatan"
        assert payload["temporal_start"] == "2020"
        assert payload["extras"] == []

    def test_extras_mode_moves_national_fields_into_extras(self) -> None:
        payload = to_ckan(
            full_package(), name="remote-name", owner_org="remote-org", extras_mode="extras"
        )
        extras = {e["key"]: e["value"] for e in payload["extras"]}
        for key, expected in NATIONAL.items():
            assert key not in payload
            assert extras[key] == expected
        assert [e["key"] for e in payload["extras"]] == sorted(extras)
        assert all(isinstance(e["value"], str) for e in payload["extras"])

    def test_unknown_extras_mode_is_refused(self) -> None:
        with pytest.raises(ValueError, match="extras_mode"):
            to_ckan(full_package(), name="n", owner_org="o", extras_mode="both")

    def test_caller_names_and_no_local_identifiers(self) -> None:
        pkg = full_package()
        payload = to_ckan(pkg, name="remote-name", owner_org="remote-org")
        assert payload["name"] == "remote-name"
        assert payload["owner_org"] == "remote-org"
        text = json.dumps(payload)
        for local in (pkg["id"], pkg["owner_org"], pkg["creator_user_id"]):
            assert local not in text
        for resource in payload["resources"]:
            assert not {"id", "package_id", "position", "url_type", "created"} & set(resource)
        for key in ("id", "metadata_created", "metadata_modified", "organization", "type"):
            assert key not in payload

    def test_resources_keep_content_but_lose_local_ids(self) -> None:
        payload = to_ckan(full_package(), name="n", owner_org="o")
        first, second = payload["resources"]
        assert first == {
            "url": "https://data.depok.go.id/dataset/x/resource/r-1/download/penduduk.csv",
            "name": "Penduduk 2024",
            "description": "Tabel CSV",
            "format": "CSV",
            "size": 2048,
            "id_msi": "https://sirusa.web.bps.go.id/metadata/indikator/4120",
        }
        assert second["name"] == "API"

    def test_resources_follow_position_and_skip_deleted(self) -> None:
        pkg = full_package()
        pkg["resources"].reverse()
        pkg["resources"].append({"name": "gone", "url": "http://x", "state": "deleted"})
        payload = to_ckan(pkg, name="n", owner_org="o")
        assert [r["name"] for r in payload["resources"]] == ["Penduduk 2024", "API"]

    def test_tags_and_groups_normalised(self) -> None:
        pkg = full_package()
        pkg["tags"].append({"name": "penduduk"})  # duplicate
        pkg["tags"].append({"name": "flag", "vocabulary_id": "v1"})  # vocabulary tag
        payload = to_ckan(pkg, name="n", owner_org="o")
        assert payload["tags"] == [{"name": "kecamatan"}, {"name": "penduduk"}]
        assert payload["groups"] == [{"name": "kependudukan"}]

    def test_minimal_package_leaves_blank_fields_out(self) -> None:
        payload = to_ckan(minimal_package(), name="n", owner_org="o")
        for key in ("notes", "satuan", "theme", "accessRights", "author", "license_id"):
            assert key not in payload
        assert payload["publisher_type"] == "daerah-kota"
        assert payload["resources"] == [] and payload["tags"] == []

    def test_markup_and_unicode_are_left_as_data(self) -> None:
        pkg = full_package()
        pkg["title"] = "Indeks Pembangunan Manusia — Kota Depok (Ω ≥ 1) 人口"
        payload = to_ckan(pkg, name="n", owner_org="o")
        assert payload["notes"] == pkg["notes"]  # "<b>" and "&" not escaped
        assert "&amp;" not in payload["notes"] and "&lt;" not in payload["notes"]
        assert payload["title"] == pkg["title"]

    def test_fields_stored_as_extras_locally_are_still_found(self) -> None:
        pkg = full_package()
        del pkg["satuan"]
        pkg["extras"] = [{"key": "satuan", "value": "Orang"}, {"key": "sumber", "value": "BPS"}]
        fields_payload = to_ckan(pkg, name="n", owner_org="o")
        assert fields_payload["satuan"] == "Orang"
        assert fields_payload["extras"] == [{"key": "sumber", "value": "BPS"}]
        extras_payload = to_ckan(pkg, name="n", owner_org="o", extras_mode="extras")
        keys = [e["key"] for e in extras_payload["extras"]]
        assert keys.count("satuan") == 1 and "sumber" in keys

    def test_private_flag_travels(self) -> None:
        pkg = full_package()
        pkg["private"] = True
        assert to_ckan(pkg, name="n", owner_org="o")["private"] is True


class TestToJabar:
    def test_shape_and_regional_id(self) -> None:
        item = to_jabar(full_package())
        assert item["name"] == "Jumlah Penduduk Menurut Kecamatan"
        assert item["nama_skpd"] == item["organisasi_name"] == (
            "Dinas Kependudukan dan Pencatatan Sipil"
        )
        assert item["regional_id"] == JABAR_REGIONAL_ID == 15
        assert item["topik_name"] == "Kependudukan"
        assert all(set(row) == {"key", "value"} for row in item["metadata"])

    def test_metadata_keys(self) -> None:
        rows = {r["key"]: r["value"] for r in to_jabar(full_package())["metadata"]}
        assert rows["Dimensi Dataset Awal"] == "2020"
        assert rows["Dimensi Dataset Akhir"] == "2024"
        assert rows["Pengukuran Dataset"] == "Jumlah"
        assert rows["Satuan Dataset"] == "Jiwa"
        assert rows["Tingkat Penyajian Dataset"] == "Kecamatan"
        assert rows["Cakupan Dataset"] == "Kota Depok"
        assert rows["Frekuensi Dataset"] == "Tahunan"
        assert rows["Akses Data"] == "Terbuka"
        assert rows["Dataset Diperbarui"] == "2024-06-30"

    def test_resource_links(self) -> None:
        links = to_jabar(full_package())["resources"]
        assert links[0] == {
            "name": "Penduduk 2024",
            "url": "https://data.depok.go.id/dataset/x/resource/r-1/download/penduduk.csv",
            "format": "CSV",
        }
        assert len(links) == 2

    def test_minimal_package_omits_blank_rows_but_keeps_coverage(self) -> None:
        item = to_jabar(minimal_package())
        keys = [r["key"] for r in item["metadata"]]
        assert keys == ["Cakupan Dataset"]
        assert item["nama_skpd"] is None and item["resources"] == []
        assert item["description"] == ""


class TestHashAndDiff:
    def test_hash_ignores_dict_key_order(self) -> None:
        payload = to_ckan(full_package(), name="n", owner_org="o")
        reordered = json.loads(json.dumps(dict(reversed(list(payload.items())))))
        assert list(reordered) != list(payload)
        assert content_hash(reordered) == content_hash(payload)

    def test_hash_is_a_stable_sha256(self) -> None:
        # Pinned digest of '{"a":null,"b":[1,"ä"]}' (UTF-8): stable across runs and processes.
        assert content_hash({"b": [1, "ä"], "a": None}) == (
            "5d4c789751acdad9ba305072d1a6ccdc5864fd7c7a1bcc0f38a794e5a4417e02"
        )

    def test_hash_changes_with_content(self) -> None:
        pkg = full_package()
        before = content_hash(to_ckan(pkg, name="n", owner_org="o"))
        pkg["satuan"] = "Orang"
        assert content_hash(to_ckan(pkg, name="n", owner_org="o")) != before

    def test_hash_ignores_local_only_changes(self) -> None:
        pkg = full_package()
        before = content_hash(to_ckan(pkg, name="n", owner_org="o"))
        pkg["metadata_modified"] = "2030-01-01T00:00:00"
        pkg["resources"][0]["id"] = "another-id"
        assert content_hash(to_ckan(pkg, name="n", owner_org="o")) == before

    def test_diff_of_first_push_lists_everything(self) -> None:
        payload = to_ckan(full_package(), name="n", owner_org="o")
        diff = field_diff(None, payload)
        fields = [d["field"] for d in diff]
        assert "title" in fields and "satuan" in fields
        assert "resources[0]" in fields
        assert all(d["old"] is None for d in diff)
        added = next(d for d in diff if d["field"] == "resources[0]")
        assert added["new"] == "Penduduk 2024 (CSV)"

    def test_diff_is_empty_for_equal_payloads(self) -> None:
        payload = to_ckan(full_package(), name="n", owner_org="o")
        assert field_diff(payload, json.loads(json.dumps(payload))) == []

    def test_diff_names_changed_fields_only(self) -> None:
        old_pkg, new_pkg = full_package(), full_package()
        new_pkg["satuan"] = "Orang"
        new_pkg["resources"][1]["url"] = "https://api.depok.go.id/v2/penduduk"
        new_pkg["tags"].append({"name": "demografi"})
        del new_pkg["resources"][0]
        old = to_ckan(old_pkg, name="n", owner_org="o", extras_mode="extras")
        new = to_ckan(new_pkg, name="n", owner_org="o", extras_mode="extras")
        diff = {d["field"]: d for d in field_diff(old, new)}
        assert diff["extras.satuan"] == {"field": "extras.satuan", "old": "Jiwa", "new": "Orang"}
        assert diff["tags"]["new"] == ["demografi", "kecamatan", "penduduk"]
        assert diff["resources[0].name"] == {
            "field": "resources[0].name", "old": "Penduduk 2024", "new": "API"
        }
        assert diff["resources[1]"] == {"field": "resources[1]", "old": "API (JSON)", "new": None}
        assert "title" not in diff

    def test_diff_of_jabar_metadata_per_key(self) -> None:
        old_pkg, new_pkg = full_package(), full_package()
        new_pkg["ukuran"] = "Rasio"
        diff = field_diff(to_jabar(old_pkg), to_jabar(new_pkg))
        assert diff == [
            {"field": "metadata.Pengukuran Dataset", "old": "Jumlah", "new": "Rasio"}
        ]
