"""The national drift check against a real harvester CKAN that has harvested this portal.

The portal runs with its real configuration (the plugins of ``config/portal.ini``, scheming with
the SDI schema) and is served live; a second CKAN runs ckanext-harvest's CKAN harvester with an
empty config, as Satu Data Indonesia does, and harvests it. Then datasets are withdrawn, made
private and added here; the ``harvest`` target's check must list exactly what the national copy
still shows wrongly, through the plain CKAN API and through data.go.id's proxy form (a loopback
forwarder in the proxy envelope in front of the same real harvester).
"""
from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan.tests import factories, helpers
from ckan.types import Context
from sqlalchemy.engine import make_url

from tests.schema.plugin_config import SDI_SCHEMA_MARKS, national_fields, resources
from tests.support.harvester import start_harvester
from tests.support.live_server import live_server, portal_plugins, portal_settings  # noqa: F401
from tests.support.remote_ckan import RemoteCkan
from tests.sync.catalog_doubles import ProxyForwarder

pytestmark = [pytest.mark.interop, *SDI_SCHEMA_MARKS]
BASE = "/ckan-admin/sinkronisasi"
# The live portal: config/portal.ini's plugins and settings (the search plugin serves the
# harvester's package_search from the same test database the tests write to).
LIVE_SERVER_PLUGINS = portal_plugins()
LIVE_SERVER_CONFIG = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}


@pytest.fixture(scope="module")
def harvester() -> Iterator[RemoteCkan]:
    """The national side: ckanext-harvest's CKAN harvester on a CKAN without scheming."""
    remote = start_harvester("drift")
    yield remote
    remote.server.stop()


class OpenTransactions:
    """Counts, from its own connection, the sessions on the portal's database that sit in an
    open transaction: the drift check must hold none while it waits on the network."""

    def __init__(self) -> None:
        self.engine = sa.create_engine(os.environ["CKAN_SQLALCHEMY_URL"],
                                       connect_args={"application_name": "drift-watcher"})
        self.database = make_url(os.environ["CKAN_SQLALCHEMY_URL"]).database
        self.seen: list[int] = []

    def __call__(self) -> None:
        with self.engine.connect() as conn:
            self.seen.append(conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :db "
                "AND application_name <> 'drift-watcher' "
                "AND state LIKE 'idle in transaction%'"), {"db": self.database}).scalar_one())


def _dataset(org: dict[str, Any], name: str, **extra: Any) -> dict[str, Any]:
    sysadmin = {"user": factories.Sysadmin()["name"]}
    return helpers.call_action("package_create", context=sysadmin, name=name,
                               title=f"Jumlah {name.replace('-', ' ')}", owner_org=org["id"],
                               resources=resources(), **{**national_fields(), **extra})


def _findings(report: dict[str, Any]) -> dict[str, set[str]]:
    row = {r["check"]: r for r in report["results"]}["drift"]
    out: dict[str, set[str]] = {}
    for item in row["items"]:
        out.setdefault(item["finding"], set()).add(item["name"])
    return out


def test_drift_check_lists_what_the_national_copy_still_shows(app, live_server,  # noqa: F811
                                                              harvester):
    sysadmin = factories.Sysadmin()
    context: Context = {"user": sysadmin["name"]}
    org = factories.Organization(name="disdukcapil", title="Disdukcapil")
    for name in ("penduduk-tetap", "penduduk-ditarik", "penduduk-diprivatkan"):
        _dataset(org, name)
    _dataset(org, "rahasia-sejak-awal", private=True)

    owner = harvester.ensure_org("kota-depok")
    harvester.action("harvest_source_create", {
        "name": "depok-drift", "title": "Pemerintah Kota Depok - CKAN", "url": live_server.url,
        "source_type": "ckan", "owner_org": owner["id"], "frequency": "MANUAL"})
    harvester.ckan("harvester", "run-test", "depok-drift")
    assert set(harvester.datasets(include_private=False)) == {
        "penduduk-tetap", "penduduk-ditarik", "penduduk-diprivatkan"}

    # What happens here after the harvest; the harvester keeps its copies (it never deletes).
    helpers.call_action("package_delete", context=dict(context), id="penduduk-ditarik")
    helpers.call_action("package_patch", context=dict(context), id="penduduk-diprivatkan",
                        private=True)
    _dataset(org, "penduduk-baru")

    target = tk.get_action("splpdepok_target_create")(context, {
        "name": "sdi-nasional", "type": "harvest", "catalog_url": harvester.url})
    report = tk.get_action("splpdepok_target_check")(context, {"id": target["id"]})
    assert _findings(report) == {"withdrawn_still_public": {"penduduk-ditarik"},
                                 "private_still_public": {"penduduk-diprivatkan"},
                                 "missing_remote": {"penduduk-baru"}}
    drift = {r["check"]: r for r in report["results"]}["drift"]
    assert drift["ok"] is False and drift["counts"]["in_step"] == 2  # tetap, rahasia
    assert report["ok"] is False

    # The same through data.go.id's proxy form, with no transaction open while it waits.
    watcher = OpenTransactions()
    proxy = ProxyForwarder(harvester.url, before_forward=watcher)
    try:
        tk.get_action("splpdepok_target_update")(context, {
            "id": target["id"], "catalog_url": proxy.url, "catalog_api": "proxy"})
        via_proxy = tk.get_action("splpdepok_target_check")(context, {"id": target["id"]})
    finally:
        proxy.stop()
        watcher.engine.dispose()
    assert _findings(via_proxy) == _findings(report)
    assert len(proxy.requests) == 5 and {r["path"] for r in proxy.requests} == {"/api/proxy"}
    assert watcher.seen and set(watcher.seen) == {0}

    # The report page (Indonesian) and the CSV for the request to the national team.
    headers = {"Authorization": helpers.call_action(
        "api_token_create", {"user": sysadmin["name"]}, user=sysadmin["name"],
        name="web")["token"]}
    page = app.get(f"/id{BASE}/{target['name']}/katalog", headers=headers)
    assert "Ditarik di sini, masih publik di sana" in page.body
    assert "hapus dataset dari katalog nasional" in page.body
    rows = list(csv.DictReader(io.StringIO(
        app.get(f"{BASE}/{target['name']}/katalog.csv", headers=headers).body)))
    assert {(r["name"], r["finding"], r["state_here"]) for r in rows} == {
        ("penduduk-ditarik", "withdrawn_still_public", "deleted"),
        ("penduduk-diprivatkan", "private_still_public", "private"),
        ("penduduk-baru", "missing_remote", "public")}
    withdrawn = next(r for r in rows if r["finding"] == "withdrawn_still_public")
    assert withdrawn["id"] == helpers.call_action(
        "package_show", context=dict(context), id="penduduk-ditarik")["id"]

    # Once the national team acts and the next harvest runs, the report says so.
    harvester.action("dataset_purge", {"id": withdrawn["id"]})
    harvester.action("package_patch", {"id": next(
        r["id"] for r in rows if r["finding"] == "private_still_public"), "private": True})
    harvester.ckan("harvester", "run-test", "depok-drift")
    tk.get_action("splpdepok_target_update")(context, {
        "id": target["id"], "catalog_url": harvester.url, "catalog_api": "ckan"})
    final = tk.get_action("splpdepok_target_check")(context, {"id": target["id"]})
    assert _findings(final) == {}
    assert {r["check"]: r for r in final["results"]}["drift"]["ok"] is True
