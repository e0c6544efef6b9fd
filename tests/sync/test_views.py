"""Admin pages (/ckan-admin/sinkronisasi), downloads, the form, and the dataset-page state."""
from __future__ import annotations

import csv
import io

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers
from ckanext.splpdepok.sync.model import SyncTarget

from tests.sync.support import FAST, national_dataset

pytestmark = [pytest.mark.interop,
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              *[pytest.mark.ckan_config(k, v) for k, v in FAST.items()]]
BASE = "/ckan-admin/sinkronisasi"


def auth(user: dict) -> dict[str, str]:
    token = helpers.call_action("api_token_create", {"user": user["name"]},
                                user=user["name"], name="web")["token"]
    return {"Authorization": token}


@pytest.fixture
def synced(remote_ckan, make_target, run_sync):
    remote_ckan.ensure_org("pemkot-depok")
    org = factories.Organization(name="dinas-kesehatan")
    ds = national_dataset(org, "gizi")
    national_dataset(factories.Organization(name="dinas-lain"), "tanpa-peta")
    target = make_target(org_map={org["name"]: "pemkot-depok"})
    run = run_sync(target)
    return {"org": org, "dataset": ds, "target": target, "run": run}


def test_pages_for_walidata_and_refusal_for_others(app, synced, sysadmin):
    target, run = synced["target"], synced["run"]
    headers = auth(sysadmin)
    index = app.get(BASE, headers=headers)
    assert target["title"] in index.body and "splpdepok-sync-targets" in index.body
    indonesian = app.get(f"/id{BASE}", headers=headers)
    assert "Tambah tujuan" in indonesian.body and "Sinkronisasi" in indonesian.body
    page = app.get(f"{BASE}/{target['name']}", headers=headers)
    assert "tanpa-peta" in page.body and "not mapped" in page.body
    run_page = app.get(f"{BASE}/{target['name']}/run/{run['id']}", headers=headers)
    assert "gizi" in run_page.body and 'id="count-created">1<' in run_page.body
    history = app.get(f"{BASE}/{target['name']}/riwayat.csv", headers=headers)
    rows = list(csv.DictReader(io.StringIO(history.body)))
    assert rows[0]["status"] == "partial" and rows[0]["created_n"] == "1"
    items = app.get(f"{BASE}/{target['name']}/run/{run['id']}.csv", headers=headers)
    outcomes = {r["package_name"]: r["outcome"] for r in csv.DictReader(io.StringIO(items.body))}
    assert outcomes == {"gizi": "ok", "tanpa-peta": "failed"}

    editor = factories.User()
    for url in (BASE, f"{BASE}/{target['name']}", f"{BASE}/{target['name']}/riwayat.csv"):
        app.get(url, headers=auth(editor), status=403)
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("splpdepok_target_list", {"user": editor["name"],
                                                      "ignore_auth": False})


def test_walidata_admin_manages_targets(app, synced):
    walidata = factories.User()
    factories.Organization(name="diskominfo", users=[{"name": walidata["name"],
                                                      "capacity": "admin"}])
    listed = helpers.call_action("splpdepok_target_list",
                                 {"user": walidata["name"], "ignore_auth": False})
    assert [t["name"] for t in listed] == [synced["target"]["name"]]
    app.get(BASE, headers=auth(walidata), status=200)


def test_form_creates_and_validates_a_target(app, sysadmin):
    headers = auth(sysadmin)
    form = app.get(f"{BASE}/baru", headers=headers)
    assert 'name="csrf_token"' in form.body or "_csrf_token" in form.body
    bad = app.post(f"{BASE}/baru", headers=headers, data={
        "name": "Bad Name!", "type": "ckan", "url": "ftp://x", "credential_ref": "SECRET_KEY",
        "org_map": "tanpa sama dengan"}, status=200)
    assert "form contains errors" in bad.body and "credential_ref" in bad.body
    assert SyncTarget.get("Bad Name!") is None
    ok = app.post(f"{BASE}/baru", headers=headers, follow_redirects=False, data={
        "name": "sdi", "title": "Satu Data Indonesia", "type": "ckan",
        "url": "https://katalog.data.go.id", "credential_ref": "SPLPDEPOK_SYNC_SDI",
        "org_map": "dinas-a = pemkot-depok\ndinas-b = pemkot-depok",
        "selection_mode": "tag", "selection_values": "prioritas, ekonomi",
        "field_policy": "notes = remote", "name_prefix": "depok-", "extras_mode": "fields",
        "withdraw_mode": "private", "withdraw_max_share": "0.1", "jabar_mode": "push",
        "concurrency": "2", "rate_per_second": "5", "schedule_minutes": "1440",
        "active": "true"})
    assert ok.status_code == 302
    stored = SyncTarget.get("sdi")
    assert stored is not None
    saved = stored.dictize()
    assert saved["org_map"] == {"dinas-a": "pemkot-depok", "dinas-b": "pemkot-depok"}
    assert saved["selection"] == {"mode": "tag", "values": ["prioritas", "ekonomi"]}
    assert (saved["withdraw_mode"], saved["schedule_minutes"]) == ("private", 1440)
    edit = app.get(f"{BASE}/sdi/ubah", headers=headers)
    assert "dinas-a = pemkot-depok" in edit.body
    app.post(f"{BASE}/sdi/hapus", headers=headers)
    assert SyncTarget.get("sdi") is None


def test_posts_without_csrf_token_are_refused(app, sysadmin):
    # Cookie-based session (the browser case): the form token is required.
    app.get("/user/login")
    response = app.post(f"{BASE}/baru", data={"name": "x", "type": "ckan"},
                        extra_environ={"REMOTE_USER": sysadmin["name"]}, status=400)
    assert "CSRF" in response.body
    assert SyncTarget.get("x") is None


def test_dataset_page_shows_sync_state_to_editors_only(app, synced):
    ds, org = synced["dataset"], synced["org"]
    editor = factories.User()
    helpers.call_action("organization_member_create", id=org["id"],
                        username=editor["name"], role="editor")
    page = app.get(f"/dataset/{ds['name']}", headers=auth(editor))
    assert "splpdepok-sync-state" in page.body and synced["target"]["title"] in page.body
    anonymous = app.get(f"/dataset/{ds['name']}")
    assert "splpdepok-sync-state" not in anonymous.body
    state = helpers.call_action("splpdepok_sync_package_state",
                                {"user": editor["name"], "ignore_auth": False}, id=ds["id"])
    assert [(s["target"], s["status"]) for s in state] == [(synced["target"]["name"],
                                                            "synced")]
