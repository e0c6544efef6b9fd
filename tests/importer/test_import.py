"""Import from a real old portal (CKAN, default schema, national fields as extras) into this
portal running its real plugin list and the SDI schema."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.splpdepok.importer.cli import import_
from click.testing import CliRunner

from tests.importer.support import PORTAL_MARKS, Proxy, import_params, run_action

pytestmark = PORTAL_MARKS


def _items(report: dict[str, Any], kind: str = "datasets") -> dict[str, dict[str, Any]]:
    return {i["name"]: i for i in report[kind]["items"]}


def _extras(pkg: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in pkg.get("extras") or []}


def test_dry_run_reports_everything_and_writes_nothing(old_portal, walidata, monkeypatch):
    old, _seeded = old_portal
    before = model.Session.query(model.Package).count(), model.Session.query(model.Group).count()
    plan = run_action(walidata, "splpdepok_import_plan", import_params(old, monkeypatch))
    assert plan["dry_run"] and plan["include_private"] and plan["method"] == "package_search"
    assert plan["datasets"]["counts"]["create"] == 3
    assert (plan["resources"], plan["uploads"], plan["upload_datasets"]) == (
        5, 1, ["penduduk-kecamatan"])
    failed = _items(plan)["data-rusak"]
    assert failed["action"] == "failed" and "URL" in failed["message"]
    orgs = _items(plan, "organizations")
    assert orgs["dinkes"]["action"] == "map" and orgs["dinkes"]["local_name"] == "dinas-kesehatan"
    assert orgs["bappeda"]["action"] == "create"
    assert {g["action"] for g in plan["groups"]["items"]} == {"create"}
    unmapped = {(u["field"], u["reason"]): u for u in plan["unmapped"]}
    assert unmapped[("accrualPeriodicity", "bad_value")]["samples"] == ["kadang-kadang"]
    assert unmapped[("accrualPeriodicity", "bad_value")]["kept_as"] == "imported_accrualPeriodicity"
    assert unmapped[("dcat_issued", "no_field")]["kept_as"] == "dcat_issued"
    assert unmapped[("catatan_sumber", "no_field")]["resource_field"] is True
    assert ("satuan", "no_field") not in unmapped and ("accesslevel", "bad_value") not in unmapped
    model.Session.remove()
    after = model.Session.query(model.Package).count(), model.Session.query(model.Group).count()
    assert after == before
    assert model.Session.execute(
        tk.BaseModel.metadata.tables["splpdepok_import_record"].select()).first() is None


def test_import_keeps_ids_names_urls_maps_fields_and_repeats_cleanly(old_portal, walidata,
                                                                      monkeypatch):
    old, seeded = old_portal
    params = import_params(old, monkeypatch)
    first = run_action(walidata, "splpdepok_import_run", params)
    assert first["created"] == 3, first["datasets"]
    assert first["datasets"]["counts"]["failed"] == 1
    local_org = call_action("organization_show", id="dinas-kesehatan")
    bappeda = call_action("organization_show", id="bappeda")
    assert bappeda["id"] == old.action("organization_show", {"id": "bappeda"})["id"]

    for name in ("jumlah-puskesmas", "penduduk-kecamatan", "anggaran-internal"):
        remote = seeded[name]
        here = call_action("package_show", id=remote["id"])
        assert here["name"] == name
        assert [(r["id"], r["url"]) for r in here["resources"]] == [
            (r["id"], r["url"]) for r in remote["resources"]]
    puskesmas = call_action("package_show", id=seeded["jumlah-puskesmas"]["id"])
    assert puskesmas["owner_org"] == local_org["id"]
    assert (puskesmas["accessRights"], puskesmas["accrualPeriodicity"],
            puskesmas["publisher_type"], puskesmas["theme"], puskesmas["satuan"]) == (
        "terbuka", "Tahunan", "daerah-kota", "Kesehatan", "Unit")
    assert puskesmas["resources"][0]["id_msi"] == "https://sirusa.web.bps.go.id/metadata/1"
    assert puskesmas["resources"][0]["catatan_sumber"] == "BPS"
    assert [g["name"] for g in puskesmas["groups"]] == ["kesehatan"]
    assert {t["name"] for t in puskesmas["tags"]} == {"kesehatan", "puskesmas"}
    extras = _extras(puskesmas)
    assert extras["dcat_issued"] == "2023-01-05T00:00:00" and extras["language"] == "id"
    assert "accessRights" not in extras and "satuan" not in extras
    penduduk = call_action("package_show", id=seeded["penduduk-kecamatan"]["id"])
    assert penduduk["accessRights"] == "terbuka" and not penduduk.get("accrualPeriodicity")
    assert _extras(penduduk) == {"imported_accrualPeriodicity": "kadang-kadang",
                                 "catatan_lama": "dari portal lama"}
    assert penduduk["owner_org"] == bappeda["id"]
    private = call_action("package_show", id=seeded["anggaran-internal"]["id"])
    assert private["private"] is True and private["accessRights"] == "tertutup"
    assert model.Package.get("data-rusak") is None  # skipped, not half-imported

    modified = {n: call_action("package_show", id=n)["metadata_modified"]
                for n in ("jumlah-puskesmas", "penduduk-kecamatan")}
    second = run_action(walidata, "splpdepok_import_run", params)
    assert second["created"] == 0 and second["updated"] == 0
    assert second["datasets"]["counts"]["unchanged"] == 3
    assert second["organizations"]["counts"]["create"] == 0
    assert second["groups"]["counts"]["create"] == 0
    for name, stamp in modified.items():
        assert call_action("package_show", id=name)["metadata_modified"] == stamp

    # Changed on the old portal -> updated; edited here since the import -> left alone.
    old.action("package_patch", {"id": "jumlah-puskesmas", "title": "Jumlah Puskesmas (baru)"})
    old.action("package_patch", {"id": "penduduk-kecamatan", "title": "Penduduk (lama)"})
    call_action("package_patch", context={"user": walidata["name"], "ignore_auth": True},
                id="penduduk-kecamatan", title="Penduduk (disunting di sini)")
    third = run_action(walidata, "splpdepok_import_run", params)
    items = _items(third)
    assert items["jumlah-puskesmas"]["action"] == "update"
    assert items["penduduk-kecamatan"]["action"] == "conflict"
    assert call_action("package_show", id="jumlah-puskesmas")["title"] == (
        "Jumlah Puskesmas (baru)")
    assert call_action("package_show", id="penduduk-kecamatan")["title"] == (
        "Penduduk (disunting di sini)")
    old.action("package_patch", {"id": "jumlah-puskesmas", "title": "Jumlah Puskesmas"})
    old.action("package_patch", {"id": "penduduk-kecamatan", "title": "Penduduk per Kecamatan"})


def test_unmapped_fields_can_be_dropped_and_names_are_never_taken_over(old_portal, walidata,
                                                                       monkeypatch):
    old, seeded = old_portal
    org = factories.Organization(name="lain")
    squatter = factories.Dataset(name="jumlah-puskesmas", owner_org=org["id"])
    report = run_action(walidata, "splpdepok_import_run",
                  import_params(old, monkeypatch, unmapped="drop", credential_ref=""))
    assert not report["include_private"]
    items = _items(report)
    assert "anggaran-internal" not in items  # private: not visible without a token
    assert items["jumlah-puskesmas"]["action"] == "conflict"
    assert call_action("package_show", id="jumlah-puskesmas")["id"] == squatter["id"]
    penduduk = call_action("package_show", id=seeded["penduduk-kecamatan"]["id"])
    assert _extras(penduduk) == {}
    assert {u["kept_as"] for u in report["unmapped"]} == {None}


@pytest.mark.ckan_config("ckan.locale_default", "id")
def test_only_the_walidata_imports_and_hostile_input_is_rejected(old_portal, app, walidata):
    old, _seeded = old_portal
    stranger = factories.User()
    token = factories.APIToken(user=stranger["name"])["token"]
    own = factories.APIToken(user=walidata["name"])["token"]
    denials = []
    for action in ("splpdepok_import_plan", "splpdepok_import_run"):
        denied = app.post(f"/api/3/action/{action}", json={"url": old.url},
                          headers={"Authorization": token})
        assert denied.status_code == 403, denied.body
        denials.append(denied)
        anonymous = app.post(f"/api/3/action/{action}", json={"url": old.url})
        assert anonymous.status_code == 403
    assert model.Session.query(model.Package).count() == 0
    hostile = [{"url": "file:///etc/passwd"}, {"url": "ftp://old.example"},
               {"url": "http://old\x00.example"}, {"url": ["http://x"]}, {"url": 12},
               {"url": "http://\ud800.example"}, {"url": "http://x:99999"},
               {"url": "http://" + "a" * 600}, {}, {"url": old.url, "unmapped": "maybe"},
               {"url": old.url, "org_map": {"dinkes": "../etc"}},
               {"url": old.url, "org_map": "- not\n- a mapping"},
               {"url": old.url, "org_map": {"a\x00": "b"}},
               {"url": old.url, "credential_ref": "SECRET_KEY"},
               {"url": old.url, "credential_ref": "SPLPDEPOK_SYNC_UNSET_NAME"}]
    answers = []
    for body in hostile:
        response = app.post("/api/3/action/splpdepok_import_plan", json=body,
                            headers={"Authorization": own})
        answers.append(response)
        assert response.status_code == 409, (body, response.body)
        assert response.json["error"]["__type"] == "Validation Error"
    down = app.post("/api/3/action/splpdepok_import_plan",
                    json={"url": "http://127.0.0.1:9"}, headers={"Authorization": own})
    assert down.status_code == 409
    assert down.json["error"]["url"][0].startswith("Portal lama tidak dapat dibaca: ")
    assert answers[-1].json["error"]["credential_ref"] == [
        "Tidak ada nilai dengan nama ini di server"]
    assert "Hanya walidata" in denials[-1].json["error"]["message"]
    not_ckan = app.post("/api/3/action/splpdepok_import_plan",
                        json={"url": f"{old.url}/dataset"}, headers={"Authorization": own})
    message = not_ckan.json["error"]["url"][0]
    assert not_ckan.status_code == 409 and "status_show" in message and "<" not in message


def test_cli_falls_back_to_package_list_shows_progress_and_summary(old_portal, walidata,
                                                                    tmp_path, monkeypatch):
    old, seeded = old_portal
    proxy = Proxy(old.url, broken_search=True, throttle_every=3)
    org_map = tmp_path / "peta.csv"
    org_map.write_text("old,new\ndinkes,dinas-kesehatan\n", encoding="utf-8")
    monkeypatch.delenv("SPLPDEPOK_IMPORT_TOKEN", raising=False)
    runner = CliRunner()
    args = ["--from", proxy.url, "--org-map", str(org_map)]
    try:
        dry = runner.invoke(import_, [*args, "--dry-run"])
        assert model.Session.query(model.Package).count() == 0
        real = runner.invoke(import_, [*args, "--report", str(tmp_path / "r.json")])
        model.Session.remove()
        again = runner.invoke(import_, args)
    finally:
        proxy.stop()
    for result in (dry, real, again):
        assert result.exit_code == 1, result.output  # data-rusak fails every time
        assert "read with package_list, private datasets: no" in result.output
        assert "Reading the old portal" in result.output
        assert "FAILED dataset data-rusak: Not imported" in result.output
        assert "unmapped fields (keep):" in result.output
        assert "accrualPeriodicity x1: The value is not one of this field's choices: kept " \
               "as extra 'imported_accrualPeriodicity'. [\"kadang-kadang\"]" in result.output
    assert "DRY RUN: nothing was written" in dry.output
    assert "2 dataset(s) would be created, 0 would be updated" in dry.output
    assert "Importing datasets" in real.output
    assert "2 dataset(s) created, 0 updated" in real.output
    assert "0 dataset(s) created, 0 updated" in again.output
    assert "datasets: create 0, update 0, unchanged 2" in again.output
    assert proxy.hits["package_search"] == 9  # 3 attempts per run, then package_list
    assert proxy.hits["package_show"] >= 9  # 3 datasets x 3 runs, plus the 429 retries
    assert call_action("package_show", id=seeded["jumlah-puskesmas"]["id"])["owner_org"] == (
        call_action("organization_show", id="dinas-kesehatan")["id"])
    assert model.Package.get(seeded["anggaran-internal"]["id"]) is None  # private: not listed
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["created"] == 2 and report["method"] == "package_list"
    bad = runner.invoke(import_, ["--from", "javascript:alert(1)"])
    assert bad.exit_code == 2 and "Enter an http(s) address" in bad.output
    org_map.write_text("dinkes,dinas-kesehatan\n", encoding="utf-8")
    bad_map = runner.invoke(import_, args)
    assert bad_map.exit_code == 2 and "header row 'old,new'" in bad_map.output
