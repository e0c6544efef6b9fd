"""The extras -> SDI mapping, the planner and the org-map parser, without CKAN or a database."""
from __future__ import annotations

import pytest
from ckanext.splpdepok.importer import mapping, orgmap, planner
from ckanext.splpdepok.importer.mapping import BAD_VALUE, NO_FIELD, RESERVED, map_dataset

OLD = {
    "id": "6f1c2d1e-8f55-4c1e-9a51-0d6f4a1b2c3d", "name": "jumlah-puskesmas", "type": "dataset",
    "title": "Jumlah Puskesmas", "notes": "Per kecamatan", "private": False, "state": "active",
    "organization": {"name": "dinkes", "id": "org-1"}, "license_id": "cc-by",
    "tags": [{"name": "kesehatan"}, {"name": "vokab", "vocabulary_id": "v1"}],
    "groups": [{"name": "kesehatan", "id": "g1"}],
    "extras": [{"key": "satuan", "value": " Unit "}, {"key": "accessRights", "value": "Terbuka"},
               {"key": "accrualPeriodicity", "value": "R/P1Y"},
               {"key": "theme", "value": '["Kesehatan"]'},
               {"key": "dcat_issued", "value": "2023-01-05"}],
    "resources": [{"id": "r2", "url": "https://x/b.csv", "position": 1, "state": "active",
                   "url_type": "upload", "size": "12", "created": "2023-01-01"},
                  {"id": "r1", "url": "https://x/a.csv", "position": 0, "format": "CSV",
                   "catatan": "BPS", "datastore_active": True},
                  {"id": "r3", "url": "https://x/gone.csv", "state": "deleted"}],
}


@pytest.mark.parametrize(("field", "raw", "expected"), [
    ("accessRights", "Terbuka", "terbuka"), ("accessRights", "public", "terbuka"),
    ("accessRights", "restricted public", "terbatas"), ("accessRights", "non-public", "tertutup"),
    ("accessRights", "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
     "terbuka"), ("accessRights", "Open", "terbuka"), ("accessRights", "maybe", None),
    ("accrualPeriodicity", "tahunan", "Tahunan"), ("accrualPeriodicity", "Annual", "Tahunan"),
    ("accrualPeriodicity", "R/P1M", "Bulanan"), ("accrualPeriodicity", "dua_tahunan",
                                                 "Dua Tahunan"),
    ("accrualPeriodicity", "sewaktu waktu", "Sewaktu-waktu"),
    ("accrualPeriodicity", "kadang-kadang", None), ("accrualPeriodicity", "", None),
    ("publisher_type", "Daerah Kota", "daerah-kota"), ("publisher_type", "Kota", "daerah-kota"),
    ("publisher_type", "Kementerian/Lembaga", "pusat"), ("publisher_type", "desa", None),
    ("tingkat_penyajian", "Titik Lokasi", "lokasi"), ("tingkat_penyajian", "RW", "rw"),
])
def test_choice_values_map_only_when_certain(field: str, raw: str, expected: str | None):
    assert mapping.choice_value(field, raw) == expected


def test_extras_become_sdi_fields_and_the_rest_is_reported():
    out = map_dataset(OLD, owner_org="dinas-kesehatan")
    p = out.payload
    assert (p["id"], p["name"], p["type"], p["owner_org"]) == (
        OLD["id"], "jumlah-puskesmas", "dataset", "dinas-kesehatan")
    assert (p["satuan"], p["accessRights"], p["accrualPeriodicity"], p["theme"]) == (
        "Unit", "terbuka", "Tahunan", "Kesehatan")
    assert p["tags"] == [{"name": "kesehatan"}] and p["groups"] == [{"name": "kesehatan"}]
    assert p["extras"] == [{"key": "dcat_issued", "value": "2023-01-05"}]
    # resources in position order, ids and URLs unchanged, deleted and system keys gone
    assert [(r["id"], r["url"]) for r in p["resources"]] == [("r1", "https://x/a.csv"),
                                                             ("r2", "https://x/b.csv")]
    assert p["resources"][0] == {"id": "r1", "url": "https://x/a.csv", "format": "CSV",
                                 "catatan": "BPS"}
    assert p["resources"][1] == {"id": "r2", "url": "https://x/b.csv", "size": 12}
    assert out.notes == ["upload"]
    assert {(u.field, u.reason, u.kept_as) for u in out.unmapped} == {
        ("dcat_issued", NO_FIELD, "dcat_issued"), ("catatan", NO_FIELD, "catatan")}


def test_unmappable_values_of_our_fields_and_reserved_keys():
    pkg = {**OLD, "accessRights": "terbatas",  # a scheming portal: top level wins
           "extras": [{"key": "accrualPeriodicity", "value": "kadang-kadang"},
                      {"key": "accesslevel", "value": "public"},
                      {"key": "title", "value": "Judul lain"},
                      {"key": "imported_x", "value": "loop"},
                      {"key": "kosong", "value": "  "}]}
    kept = map_dataset(pkg, owner_org="o")
    assert kept.payload["accessRights"] == "terbatas"
    assert "accrualPeriodicity" not in kept.payload
    assert kept.payload["extras"] == [{"key": "imported_accrualPeriodicity",
                                       "value": "kadang-kadang"},
                                      {"key": "imported_title", "value": "Judul lain"}]
    reasons = {(u.field, u.reason) for u in kept.unmapped}
    assert reasons >= {("accrualPeriodicity", BAD_VALUE), ("title", RESERVED),
                       ("imported_x", RESERVED)}
    assert not any(u.field in ("kosong", "accesslevel") for u in kept.unmapped)
    dropped = map_dataset(pkg, owner_org="o", unmapped=mapping.DROP)
    assert dropped.payload["extras"] == []
    assert "catatan" not in dropped.payload["resources"][0]
    assert {u.kept_as for u in dropped.unmapped} == {None}
    with pytest.raises(ValueError):
        map_dataset(pkg, owner_org="o", unmapped="maybe")


def test_hostile_shapes_do_not_crash_the_mapping():
    out = map_dataset({"id": 5, "name": None, "extras": [None, {"key": 3}, {"key": "a",
                                                                          "value": {"x": 1}}],
                       "resources": ["x", {"url": "u", "size": True}], "tags": "nope",
                       "groups": [None], "organization": "weird"}, owner_org=None)
    assert out.payload["extras"] == [{"key": "a", "value": '{"x": 1}'}]
    assert out.payload["resources"] == [{"url": "u"}] and out.organization is None
    assert "owner_org" not in out.payload


def _c(id_: str, name: str, digest: str = "h1", problem: str | None = None):
    return planner.Candidate(id_, name, digest, problem)


def test_dataset_plan_keeps_ids_and_never_overwrites():
    local = {"a": planner.Local("a", "alpha", modified="t1"),
             "b": planner.Local("b", "beta", modified="t2"),
             "c": planner.Local("c", "gamma", modified="t9"),
             "d": planner.Local("d", "delta", state="deleted"),
             "e": planner.Local("e", "eps")}
    by_name = {v.name: v for v in local.values()} | {"taken": planner.Local("z", "taken")}
    records = {"a": planner.Record("a", "a", "h1", "t1"), "b": planner.Record("b", "b", "h0", "t2"),
               "c": planner.Record("c", "c", "h0", "t3")}
    steps = planner.plan_datasets(
        [_c("a", "alpha"), _c("b", "beta"), _c("c", "gamma"), _c("d", "delta"),
         _c("e", "eps"), _c("n", "new"), _c("x", "taken"), _c("s", "skip", problem="p")],
        local, by_name, records)
    got = {s.remote_id: (s.action, s.reason) for s in steps}
    assert got == {"a": ("unchanged", None), "b": ("update", None),
                   "c": ("conflict", planner.EDITED_HERE),
                   "d": ("conflict", planner.DELETED_HERE),
                   "e": ("conflict", planner.NOT_IMPORTED), "n": ("create", None),
                   "x": ("conflict", planner.NAME_TAKEN), "s": ("skip", "p")}


def test_organization_plan_maps_reuses_and_creates():
    local = {"dinas-kesehatan": planner.Local("l1", "dinas-kesehatan"),
             "bappeda": planner.Local("l2", "bappeda")}
    steps = planner.plan_groups(
        "organization",
        [{"id": "r1", "name": "dinkes"}, {"id": "r2", "name": "bappeda"},
         {"id": "r3", "name": "baru"}, {"id": "l1", "name": "lain"},
         {"id": "r5", "name": "hilang"}, {"id": "r6", "name": "Bad Name"}, {"name": 7}],
        local, {"l1", "l2"}, {"dinkes": "dinas-kesehatan", "hilang": "tidak-ada"})
    got = {s.name: (s.action, s.local_name, s.keep_id) for s in steps}
    assert got == {"dinkes": ("map", "dinas-kesehatan", True),
                   "bappeda": ("exists", "bappeda", True), "baru": ("create", "baru", True),
                   "lain": ("create", "lain", False),  # its old id is used here already
                   "hilang": ("conflict", None, True), "Bad Name": ("skip", None, True)}


def test_org_map_files():
    assert orgmap.parse("dinkes: dinas-kesehatan\nbappeda: bappeda\n", "m.yaml") == {
        "dinkes": "dinas-kesehatan", "bappeda": "bappeda"}
    assert orgmap.parse("old,new\ndinkes,dinas-kesehatan\n\n", "m.CSV") == {
        "dinkes": "dinas-kesehatan"}
    assert orgmap.parse("", "m.yml") == {}
    for text, name in [("dinkes,dinas\n", "m.csv"), ("old,new\na1,b1\na1,b2\n", "m.csv"),
                       ("- a\n- b\n", "m.yaml"), ("a: [x\n", "m.yaml"),
                       ("a: ../etc\n", "m.yaml"), ("a\x00: b\n", "m.yaml"), ("1: b\n", "m.yml")]:
        with pytest.raises(orgmap.OrgMapError):
            orgmap.parse(text, name)


def test_text_from_the_old_portal_is_scrubbed():
    from ckanext.splpdepok.importer.source import scrub

    dirty = {"t\x00itle": ["a\x00b", "x\ud800y", "Ünïcode"], "n": 3, "ok": "plain"}
    clean = scrub(dirty)
    assert clean == {"title": ["ab", "x\ufffdy", "Ünïcode"], "n": 3, "ok": "plain"}
    assert "".join(clean["title"]).encode("utf-8")
