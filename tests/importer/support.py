"""The old portal of the import tests: a second real CKAN with the default schema (no scheming),
which is how a CKAN 2.9 portal stores the national fields, seeded with 2.9-shaped datasets."""
from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan import model

from tests.schema.plugin_config import PRESETS, PROFILES, SCHEMA
from tests.support.live_server import portal_plugins, portal_settings
from tests.support.loopback import LoopbackServer
from tests.support.remote_ckan import RemoteCkan

FAST = {"ckanext.splpdepok.sync.backoff_seconds": "0.01",
        "ckanext.splpdepok.sync.max_backoff_seconds": "0.05",
        "ckanext.splpdepok.sync.retries": "3",
        "ckanext.splpdepok.sync.timeout_seconds": "20"}

# This portal as it runs: config/portal.ini's plugins and settings, the SDI schema in-process.
PORTAL_MARKS = [
    pytest.mark.interop,
    *[pytest.mark.ckan_config(k, v) for k, v in portal_settings().items()
      if k not in ("ckan.plugins", "ckan.locale_default", "scheming.dataset_schemas",
                   "scheming.presets", "ckanext.dcat.rdf.profiles")],
    pytest.mark.ckan_config("ckan.plugins", " ".join(portal_plugins())),
    pytest.mark.ckan_config("scheming.dataset_schemas", SCHEMA),
    pytest.mark.ckan_config("scheming.presets", PRESETS),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES),
    *[pytest.mark.ckan_config(k, v) for k, v in FAST.items()],
    pytest.mark.usefixtures("portal_db"),
]


TOKEN_ENV = "SPLPDEPOK_SYNC_OLD_PORTAL_TOKEN"


def import_params(old: RemoteCkan, monkeypatch: pytest.MonkeyPatch, **extra: Any
                  ) -> dict[str, Any]:
    monkeypatch.setenv(TOKEN_ENV, old.token)
    return {"url": old.url, "credential_ref": TOKEN_ENV,
            "org_map": {"dinkes": "dinas-kesehatan"}, **extra}


def run_action(user: dict[str, Any], action: str, params: dict[str, Any]) -> dict[str, Any]:
    result = tk.get_action(action)({"user": user["name"]}, dict(params))
    model.Session.remove()
    return result


def _extras(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in values.items()]


# National fields as a 2.9 portal without scheming keeps them: extras, with the odd values seen
# on real portals (capitalised choices, DCAT-US accessLevel, a JSON theme list, free text).
PUSKESMAS_EXTRAS = {
    "satuan": "Unit", "ukuran": "Jumlah", "jenis": "Data Statistik Sektoral",
    "theme": '["Kesehatan"]', "accessRights": "Terbuka", "accrualPeriodicity": "tahunan",
    "prioritas_tahun": "2024", "publisher_type": "Daerah Kota",
    "dcat_issued": "2023-01-05T00:00:00", "dcat_modified": "2024-02-01T00:00:00",
    "dcat_publisher_name": "Dinas Kesehatan Kota Depok", "language": "id",
}
PENDUDUK_EXTRAS = {
    "satuan": "Jiwa", "accesslevel": "public", "accrualPeriodicity": "kadang-kadang",
    "catatan_lama": "dari portal lama",
}


def seed_old_portal(old: RemoteCkan) -> dict[str, dict[str, Any]]:
    """Organizations ``dinkes`` and ``bappeda``, two groups, four datasets (one private, one
    that this portal's schema rejects). Returns the created datasets by name."""
    dinkes = old.action("organization_create", {"name": "dinkes", "title": "Dinas Kesehatan"})
    bappeda = old.action("organization_create", {"name": "bappeda", "title": "Bappeda",
                                                 "description": "Perencanaan"})
    for name in ("kesehatan", "kependudukan"):
        old.action("group_create", {"name": name, "title": name.title()})
    created = [
        old.action("package_create", {
            "name": "jumlah-puskesmas", "title": "Jumlah Puskesmas", "owner_org": dinkes["id"],
            "notes": "Jumlah puskesmas per kecamatan", "license_id": "cc-by",
            "author": "Dinas Kesehatan", "author_email": "dinkes@depok.go.id",
            "tags": [{"name": "kesehatan"}, {"name": "puskesmas"}],
            "groups": [{"name": "kesehatan"}], "extras": _extras(PUSKESMAS_EXTRAS),
            "resources": [
                {"url": "https://data.depok.go.id/files/puskesmas-2024.csv", "format": "CSV",
                 "name": "Puskesmas 2024", "id_msi": "https://sirusa.web.bps.go.id/metadata/1",
                 "catatan_sumber": "BPS"},
                {"url": "https://api.depok.go.id/puskesmas", "format": "JSON",
                 "name": "API"}]}),
        old.action("package_create", {
            "name": "penduduk-kecamatan", "title": "Penduduk per Kecamatan",
            "owner_org": bappeda["id"], "groups": [{"name": "kependudukan"}],
            "extras": _extras(PENDUDUK_EXTRAS),
            "resources": [{"url": "https://data.depok.go.id/files/penduduk.xlsx",
                           "format": "XLSX"}]}),
        old.action("package_create", {
            "name": "anggaran-internal", "title": "Anggaran (internal)", "private": True,
            "owner_org": bappeda["id"], "extras": _extras({"accessRights": "tertutup"}),
            "resources": [{"url": "https://data.depok.go.id/files/anggaran.csv"}]}),
        # A source address without a scheme: the old default schema took it, ours does not.
        old.action("package_create", {
            "name": "data-rusak", "title": "Data dengan alamat sumber rusak",
            "owner_org": bappeda["id"], "url": "www.depok.go.id/tanpa-skema",
            "extras": _extras({"satuan": "Unit"})}),
    ]
    # A file uploaded to the old portal: its URL stays, the file itself is not copied.
    response = requests.post(
        f"{old.url}/api/3/action/resource_create", headers={"Authorization": old.token},
        data={"package_id": created[1]["id"], "name": "Unggahan", "format": "CSV"},
        files={"upload": ("penduduk-2023.csv", b"kecamatan,jiwa\nBeji,1\n", "text/csv")},
        timeout=60)
    assert response.ok, response.text
    created[1] = old.action("package_show", {"id": created[1]["id"]})
    return {p["name"]: p for p in created}


class Proxy:
    """A loopback address in front of another server, like a DNS name: ``upstream`` can be
    switched (the old portal, then this one). With ``broken_search``, ``package_search``
    answers 500 like an old CKAN whose Solr is down (the import must fall back to
    ``package_list`` + ``package_show``); with ``throttle_every=n`` every n-th other request
    first gets a 429 (the import must retry)."""

    def __init__(self, upstream: str, broken_search: bool = False,
                 throttle_every: int = 0) -> None:
        self.upstream = upstream.rstrip("/")
        self.broken_search, self.throttle_every = broken_search, throttle_every
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                action = self.path.split("?")[0].rsplit("/", 1)[-1]
                with proxy.lock:
                    proxy.hits[action] += 1
                    count = sum(proxy.hits.values())
                if proxy.broken_search and action == "package_search":
                    self._send(500, b'{"success": false, "error": {"__type": "Search Error", '
                               b'"message": "Solr returned an error"}}', "application/json")
                    return
                if proxy.throttle_every and count % proxy.throttle_every == 0:
                    self._send(429, b"slow down", "text/plain")
                    return
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "content-length", "connection")}
                resp = requests.request(self.command, proxy.upstream + self.path, data=body,
                                        headers=headers, timeout=120, allow_redirects=False)
                self._send(resp.status_code, resp.content,
                           resp.headers.get("Content-Type", "application/json"))

            do_GET = do_POST = _handle

        self._server = LoopbackServer(Handler)
        self.url = self._server.url

    def stop(self) -> None:
        self._server.stop()
