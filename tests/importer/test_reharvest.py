"""The whole move, as the national side sees it: the national harvester (ckanext-harvest's CKAN
harvester, empty config, default schema) harvests the old portal; the city imports it here;
the address (a switchable proxy standing in for DNS) moves to this portal; the next harvest
updates the same national records, matched by id: nothing is duplicated."""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from ckan.tests.helpers import call_action

from tests.importer.support import PORTAL_MARKS, Proxy, import_params, run_action
from tests.schema.plugin_config import PRESETS, PROFILES, SCHEMA
from tests.support.live_server import LiveServer, portal_plugins, portal_settings
from tests.support.remote_ckan import RemoteCkan, start_remote

pytestmark = PORTAL_MARKS


@pytest.fixture(scope="module")
def national() -> Iterator[RemoteCkan]:
    port = os.environ.get("SPLPDEPOK_REDIS_PORT", "63799")
    redis_db = os.environ.get("CKAN_REDIS_URL", "redis://x/7").rsplit("/", 1)[-1]
    remote = start_remote("national", ["splpdepok_search", "harvest", "ckan_harvester"], {
        "ckan.site_id": "splpdepok-national", "ckan.harvest.mq.type": "redis",
        "ckan.harvest.mq.hostname": "127.0.0.1", "ckan.harvest.mq.port": port,
        "ckan.harvest.mq.redis_db": redis_db}, db_suffix="national")
    yield remote
    remote.server.stop()


@pytest.fixture(scope="module")
def portal() -> Iterator[LiveServer]:
    """This portal served live on the test database, with config/portal.ini's plugins."""
    settings = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}
    server = LiveServer.prepare("importer-portal", portal_plugins(), {
        **settings, "scheming.dataset_schemas": SCHEMA, "scheming.presets": PRESETS,
        "ckanext.dcat.rdf.profiles": PROFILES})
    server.start()
    yield server
    server.stop()


def _national_copy(national: RemoteCkan) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in national.datasets().values()}


def _harvest(national: RemoteCkan) -> dict[str, Any]:
    national.ckan("harvester", "run-test", "kota-depok")
    source = national.action("harvest_source_show", {"id": "kota-depok"})
    return national.action("harvest_source_show_status", {"id": source["id"]})["last_job"]


def test_after_import_and_address_switch_the_national_copy_keeps_its_ids(
        old_portal, national, portal, walidata, monkeypatch):
    old, seeded = old_portal
    address = Proxy(old.url)  # the city's portal address, pointing at the old portal first
    try:
        owner = national.ensure_org("pemerintah-kota-depok")
        national.action("harvest_source_create", {
            "name": "kota-depok", "title": "Pemerintah Kota Depok - CKAN", "url": address.url,
            "source_type": "ckan", "owner_org": owner["id"], "frequency": "MANUAL"})
        first_job = _harvest(national)
        before = _national_copy(national)
        public = {p["id"] for p in seeded.values() if not p.get("private")}
        assert set(before) == public and first_job["stats"]["errored"] == 0

        report = run_action(walidata, "splpdepok_import_run", import_params(old, monkeypatch))
        assert report["created"] == 3
        call_action("package_patch", context={"user": walidata["name"], "ignore_auth": True},
                    id="jumlah-puskesmas", title="Jumlah Puskesmas di Kota Depok")
        address.upstream = portal.url  # DNS now points at this portal
        job = _harvest(national)
    finally:
        address.stop()
    after = _national_copy(national)
    assert job["stats"]["errored"] == 0, job
    assert set(after) == set(before)  # no national duplicates, nothing lost
    for pkg_id, copy in after.items():
        assert copy["name"] == before[pkg_id]["name"]
        assert [r["url"] for r in copy["resources"]] == [
            r["url"] for r in before[pkg_id]["resources"]]
    puskesmas = after[seeded["jumlah-puskesmas"]["id"]]
    assert puskesmas["title"] == "Jumlah Puskesmas di Kota Depok"  # came from this portal
    assert job["stats"]["updated"] == 2
    # The dataset our schema refused stays on the national side as it was (the harvester
    # never deletes): the import report lists it, so it can be fixed and imported.
    assert after[seeded["data-rusak"]["id"]]["title"] == before[seeded["data-rusak"]["id"]][
        "title"]
    assert [i["name"] for i in report["datasets"]["items"] if i["action"] == "failed"] == [
        "data-rusak"]
