"""Safe responses: security headers on every page (one after_request hook), private downloads
``Cache-Control: private, no-store`` only with ``nosniff`` and one charset, Secure cookies in
config/production.ini, and owner-only (0600) ini files wherever they hold secrets."""
from __future__ import annotations

import configparser
import os
import stat
import subprocess
from pathlib import Path

import pytest
import requests
import yaml

from tests.hardening.conftest import Portal, send
from tests.support.live_server import ROOT

PAGES = ["/", "/dataset/", "/katalog-lid", "/api/3/action/status_show", "/catalog.ttl",
         "/halaman-yang-tidak-ada", "/pendaftaran", "/pemberitahuan", "/ckan-admin/pendaftaran",
         "/ckan-admin/sinkronisasi/", "/katalog-lid?page=x", "/user/login"]
HEADERS = {"X-Frame-Options": "SAMEORIGIN", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "strict-origin-when-cross-origin"}


def _cache_directives(response: requests.Response) -> set[str]:
    return {d.strip().lower() for d in response.headers.get("Cache-Control", "").split(",")
            if d.strip()}


@pytest.mark.parametrize("role", ["anonymous", "applicant", "sysadmin"])
def test_every_page_carries_the_security_headers(portal: Portal, role: str) -> None:
    for path in PAGES:
        response = send(portal, role, "GET", path)
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (path, role, name, response.status_code)


def test_private_downloads_are_private_no_store_only(portal: Portal) -> None:
    downloads = ["/ckan-admin/pendaftaran/ekspor.csv", "/ckan-admin/pendaftaran/ekspor.xlsx",
                 "/ckan-admin/sinkronisasi/target-uji/riwayat.csv", "/katalog-lid/laporan.csv"]
    for path in downloads:
        response = send(portal, "sysadmin", "GET", path)
        assert response.status_code == 200, (path, response.status_code)
        assert "attachment" in response.headers.get("Content-Disposition", ""), path
        assert _cache_directives(response) == {"private", "no-store"}, (
            path, response.headers.get("Cache-Control"))
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        content_type = response.headers["Content-Type"].lower()
        assert content_type.count("charset=") <= 1, (path, content_type)
    # the same downloads are refused to the public, never cached for it either
    refused = send(portal, "anonymous", "GET", downloads[0])
    assert refused.status_code in (302, 403, 404)


def test_public_pages_keep_ckans_caching(portal: Portal) -> None:
    """The no-store rule applies to what a view marked private, not to every page."""
    response = send(portal, "anonymous", "GET", "/dataset/")
    assert "no-store" not in _cache_directives(response)


def _production() -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "config/production.ini")
    return parser


def _declared_keys() -> set[str]:
    import ckan

    declaration = Path(ckan.__file__).parent / "config/config_declaration.yaml"
    data = yaml.safe_load(declaration.read_text())
    return {option["key"] for group in data["groups"] for option in group["options"]}


def test_production_cookies_are_secure_and_the_settings_exist_in_ckan() -> None:
    app = _production()["app:main"]
    wanted = {"SESSION_COOKIE_SECURE": "true", "SESSION_COOKIE_HTTPONLY": "true",
              "REMEMBER_COOKIE_SECURE": "true", "REMEMBER_COOKIE_HTTPONLY": "true",
              "WTF_CSRF_SSL_STRICT": "true", "SESSION_COOKIE_SAMESITE": "Lax"}
    declared = _declared_keys()
    for key, value in wanted.items():
        assert key in declared, f"CKAN 2.11 declares no {key}"
        assert app.get(key) == value, key
    assert not any(k.startswith("beaker.") for k in app), "CKAN 2.11 uses no beaker session"


def _owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_ini_written_for_test_servers_is_owner_only(portal: Portal) -> None:
    assert "SECRET_KEY" in portal.server.ini.read_text()
    assert _owner_only(portal.server.ini), oct(portal.server.ini.stat().st_mode)


def test_portal_config_writes_an_owner_only_ini(tmp_path: Path) -> None:
    env = dict(os.environ, SPLPDEPOK_RUN_DIR=str(tmp_path), SPLPDEPOK_NO_APT="1")
    done = subprocess.run([str(ROOT / "scripts/portal"), "config"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    ini = tmp_path / "ckan.ini"
    assert "SECRET_KEY" in ini.read_text() and "api_token.jwt" in ini.read_text()
    assert _owner_only(ini), oct(ini.stat().st_mode)
    ini.chmod(0o644)  # a second run repairs a loosened mode
    done = subprocess.run([str(ROOT / "scripts/portal"), "config"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0 and _owner_only(ini)
