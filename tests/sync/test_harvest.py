"""The national portal's way: a second CKAN runs ckanext-harvest's CKAN harvester against this
portal (served live) and the datasets arrive with the national fields; the ``harvest`` target's
check and run report whether the portal can be pulled."""
from __future__ import annotations

import os
from collections.abc import Iterator

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from tests.support.live_server import live_server  # noqa: F401
from tests.support.remote_ckan import RemoteCkan, start_remote
from tests.sync.support import national_fields

pytestmark = [pytest.mark.interop,
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

NATIONAL = {"accessRights": "terbuka", "theme": "kependudukan", "accrualPeriodicity": "Tahunan",
            "jenis": "statistik", "satuan": "Orang", "ukuran": "Jiwa",
            "publisher_type": "daerah-kota"}


@pytest.fixture(scope="module")
def harvester() -> Iterator[RemoteCkan]:
    port = os.environ.get("SPLPDEPOK_REDIS_PORT", "63799")
    redis_db = os.environ.get("CKAN_REDIS_URL", "redis://x/7").rsplit("/", 1)[-1]
    remote = start_remote("harvester", ["splpdepok_search", "harvest", "ckan_harvester"], {
        "ckan.site_id": "splpdepok-harvester", "ckan.harvest.mq.type": "redis",
        "ckan.harvest.mq.hostname": "127.0.0.1", "ckan.harvest.mq.port": port,
        "ckan.harvest.mq.redis_db": redis_db}, db_suffix="harvester")
    yield remote
    remote.server.stop()


def _national_dataset(org: dict, name: str, **extra: object) -> dict:
    return factories.Dataset(
        name=name, title=f"Jumlah {name}", notes="Definisi: jumlah penduduk menurut kecamatan",
        owner_org=org["id"], license_id="cc-by", author="Dinas Kependudukan",
        maintainer="Diskominfo Kota Depok", tags=[{"name": "penduduk"}],
        **national_fields(NATIONAL),
        resources=[{"url": f"http://data.depok.test/{name}.csv", "format": "CSV"}], **extra)


def _field(pkg: dict, key: str) -> object:
    if key in pkg:
        return pkg[key]
    return {e["key"]: e["value"] for e in pkg.get("extras") or []}.get(key)


def test_national_harvester_pulls_datasets_with_national_fields(live_server,  # noqa: F811
                                                                harvester, sysadmin,
                                                                monkeypatch):
    org = factories.Organization(name="disdukcapil")
    public = [_national_dataset(org, f"penduduk-{i}") for i in range(2)]
    _national_dataset(org, "rahasia-internal", private=True)
    owner = harvester.ensure_org("kota-depok")
    harvester.action("harvest_source_create", {
        "name": "satu-data-depok", "title": "Kota Depok - CKAN", "url": live_server.url,
        "source_type": "ckan", "owner_org": owner["id"], "frequency": "MANUAL"})
    harvester.ckan("harvester", "run-test", "satu-data-depok")

    harvested = harvester.datasets()
    assert set(harvested) == {p["name"] for p in public}
    for pkg in harvested.values():
        for key, value in NATIONAL.items():
            assert _field(pkg, key) == value, (key, pkg.get("extras"))
        assert pkg["author"] == "Dinas Kependudukan"
        assert pkg["resources"][0]["url"].startswith("http://data.depok.test/")

    # The harvest target: this portal must be reachable and every dataset ready.
    monkeypatch.setitem(tk.config, "ckan.site_url", live_server.url)
    context = {"user": sysadmin["name"]}
    target = tk.get_action("splpdepok_target_create")(context, {
        "name": "sdi-harvester", "type": "harvest", "url": harvester.url})
    report = tk.get_action("splpdepok_target_check")(context, {"id": target["id"]})
    rows = {r["check"]: r for r in report["results"]}
    assert report["ok"], report["results"]
    assert "2 public dataset(s) visible" in rows["http"]["detail"]
    assert rows["readiness"]["detail"].startswith("2 of 2")
    factories.Dataset(name="belum-lengkap", owner_org=org["id"], notes="x")
    run = tk.get_action("splpdepok_sync_run")(context, {"id": target["id"],
                                                        "background": False})
    assert run["counts"]["unchanged"] == 2 and run["counts"]["failed"] == 1
    items = tk.get_action("splpdepok_sync_run_show")(context, {"id": run["id"]})["items"]
    assert items[0]["package_name"] == "belum-lengkap" and "satuan" in items[0]["error"]
