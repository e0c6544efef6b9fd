"""docker-compose.yml, Dockerfile and config/production.ini agree with each other and the portal.

No container engine runs here: these checks read the files, expand compose's ``${VAR...}``
the way compose does, and load production.ini with CKAN's own config loader.
"""

from __future__ import annotations

import configparser
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.support.live_server import ini_plugins, portal_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
PRODUCTION_INI = ROOT / "config/production.ini"
PORTAL_INI = ROOT / "config/portal.ini"
SEARCH_PLUGIN = "splpdepok_search"
_VAR = re.compile(r"\$\{(?P<name>\w+)(?P<op>:?[-?])?(?P<arg>[^}]*)\}")


def expand(value: str, env: dict[str, str]) -> str:
    """Compose's interpolation: ${X}, ${X:-default}, ${X-default}, ${X:?error}, ${X?error}."""

    def replace(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"] or "", match["arg"]
        if op.endswith("?"):
            if name not in env or (op == ":?" and not env[name]):
                raise KeyError(f"{name}: {arg}")
            return env[name]
        if op == ":-":
            return env.get(name) or arg
        if op == "-":
            return env.get(name, arg)
        return env.get(name, "")

    return _VAR.sub(replace, value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def service_env(compose: dict[str, Any], service: str, env: dict[str, str]) -> dict[str, str]:
    raw = compose["services"][service].get("environment", {})
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {key: expand(str(value), env) for key, value in raw.items()}


SECRETS = {"POSTGRES_PASSWORD": "pw-from-env", "CKAN_SECRET_KEY": "secret-from-env"}


def dockerfile_env() -> dict[str, str]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(dict(re.findall(r"(\w+)=(\S+)", line)))
    return env


def load_production_ini(env: dict[str, str]) -> dict[str, Any]:
    """production.ini as CKAN reads it, with only ``env`` as CKAN_* variables."""
    from ckan.cli import CKANConfigLoader

    saved = {k: v for k, v in os.environ.items() if k.startswith("CKAN_")}
    try:
        for key in saved:
            del os.environ[key]
        os.environ.update(env)
        return dict(CKANConfigLoader(str(PRODUCTION_INI)).get_config())
    finally:
        for key in env:
            os.environ.pop(key, None)
        os.environ.update(saved)


def test_services_and_profiles(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"ckan", "worker", "db", "redis", "solr"} <= set(services)
    for name in ("ckan", "worker", "db", "redis"):
        assert not services[name].get("profiles"), f"{name} must start by default"
    assert services["solr"]["profiles"] == ["solr"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["solr"]["image"].startswith("ckan/ckan-solr:2.11")
    assert services["ckan"]["build"] == "."
    assert services["worker"]["image"] == services["ckan"]["image"]
    command = services["worker"]["command"]
    command = command.split() if isinstance(command, str) else command
    assert command[0] == "ckan"
    assert command[3:5] == ["jobs", "worker"]
    # every queue the extension enqueues on must be served, and the default one too
    assert {"default", "splpdepok_sync", "splpdepok_lid"} <= set(command[5:])


def test_urls_point_at_the_services(compose: dict[str, Any]) -> None:
    for name in ("ckan", "worker"):
        env = service_env(compose, name, SECRETS)
        db = urlsplit(env["CKAN_SQLALCHEMY_URL"])
        db_env = service_env(compose, "db", SECRETS)
        assert (db.scheme, db.hostname, db.port) == ("postgresql", "db", 5432)
        assert db.username == db_env["POSTGRES_USER"]
        assert db.password == db_env["POSTGRES_PASSWORD"] == SECRETS["POSTGRES_PASSWORD"]
        assert db.path.lstrip("/") == db_env["POSTGRES_DB"]
        assert urlsplit(env["CKAN_REDIS_URL"]).hostname == "redis"
        assert urlsplit(env["CKAN_SOLR_URL"]).hostname == "solr"
        assert env["CKAN_INI"] == "/srv/app/production.ini"
        assert env["CKAN_SECRET_KEY"] == SECRETS["CKAN_SECRET_KEY"]


def test_secrets_are_required_from_the_environment(compose: dict[str, Any]) -> None:
    with pytest.raises(KeyError, match="CKAN_SECRET_KEY"):
        service_env(compose, "ckan", {"POSTGRES_PASSWORD": "x"})
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        service_env(compose, "db", {})


def test_ports_match_the_image(compose: dict[str, Any]) -> None:
    ports = [expand(str(p), {}) for p in compose["services"]["ckan"]["ports"]]
    assert ports == ["5000:5000"]
    dockerfile = DOCKERFILE.read_text()
    assert "EXPOSE 5000" in dockerfile
    assert "--bind 0.0.0.0:5000" in dockerfile


def test_dockerfile_builds_the_portal() -> None:
    text = DOCKERFILE.read_text()
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert froms == ["python:3.11-slim"]
    assert "pip install -r requirements.txt" in text
    assert "scripts/compile_i18n.py" in text
    assert re.search(r"COPY config/production.ini /srv/app/production.ini", text)
    assert "wsgi:application" in text and "gunicorn" in text
    # one entry point for scripts/portal and the image: the Dockerfile copies scripts/wsgi.py
    assert re.search(r"^COPY scripts/wsgi.py /srv/app/wsgi.py$", text, re.M)
    assert "<<" not in text, "no inline files in the Dockerfile: copy them from the checkout"
    assert "ckan db upgrade" in text
    assert dockerfile_env()["CKAN_INI"] == "/srv/app/production.ini"
    pins = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^gunicorn==", pins, re.M), "gunicorn must be pinned in requirements.txt"


@pytest.mark.parametrize("search_plugin", [SEARCH_PLUGIN, ""])
def test_production_ini_matches_the_portal(compose: dict[str, Any], search_plugin: str) -> None:
    env = dockerfile_env()
    env.update(service_env(compose, "ckan", {**SECRETS, "CKAN_SEARCH_PLUGIN": search_plugin}))
    config = load_production_ini(env)
    portal = ini_plugins(PORTAL_INI)
    expected = portal if search_plugin else [p for p in portal if p != SEARCH_PLUGIN]
    assert config["ckan.plugins"].split() == expected
    assert config["sqlalchemy.url"] == env["CKAN_SQLALCHEMY_URL"]
    assert config["ckan.redis.url"] == env["CKAN_REDIS_URL"]
    assert config["ckan.site_url"] == env["CKAN_SITE_URL"]
    assert config["solr_url"] == env["CKAN_SOLR_URL"]
    assert config["ckan.storage_path"] == env["CKAN_STORAGE_PATH"]
    assert config["SECRET_KEY"] == SECRETS["CKAN_SECRET_KEY"]
    for key, value in portal_settings().items():
        if key != "ckan.plugins":
            assert config.get(key) == value, f"{key} differs from config/portal.ini"


def test_production_ini_holds_no_secret() -> None:
    parser = configparser.RawConfigParser()
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PRODUCTION_INI)
    app = parser["app:main"]
    for key, value in app.items():
        if re.search(r"secret|password|token|key", key, re.I) or key.startswith("sqlalchemy"):
            assert re.fullmatch(r"(string:)?%\(CKAN_\w+\)s", value), f"{key} must come from env"
    referenced = set(re.findall(r"%\((CKAN_\w+)\)s", PRODUCTION_INI.read_text()))
    compose_env = yaml.safe_load(COMPOSE.read_text())["x-ckan-environment"]
    provided = set(dockerfile_env()) | set(compose_env)
    assert referenced <= provided, f"not provided: {referenced - provided}"
