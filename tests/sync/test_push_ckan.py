"""Push to a second, real CKAN on loopback: create, no-op, update, withdraw, mapping, names."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories, helpers

from tests.sync.support import FAST, assert_converged, ledger, national_dataset

pytestmark = [pytest.mark.interop,
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              *[pytest.mark.ckan_config(k, v) for k, v in FAST.items()]]


@pytest.fixture
def org(remote_ckan):
    remote_ckan.ensure_org("pemkot-depok")
    return factories.Organization(name="dinas-kependudukan")


def test_first_push_noop_update_and_withdrawal(remote_ckan, make_target, run_sync, org, prefix):
    datasets = [national_dataset(org, f"penduduk-{i}") for i in range(4)]
    target = make_target(org_map={org["name"]: "pemkot-depok"}, withdraw_max_share=0.3)

    first = run_sync(target)
    assert first["status"] == "succeeded", first["message"]
    assert first["counts"] == {"created": 4, "updated": 0, "unchanged": 0, "withdrawn": 0,
                               "failed": 0}
    remote = assert_converged(remote_ckan, target, prefix)
    assert set(remote) == {f"{prefix}penduduk-{i}" for i in range(4)}
    pushed = remote[f"{prefix}penduduk-0"]
    assert pushed["organization"]["name"] == "pemkot-depok"
    assert pushed["notes"] == "Jumlah penduduk per kecamatan"
    assert [r["url"] for r in pushed["resources"]] == ["http://data.depok.test/penduduk-0.csv"]

    again = run_sync(target)
    assert again["counts"]["unchanged"] == 4 and again["counts"]["created"] == 0
    assert again["counts"]["updated"] == 0 and again["total"] == 0
    after = remote_ckan.datasets()
    assert {n: p["metadata_modified"] for n, p in after.items() if n in remote} == {
        n: p["metadata_modified"] for n, p in remote.items()}

    helpers.call_action("package_patch", id=datasets[1]["id"], title="Penduduk (revisi)")
    updated = run_sync(target)
    assert updated["counts"]["updated"] == 1 and updated["counts"]["unchanged"] == 3
    assert remote_ckan.datasets()[f"{prefix}penduduk-1"]["title"] == "Penduduk (revisi)"

    helpers.call_action("package_delete", id=datasets[2]["id"])
    withdrawn = run_sync(target)
    assert withdrawn["counts"]["withdrawn"] == 1, withdrawn
    assert ledger(target["id"])[datasets[2]["id"]].status == "withdrawn"
    assert_converged(remote_ckan, target, prefix)
    assert f"{prefix}penduduk-2" not in remote_ckan.datasets()


def test_private_locally_is_withdrawn_as_private_and_restored(remote_ckan, make_target,
                                                             run_sync, org, prefix):
    ds = national_dataset(org, "anggaran")
    national_dataset(org, "belanja")
    target = make_target(org_map={org["name"]: "pemkot-depok"}, withdraw_mode="private")
    run_sync(target)
    helpers.call_action("package_patch", id=ds["id"], private=True)
    result = run_sync(target)
    assert result["counts"]["withdrawn"] == 1
    assert remote_ckan.datasets()[f"{prefix}anggaran"]["private"] is True
    assert_converged(remote_ckan, target, prefix, withdraw_mode="private")

    helpers.call_action("package_patch", id=ds["id"], private=False)
    restored = run_sync(target)
    assert restored["counts"]["updated"] == 1
    assert remote_ckan.datasets()[f"{prefix}anggaran"]["private"] is False
    assert_converged(remote_ckan, target, prefix)


def test_mass_withdrawal_waits_for_confirmation(remote_ckan, make_target, run_sync, org,
                                                prefix):
    datasets = [national_dataset(org, f"aset-{i}") for i in range(5)]
    target = make_target(org_map={org["name"]: "pemkot-depok"}, withdraw_max_share=0.2)
    run_sync(target)
    for ds in datasets[:3]:
        helpers.call_action("package_delete", id=ds["id"])
    stopped = run_sync(target)
    assert stopped["status"] == "needs_confirmation"
    assert "3 of 5" in stopped["message"]
    assert len([n for n in remote_ckan.datasets() if n.startswith(prefix)]) == 5

    confirmed = run_sync(target, confirm_withdrawal=True)
    assert confirmed["counts"]["withdrawn"] == 3
    assert_converged(remote_ckan, target, prefix)


def test_organization_mapping_is_checked_before_any_push(remote_ckan, make_target, run_sync,
                                                         org, prefix):
    other = factories.Organization(name="dinas-tanpa-peta")
    ghost = factories.Organization(name="dinas-hantu")
    national_dataset(org, "peta-ok")
    national_dataset(other, "peta-tidak")
    national_dataset(ghost, "peta-hantu")
    national_dataset(org, "sumber-panen", type="harvest")  # not a dataset: never pushed
    target = make_target(org_map={org["name"]: "pemkot-depok", ghost["name"]: "tidak-ada"})
    result = run_sync(target)
    assert result["status"] == "partial"
    assert result["counts"]["created"] == 1 and result["counts"]["failed"] == 2
    rows = {r.package_name: r for r in ledger(target["id"]).values()}
    assert rows["peta-tidak"].status == "blocked"
    assert "not mapped" in rows["peta-tidak"].last_error
    assert "'tidak-ada' does not exist" in rows["peta-hantu"].last_error
    assert "sumber-panen" not in rows
    assert set(n for n in remote_ckan.datasets() if n.startswith(prefix)) == {f"{prefix}peta-ok"}


def test_name_taken_remotely_is_reported_not_overwritten(remote_ckan, make_target, run_sync,
                                                         org, prefix):
    foreign = remote_ckan.action("package_create", {
        "name": f"{prefix}milik-orang", "title": "Someone else's", "owner_org": "pemkot-depok"})
    national_dataset(org, "milik-orang")
    national_dataset(org, "milik-kita")
    target = make_target(org_map={org["name"]: "pemkot-depok"})
    result = run_sync(target)
    assert result["counts"]["created"] == 1 and result["counts"]["failed"] == 1
    row = next(r for r in ledger(target["id"]).values() if r.package_name == "milik-orang")
    assert row.status == "conflict" and "did not create" in row.last_error
    still = remote_ckan.action("package_show", {"id": foreign["id"]})
    assert still["title"] == "Someone else's"
    items = tk.get_action("splpdepok_sync_run_show")({"ignore_auth": True},
                                                      {"id": result["id"]})["items"]
    assert any(i["outcome"] == "failed" and "did not create" in i["error"] for i in items)


def test_dry_run_shows_diff_and_sends_nothing(remote_ckan, make_target, run_sync, org,
                                              prefix):
    ds = national_dataset(org, "kemiskinan")
    target = make_target(org_map={org["name"]: "pemkot-depok"})
    dry = run_sync(target, dry_run=True)
    assert dry["counts"]["created"] == 1 and dry["message"].startswith("Dry run")
    assert not [n for n in remote_ckan.datasets() if n.startswith(prefix)]
    run_sync(target)
    helpers.call_action("package_patch", id=ds["id"], title="Kemiskinan 2025")
    dry = run_sync(target, dry_run=True)
    items = tk.get_action("splpdepok_sync_run_show")({"ignore_auth": True},
                                                      {"id": dry["id"]})["items"]
    assert [(i["action"], i["outcome"]) for i in items] == [("update", "planned")]
    assert {"field": "title", "old": "Dataset kemiskinan", "new": "Kemiskinan 2025"} in \
        items[0]["diff"]
    assert remote_ckan.datasets()[f"{prefix}kemiskinan"]["title"] == "Dataset kemiskinan"
    model.Session.remove()
