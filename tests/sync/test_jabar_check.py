"""The ``jabar`` target's check reads Satu Data Jawa Barat's public catalog for the city.

The portal runs with its real dataset schema (SDI scheming, the demo catalog); the province is a
loopback server speaking its read shape that refuses requests of another shape
(``tests/sync/catalog_doubles.py``). The province has no public write API: the push stays an
optional adapter and the key/value export keeps working beside the check.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers
from ckanext.splpdepok.sync import jobs
from rq import SimpleWorker

from tests.schema.plugin_config import SDI_SCHEMA_MARKS, load_demo_catalog
from tests.sync.catalog_doubles import JabarCatalogServer

pytestmark = [pytest.mark.interop, *SDI_SCHEMA_MARKS]
BASE = "/ckan-admin/sinkronisasi"


def auth(user: dict[str, Any]) -> dict[str, str]:
    token = helpers.call_action("api_token_create", {"user": user["name"]},
                                user=user["name"], name="web")["token"]
    return {"Authorization": token}


def province_item(title: str, skpd: str = "Dinas Kependudukan dan Pencatatan Sipil") -> dict:
    return {"name": title, "nama_skpd": skpd, "metadata": [
        {"key": "Cakupan Dataset", "value": "Kota Depok"},
        {"key": "Tingkat Penyajian Dataset", "value": "Kecamatan"}]}


@pytest.fixture
def province() -> Iterator[JabarCatalogServer]:
    server = JabarCatalogServer({})
    yield server
    server.stop()


@pytest.fixture
def catalog() -> dict[str, Any]:
    """The demo catalog; the province lists three of our public datasets (in its own spelling),
    120 datasets we do not have (so the check reads two pages), and, for the province level
    (regional_id=1), one more of ours."""
    public = [d for d in load_demo_catalog() if not d["private"]]
    have, lack = public[:3], public[3:]
    return {"public": public, "have": have, "lack": lack}


def _target(sysadmin: dict, **kwargs: Any) -> dict[str, Any]:
    data = {"name": "satu-data-jabar", "title": "Satu Data Jabar", "type": "jabar",
            "jabar_mode": "export", **kwargs}
    return tk.get_action("splpdepok_target_create")({"user": sysadmin["name"]}, data)


def test_check_reports_which_of_our_datasets_the_province_has(app, province, catalog):
    sysadmin = factories.Sysadmin()
    have, lack = catalog["have"], catalog["lack"]
    province.datasets[15] = (
        [province_item(d["title"].upper().replace(" KOTA DEPOK", " DI KOTA DEPOK"))
         for d in have]
        + [province_item(f"Dataset Provinsi Nomor {i}", "Bappeda") for i in range(120)])
    province.datasets[1] = [province_item(lack[0]["title"])]
    target = _target(sysadmin, catalog_url=province.url)
    assert target["regional_id"] == 15 and target["catalog_api"] == "ckan"

    report = tk.get_action("splpdepok_target_check")({"user": sysadmin["name"]},
                                                     {"id": target["id"]})
    row = {r["check"]: r for r in report["results"]}["jabar_catalog"]
    assert report["ok"] is False and row["ok"] is False
    by_kind: dict[str, set[str]] = {}
    for item in row["items"]:
        by_kind.setdefault(item["finding"], set()).add(item["id"] or item["jabar_name"])
    assert by_kind["present"] == {d["id"] for d in have}
    assert by_kind["missing"] == {d["id"] for d in lack}
    assert len(by_kind["only_there"]) == 120
    assert row["counts"] == {"ours": len(catalog["public"]), "theirs": 123, "present": 3,
                             "missing": len(lack), "only_there": 120}
    # two pages of 100, every one for the city and in the province's query shape
    assert [r["query"]["skip"] for r in province.requests] == [["0"], ["100"]]
    assert {r["query"]["where"][0] for r in province.requests} == {
        '["dataset_class_id=3",["regional_id=15"]]'}

    headers = auth(sysadmin)
    page = app.get(f"/id{BASE}/{target['name']}/katalog", headers=headers)
    assert "Provinsi tidak memilikinya" in page.body and "Provinsi memilikinya" in page.body
    assert have[0]["title"] in page.body and lack[0]["title"] in page.body
    download = app.get(f"{BASE}/{target['name']}/katalog.csv", headers=headers)
    rows = list(csv.DictReader(io.StringIO(download.body)))
    assert {r["id"] for r in rows if r["finding"] == "present"} == {d["id"] for d in have}
    present = next(r for r in rows if r["id"] == have[0]["id"])
    assert present["jabar_skpd"] == "Dinas Kependudukan dan Pencatatan Sipil"

    # the region is a target setting: the province level lists a dataset the city level lacks
    tk.get_action("splpdepok_target_update")({"user": sysadmin["name"]},
                                             {"id": target["id"], "regional_id": "1"})
    report = tk.get_action("splpdepok_target_check")({"user": sysadmin["name"]},
                                                     {"id": target["id"]})
    row = {r["check"]: r for r in report["results"]}["jabar_catalog"]
    assert [i["id"] for i in row["items"] if i["finding"] == "present"] == [lack[0]["id"]]
    # the key/value export stays beside the check
    export = app.get(f"{BASE}/{target['name']}/ekspor.json", headers=headers).json
    assert export and {r["slug"] for r in export} <= {d["name"] for d in catalog["public"]}


def test_the_page_queues_the_check_on_the_worker(app, province, catalog):
    sysadmin = factories.Sysadmin()
    province.datasets[15] = [province_item(d["title"]) for d in catalog["public"]]
    target = _target(sysadmin, catalog_url=province.url)
    headers = auth(sysadmin)
    before = app.get(f"/id{BASE}/{target['name']}/katalog", headers=headers)
    assert "splpdepok-catalog-none" in before.body
    queued = app.post(f"{BASE}/{target['name']}/cek", headers=headers, follow_redirects=False)
    assert queued.status_code == 302 and queued.location.endswith("/katalog")
    assert province.requests == []  # nothing read in the request itself
    waiting = app.get(f"{BASE}/{target['name']}/katalog", headers=headers)
    assert "splpdepok-catalog-none" in waiting.body  # the page claims no result yet
    queue = ckan_jobs.get_queue(jobs.QUEUE)
    assert queue.count == 1
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    model.Session.remove()
    done = app.get(f"/id{BASE}/{target['name']}/katalog", headers=headers)
    assert "Provinsi mencantumkan setiap dataset kami." in done.body
    assert len(province.requests) == 1


def test_cli_check_prints_the_findings(cli, province, catalog):
    from ckan.cli.cli import ckan as ckan_cli

    sysadmin = factories.Sysadmin()
    have = catalog["have"][0]
    province.datasets[15] = [province_item(have["title"])]
    target = _target(sysadmin, catalog_url=province.url)
    result = cli.invoke(ckan_cli, ["splpdepok", "sync", "check", "--target", target["name"]])
    assert result.exit_code == 1  # the province lacks some of ours
    lines = result.output.splitlines()
    assert any("BAD jabar_catalog" in line for line in lines)
    listed = [line.split() for line in lines if line.startswith("      ")]
    missing = {words[1] for words in listed if words[0] == "missing"}
    assert missing == {d["name"] for d in catalog["public"]} - {have["name"]}


def test_unreadable_province_is_a_failed_check_not_an_error(province, catalog):
    sysadmin = factories.Sysadmin()
    target = _target(sysadmin, catalog_url=province.url + "/bukan-api")
    report = tk.get_action("splpdepok_target_check")({"user": sysadmin["name"]},
                                                     {"id": target["id"]})
    row = {r["check"]: r for r in report["results"]}["jabar_catalog"]
    assert row["ok"] is False and "HTTP 404" in row["detail"] and row["items"] == []


@pytest.mark.parametrize(("field", "value"), [
    ("regional_id", "9" * 40), ("regional_id", 10 ** 30), ("regional_id", [15]),
    ("regional_id", "15\x00"), ("regional_id", 0), ("regional_id", True),
    ("catalog_url", "http://data.jabarprov.go.id/\x00"), ("catalog_url", ["http://a"]),
    ("catalog_url", "http://" + "a" * 600), ("catalog_url", "javascript:alert(1)"),
    ("catalog_api", "soap"), ("catalog_api", {"x": 1}),
])
def test_hostile_settings_are_refused_with_409(app, field, value):
    sysadmin = factories.Sysadmin()
    resp = app.post("/api/3/action/splpdepok_target_create", headers=auth(sysadmin),
                    json={"name": "jabar-x", "type": "jabar", "jabar_mode": "export",
                          field: value}, status=409)
    assert field in resp.json["error"]


def test_check_actions_refuse_non_walidata_and_bad_background(app):
    sysadmin, editor = factories.Sysadmin(), factories.User()
    target = _target(sysadmin)
    resp = app.post("/api/3/action/splpdepok_target_check", headers=auth(editor),
                    json={"id": target["id"]}, status=403)
    assert resp.json["success"] is False
    app.get(f"{BASE}/{target['name']}/katalog", headers=auth(editor), status=403)
    bad = app.post("/api/3/action/splpdepok_target_check", headers=auth(sysadmin),
                   json={"id": target["id"], "background": "kadang"}, status=409)
    assert "background" in bad.json["error"]
    for hostile in ("a\x00b", "x" * 5000, ["satu-data-jabar"], 10 ** 30, "\ud800"):
        resp = app.post("/api/3/action/splpdepok_target_check", headers=auth(sysadmin),
                        json={"id": hostile}, status=409)
        assert "id" in resp.json["error"]


def test_the_form_saves_and_clears_the_catalog_settings(app):
    sysadmin = factories.Sysadmin()
    headers = auth(sysadmin)
    form = app.get(f"/id{BASE}/baru", headers=headers)
    assert "Katalog yang dibaca pemeriksaan" in form.body and 'name="regional_id"' in form.body
    fields = {"name": "jabar-form", "type": "jabar", "jabar_mode": "export",
              "catalog_url": "https://data.jabarprov.go.id/", "regional_id": "1",
              "catalog_api": "ckan", "selection_mode": "all", "active": "true"}
    bad = app.post(f"{BASE}/baru", headers=headers, data={**fields, "regional_id": "15x"})
    assert "regional_id" in bad.body
    app.post(f"{BASE}/baru", headers=headers, data=fields, follow_redirects=False, status=302)
    saved = tk.get_action("splpdepok_target_show")({"user": sysadmin["name"]},
                                                   {"id": "jabar-form"})
    assert (saved["catalog_url"], saved["regional_id"]) == ("https://data.jabarprov.go.id", 1)
    page = app.get(f"{BASE}/jabar-form", headers=headers)
    assert "regional_id=1" in page.body and "splpdepok-sync-catalog-link" in page.body
    app.post(f"{BASE}/jabar-form/ubah", headers=headers, data={**fields, "catalog_url": ""},
             follow_redirects=False, status=302)
    cleared = tk.get_action("splpdepok_target_show")({"user": sysadmin["name"]},
                                                     {"id": "jabar-form"})
    assert cleared["catalog_url"] == ""
    # without a catalog address the report page asks for one (its button is disabled)
    empty = app.get(f"/id{BASE}/jabar-form/katalog", headers=headers)
    assert "Atur dulu katalog yang dibaca pemeriksaan" in empty.body
