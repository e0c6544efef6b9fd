"""The demo data files: realistic, consistent and in the national (SDI) field vocabulary.

Pure checks of ``ckanext.splpdepok.demo.data`` (no database).
"""

from __future__ import annotations

import re

import pytest
from ckanext.splpdepok.demo import data as demo_data

KECAMATAN = {
    "Beji", "Bojongsari", "Cilodong", "Cimanggis", "Cinere", "Cipayung",
    "Limo", "Pancoran Mas", "Sawangan", "Sukmajaya", "Tapos",
}  # fmt: skip


@pytest.fixture(scope="module")
def data() -> demo_data.DemoData:
    return demo_data.read_data()


def test_real_agencies_with_the_walidata(data: demo_data.DemoData) -> None:
    names = {o["name"] for o in data.organizations}
    assert {"diskominfo", "dinkes", "disdik", "bappeda", "disdukcapil", "dishub", "dinsos"} <= names
    assert {"dlhk", "dpmptsp"} <= names
    for org in data.organizations:
        assert re.fullmatch(r"[a-z0-9-]+", org["name"])
        assert org["title"].startswith(("Dinas", "Badan"))
        assert len(org["description"]) > 60


def test_themes(data: demo_data.DemoData) -> None:
    titles = {g["title"] for g in data.groups}
    assert {
        "Kesehatan",
        "Pendidikan",
        "Kependudukan",
        "Ekonomi",
        "Infrastruktur",
        "Sosial",
    } <= titles
    assert {"Pemerintahan", "Lingkungan Hidup"} <= titles


def test_enough_datasets_spread_over_agencies_and_themes(data: demo_data.DemoData) -> None:
    datasets = data.datasets
    assert len(datasets) >= 40
    assert sum(d["private"] for d in datasets) >= 5
    used_orgs = {d["owner_org"] for d in datasets}
    assert used_orgs == {o["name"] for o in data.organizations}
    used_groups = {g["name"] for d in datasets for g in d["groups"]}
    assert used_groups == {g["name"] for g in data.groups}


def test_dataset_content_is_realistic(data: demo_data.DemoData) -> None:
    licenses = {"cc-by", "cc-by-sa", "cc-zero", "odc-by", "odc-odbl", "other-open", "other-closed"}
    for d in data.datasets:
        years = [int(y) for y in re.findall(r"\b(20\d\d)\b", d["title"])]
        assert years and all(2019 <= y <= 2025 for y in years), d["title"]
        assert "Depok" in d["title"]
        assert d["tags"] and d["license_id"] in licenses
        assert 1 <= len(d["resources"]) <= 3
        for resource in d["resources"]:
            assert resource["url"].startswith("https://data.depok.go.id/")
            assert resource["format"] in {"CSV", "XLSX", "JSON", "GeoJSON"}
    mentions = sum(1 for d in data.datasets if "kecamatan" in d["notes"].lower())
    assert mentions >= 10
    listed = next(d for d in data.datasets if d["name"] == "jumlah-puskesmas-per-kecamatan-2023")
    assert {k for k in KECAMATAN if k in listed["notes"]} >= KECAMATAN


def test_sdi_fields_at_top_level_with_valid_choices(data: demo_data.DemoData) -> None:
    for d in data.datasets:
        for field in demo_data.SDI_FIELDS:
            if field != "prioritas_tahun":
                assert d.get(field), f"{d['name']}: {field}"
        assert d["publisher_type"] == "daerah-kota"
        assert d["accessRights"] in ("terbuka", "terbatas", "tertutup")
        assert (d["accessRights"] == "terbuka") is (not d["private"])
        assert d["author"].endswith("Kota Depok")
        assert d["maintainer"].startswith("Walidata")
    assert any(d.get("prioritas_tahun") for d in data.datasets)
    periodicities = {"Harian", "Mingguan", "Bulanan", "Triwulanan", "Semesteran", "Tahunan"}
    assert {d["accrualPeriodicity"] for d in data.datasets} <= periodicities


def test_local_metadata_is_derived(data: demo_data.DemoData) -> None:
    by_name = {d["name"]: d for d in data.datasets}
    puskesmas = by_name["jumlah-puskesmas-per-kecamatan-2023"]
    assert puskesmas["tingkat_penyajian"] == "kecamatan"
    assert (puskesmas["temporal_start"], puskesmas["temporal_end"]) == ("2023", "2023")
    dbd = by_name["jumlah-kasus-demam-berdarah-dengue-2019-2023"]
    assert (dbd["temporal_start"], dbd["temporal_end"]) == ("2019", "2023")
    assert by_name["daftar-rumah-sakit-kota-depok"]["tingkat_penyajian"] == "lokasi"
    assert {d["tingkat_penyajian"] for d in data.datasets} <= set(demo_data.PRESENTATION_LEVELS)
    assert all(d["cakupan"] == "Kota Depok" for d in data.datasets)


def test_sdi_fields_become_extras_only_when_the_schema_lacks_them(
    data: demo_data.DemoData,
) -> None:
    dataset = data.datasets[0]
    without_schema = demo_data.place_sdi_fields(dataset, schema_fields={"name", "title"})
    assert not set(demo_data.SDI_FIELDS) & set(without_schema)
    extras = {e["key"]: e["value"] for e in without_schema["extras"]}
    assert extras["publisher_type"] == "daerah-kota"
    assert not set(demo_data.LOCAL_FIELDS) & set(without_schema)
    assert extras["cakupan"] == "Kota Depok"
    schema: set[str] = set(demo_data.METADATA_FIELDS)
    with_schema = demo_data.place_sdi_fields(dataset, schema_fields=schema)
    assert with_schema["publisher_type"] == "daerah-kota"
    assert with_schema["extras"] == []


def test_inconsistent_data_is_refused(data: demo_data.DemoData) -> None:
    orgs = {o["name"]: o for o in data.organizations}
    groups = {g["name"]: g["title"] for g in data.groups}
    spec = {
        "name": "x", "title": "X Kota Depok 2024", "org": "dinkes", "groups": ["kesehatan"],
        "notes": "n", "resources": [{"name": "r", "format": "CSV"}],
    }  # fmt: skip
    assert demo_data.dataset_dict(spec, orgs, groups)["theme"] == "Kesehatan"
    with pytest.raises(ValueError, match="organization"):
        demo_data.dataset_dict({**spec, "org": "bps"}, orgs, groups)
    with pytest.raises(ValueError, match="accessRights"):
        demo_data.dataset_dict({**spec, "sdi": {"accessRights": "publik"}}, orgs, groups)
    with pytest.raises(ValueError, match="private"):
        demo_data.dataset_dict(
            {**spec, "private": True, "sdi": {"accessRights": "terbuka"}}, orgs, groups
        )
    with pytest.raises(ValueError, match="resources"):
        demo_data.dataset_dict({**spec, "resources": []}, orgs, groups)


def _as_shown(wanted: dict) -> dict:
    """What package_show returns for a dataset stored exactly as wanted."""
    shown = {k: v for k, v in wanted.items() if k != "owner_org"}
    shown.update(state="active", organization={"name": wanted["owner_org"]}, id="x")
    shown["resources"] = [{**r, "id": f"r{i}"} for i, r in enumerate(wanted["resources"])]
    return shown


def test_unchanged_datasets_are_recognised(data: demo_data.DemoData) -> None:
    wanted = data.datasets[0]
    shown = _as_shown(wanted)
    assert not demo_data.dataset_differs(shown, wanted)
    for change in (
        {"title": "lain"},
        {"state": "deleted"},
        {"organization": {"name": "bappeda"}},
        {"tags": [{"name": "lain"}]},
        {"groups": []},
        {"resources": shown["resources"][:-1] + [{**shown["resources"][-1], "url": "https://x"}]},
        {"satuan": "Lain"},
    ):
        assert demo_data.dataset_differs({**shown, **change}, wanted), change
    as_extras = demo_data.place_sdi_fields(wanted, schema_fields=set())
    assert not demo_data.dataset_differs(_as_shown(as_extras), as_extras)
    changed_extra = _as_shown(as_extras)
    changed_extra["extras"] = [{**e, "value": "x"} for e in changed_extra["extras"]]
    assert demo_data.dataset_differs(changed_extra, as_extras)


def test_unchanged_groups_are_recognised(data: demo_data.DemoData) -> None:
    org = data.organizations[0]
    shown = {**org, "state": "active", "id": "x"}
    assert not demo_data.group_differs(shown, org)
    assert demo_data.group_differs({**shown, "description": "lain"}, org)
    assert demo_data.group_differs({**shown, "extras": []}, org)
