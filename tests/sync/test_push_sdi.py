"""Push to a remote CKAN set up as the national portal is (its vendored SDI scheming schema,
tests/sync/peers/sdi): national fields travel as schema fields, not extras."""
from __future__ import annotations

from collections.abc import Iterator

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from tests.support.harvester import NATIONAL_SCHEMA
from tests.support.remote_ckan import RemoteCkan, start_remote
from tests.sync.support import FAST, assert_converged, national_dataset, national_fields

pytestmark = [pytest.mark.interop,
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              *[pytest.mark.ckan_config(k, v) for k, v in FAST.items()]]
NATIONAL = {"satuan": "Orang", "ukuran": "Jiwa", "accrualPeriodicity": "Tahunan",
            "jenis": "Statistik Sektoral"}


@pytest.fixture(scope="module")
def sdi_remote() -> Iterator[RemoteCkan]:
    remote = start_remote("sdi-remote", ["splpdepok_search", "scheming_datasets"],
                          NATIONAL_SCHEMA, db_suffix="sdi")
    yield remote
    remote.server.stop()


def test_national_fields_arrive_as_schema_fields(sdi_remote, make_target, run_sync, prefix,
                                                 monkeypatch):
    monkeypatch.setenv("SPLPDEPOK_SYNC_TEST_TOKEN", sdi_remote.token)
    sdi_remote.ensure_org("pemkot-depok")
    org = factories.Organization(name="bps-depok")
    national_dataset(org, "ipm", **national_fields(NATIONAL))
    target = make_target(url=sdi_remote.url, extras_mode="fields",
                         org_map={org["name"]: "pemkot-depok"})
    result = run_sync(target)
    errors = [i["error"] for i in tk.get_action("splpdepok_sync_run_show")(
        {"ignore_auth": True}, {"id": result["id"]})["items"] if i["error"]]
    assert result["status"] == "succeeded", errors
    pushed = sdi_remote.datasets()[f"{prefix}ipm"]
    for key, value in NATIONAL.items():
        assert pushed[key] == value, key
    assert "satuan" not in {e["key"] for e in pushed.get("extras") or []}
    assert_converged(sdi_remote, target, prefix)
    assert run_sync(target)["counts"]["unchanged"] == 1
