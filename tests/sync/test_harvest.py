"""The national portal's way in: real harvester CKANs run ckanext-harvest's CKAN harvester (empty
config, like Satu Data Indonesia's source "Pemerintah Kota Depok - CKAN") against this portal
served live with its real configuration (config/portal.ini: plugins and the scheming SDI schema).

(a) ``harvest ckan_harvester`` on CKAN's default schema (the national set-up since 2024): only
    core fields and ``extras`` survive the import, so the national fields travel as extras.
(b) the same plus ``scheming_datasets`` with the national schema (tests/sync/peers/sdi): the
    fields arrive top-level. CKAN rejects an extra named like one of its schema fields, so (b)
    harvests the portal's ``/skema-sdi`` address, which serves the API without those echoes.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckan.types import Context
from ckanext.splpdepok.schemas.fields import LOCAL_DATASET_FIELDS, SDI_DATASET_FIELDS
from ckanext.splpdepok.schemas.harvest_api import SCHEMING_HARVEST_PREFIX

from tests.schema.plugin_config import load_demo_catalog
from tests.support.harvester import (
    HarvestReport,
    datasets_by_id,
    field_value,
    harvest,
    start_harvester,
)
from tests.support.live_server import live_server, portal_plugins, portal_settings  # noqa: F401
from tests.support.remote_ckan import RemoteCkan

_SETTINGS = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}
LIVE_SERVER_PLUGINS = portal_plugins()
LIVE_SERVER_CONFIG = _SETTINGS

pytestmark = [
    pytest.mark.interop,
    pytest.mark.ckan_config("ckan.plugins", " ".join(portal_plugins())),
    *[pytest.mark.ckan_config(k, _SETTINGS[k]) for k in (
        "scheming.dataset_schemas", "scheming.presets", "scheming.dataset_fallback",
        "ckanext.dcat.rdf.profiles")],
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "activity_tables"),
]


@pytest.fixture
def activity_tables(with_plugins: Any, clean_db: Any, migrate_db_for: Any) -> None:
    """The portal runs ``activity``: its migration after each reset (the live server writes
    activities into the same database)."""
    migrate_db_for("activity")


@pytest.fixture(scope="module")
def plain_harvester() -> Iterator[RemoteCkan]:
    peer = start_harvester("plain")
    yield peer
    peer.server.stop()


@pytest.fixture(scope="module")
def sdi_harvester() -> Iterator[RemoteCkan]:
    peer = start_harvester("sdi", scheming=True)
    yield peer
    peer.server.stop()


def _admin() -> str:
    row = model.Session.query(model.User.name).filter_by(sysadmin=True).first()
    assert row is not None
    return row[0]


def _catalog() -> dict[str, dict[str, Any]]:
    """The demo catalog plus a withdrawn dataset; returns our public datasets by id."""
    load_demo_catalog()
    org = call_action("organization_show", id="diskominfo")
    gone = factories.Dataset(owner_org=org["id"], name="ditarik", title="Ditarik", notes="x")
    call_action("package_delete", context={"user": _admin()}, id=gone["id"])
    found = call_action("package_search", q="*:*", rows=1000, include_private=False)
    public = {p["id"]: call_action("package_show", id=p["id"]) for p in found["results"]}
    hidden = model.Session.query(model.Package).filter(
        (model.Package.private.is_(True)) | (model.Package.state != "active")).count()
    assert hidden >= 2 and len(public) > 30  # private and deleted datasets exist, stay home
    return public


def _assert_copied(ours: dict[str, dict[str, Any]], theirs: dict[str, dict[str, Any]],
                   report: HarvestReport) -> dict[str, int]:
    """Every public dataset present with the same id, name, national fields and resource URLs."""
    assert report.errors == [], report.errors[:5]
    assert report.job["status"] == "Finished"
    assert set(theirs) == set(ours)
    intact = 0
    for pkg_id, pkg in ours.items():
        copy = theirs[pkg_id]
        assert copy["name"] == pkg["name"]
        for key in SDI_DATASET_FIELDS + LOCAL_DATASET_FIELDS:
            assert field_value(copy, key) == pkg.get(key), (pkg["name"], key)
        assert copy["author"] == pkg["author"] and copy["maintainer"] == pkg["maintainer"]
        assert [r["url"] for r in copy["resources"]] == [r["url"] for r in pkg["resources"]]
        assert {t["name"] for t in copy["tags"]} == {t["name"] for t in pkg["tags"]}
        intact += 1
    return {"datasets": len(theirs), "fields_intact": intact,
            "ids_kept": len(set(theirs) & set(ours))}


def test_a_plain_harvester_keeps_every_national_field_as_extras(
        live_server, plain_harvester):  # noqa: F811
    ours = _catalog()
    report = harvest(plain_harvester, "depok", live_server.url)
    theirs = datasets_by_id(plain_harvester)
    counts = _assert_copied(ours, theirs, report)
    # Default schema: the national fields exist only as extras there.
    sample = next(iter(theirs.values()))
    assert "satuan" not in sample and field_value(sample, "satuan")
    print(f"\n(a) plain harvester: {counts}")

    # Incremental run (fq=metadata_modified since the last job): one dataset edited here
    # reaches the copy, with the same id; nothing is duplicated.
    edited = next(iter(ours.values()))
    call_action("package_patch", context={"user": _admin()},
                id=edited["id"], satuan="Orang (revisi)")
    again = harvest(plain_harvester, "depok", live_server.url)
    assert again.errors == []
    theirs = datasets_by_id(plain_harvester)
    assert set(theirs) == set(ours)
    assert field_value(theirs[edited["id"]], "satuan") == "Orang (revisi)"


def test_b_sdi_scheming_harvester_keeps_every_national_field_top_level(
        live_server, sdi_harvester):  # noqa: F811
    ours = _catalog()
    # The portal's root API echoes the fields as extras (for (a)); CKAN refuses those here.
    refused = harvest(sdi_harvester, "depok-root", live_server.url)
    assert refused.errors and all("schema field with the same name" in e
                                  for e in refused.errors), refused.errors[:3]
    assert datasets_by_id(sdi_harvester) == {}

    report = harvest(sdi_harvester, "depok", live_server.url + SCHEMING_HARVEST_PREFIX)
    theirs = datasets_by_id(sdi_harvester)
    counts = _assert_copied(ours, theirs, report)
    for copy in theirs.values():
        for key in SDI_DATASET_FIELDS:
            if ours[copy["id"]].get(key):
                assert copy[key] == ours[copy["id"]][key]  # top-level, validated by scheming
    print(f"\n(b) SDI-scheming harvester: {counts}")


def test_harvest_target_check_sees_the_portal_ready(live_server, plain_harvester, sysadmin,  # noqa: F811
                                                    monkeypatch):
    ours = _catalog()
    monkeypatch.setitem(tk.config, "ckan.site_url", live_server.url)
    context: Context = {"user": sysadmin["name"]}
    target = tk.get_action("splpdepok_target_create")(context, {
        "name": "sdi-harvester", "type": "harvest", "url": plain_harvester.url})
    report = tk.get_action("splpdepok_target_check")(context, {"id": target["id"]})
    rows = {r["check"]: r for r in report["results"]}
    assert report["ok"], report["results"]
    assert f"{len(ours)} public dataset(s) visible" in rows["http"]["detail"]
