"""The container's start command, run here for real: production.ini + wsgi.py + gunicorn.

No Docker engine runs on this machine, so the image's CMD and its wsgi.py are taken from the
Dockerfile and run against the test database and Redis, with the environment docker-compose
gives the ``ckan`` service (hosts swapped for the local ones). The worker command runs once
in burst mode.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa
import yaml

from tests.foundation.test_deployment import COMPOSE, DOCKERFILE, PRODUCTION_INI, dockerfile_env
from tests.support.live_server import ROOT, free_port

VENV_BIN = ROOT / ".venv/bin"


def wsgi_source() -> str:
    match = re.search(r"^COPY (\S+) /srv/app/wsgi.py$", DOCKERFILE.read_text(), re.M)
    assert match, "the Dockerfile copies a wsgi.py to /srv/app/wsgi.py"
    return (ROOT / match.group(1)).read_text(encoding="utf-8")


def start_command(port: int) -> str:
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE.read_text(), re.M)
    assert cmd, "the Dockerfile has a CMD in exec form"
    argv = yaml.safe_load(cmd.group(1))
    assert argv[:2] == ["sh", "-c"]
    return argv[2].replace("0.0.0.0:5000", f"127.0.0.1:{port}")


def container_env(port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    env.update(dockerfile_env())
    compose = yaml.safe_load(COMPOSE.read_text())
    assert set(compose["x-ckan-environment"]) >= {"CKAN_SQLALCHEMY_URL", "CKAN_REDIS_URL"}
    env.update(
        {
            "CKAN_INI": str(PRODUCTION_INI),
            "CKAN_SQLALCHEMY_URL": os.environ["CKAN_SQLALCHEMY_URL"],
            "CKAN_REDIS_URL": os.environ["CKAN_REDIS_URL"],
            "CKAN_STORAGE_PATH": os.environ.get(
                "CKAN_STORAGE_PATH", str(ROOT / ".run/test-storage")
            ),
            "CKAN_SITE_URL": f"http://127.0.0.1:{port}",
            "CKAN_SECRET_KEY": secrets.token_urlsafe(32),
            "GUNICORN_WORKERS": "1",
            "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        }
    )
    return env


@pytest.fixture(scope="module")
def fresh_database() -> Iterator[str]:
    """An empty database, as a first `docker compose up` has: the start command must build it."""
    admin_url = os.environ["SPLPDEPOK_PG_ADMIN_URL"]
    name = urlsplit(os.environ["CKAN_SQLALCHEMY_URL"]).path.lstrip("/") + "_container"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield admin_url.rsplit("/", 1)[0] + "/" + name
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="module")
def container(
    tmp_path_factory: pytest.TempPathFactory, fresh_database: str
) -> Iterator[tuple[str, dict[str, str]]]:
    app_dir: Path = tmp_path_factory.mktemp("srv-app")
    (app_dir / "wsgi.py").write_text(wsgi_source())
    port = free_port()
    env = container_env(port)
    env["CKAN_SQLALCHEMY_URL"] = fresh_database
    log_path = app_dir / "container.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["sh", "-c", start_command(port)],
            cwd=app_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if requests.get(f"{url}/api/3/action/status_show", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            pytest.fail(
                "the container command did not serve CKAN:\n" + log_path.read_text()[-4000:]
            )
        yield url, env
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def test_start_command_builds_every_table_on_an_empty_database(
    container: tuple[str, dict[str, str]],
) -> None:
    url, env = container
    engine = sa.create_engine(env["CKAN_SQLALCHEMY_URL"])
    with engine.connect() as conn:
        tables = set(conn.execute(sa.text("SELECT tablename FROM pg_tables")).scalars())
    engine.dispose()
    assert {"package", "activity"} <= tables
    assert {"splpdepok_search_index", "splpdepok_registrations", "splpdepok_sync_target"} <= tables
    assert requests.get(url + "/dataset", timeout=30).status_code == 200


def test_gunicorn_serves_the_portal_from_production_ini(
    container: tuple[str, dict[str, str]],
) -> None:
    url, env = container
    status = requests.get(f"{url}/api/3/action/status_show", timeout=10).json()["result"]
    assert status["site_title"] == "Satu Data Kota Depok"
    assert status["locale_default"] == "id"
    assert status["site_url"] == env["CKAN_SITE_URL"]
    assert "splpdepok_search" in status["extensions"] and "splpdepok" in status["extensions"]
    home = requests.get(url + "/", timeout=30)
    assert home.status_code == 200
    assert "Satu Data Kota Depok" in home.text


def test_worker_command_runs(container: tuple[str, dict[str, str]]) -> None:
    _url, env = container
    worker = yaml.safe_load(COMPOSE.read_text())["services"]["worker"]["command"]
    argv = shlex.split(worker) if isinstance(worker, str) else list(worker)
    argv = [str(VENV_BIN / "ckan"), *argv[1:]]
    argv[argv.index("-c") + 1] = str(PRODUCTION_INI)
    done = subprocess.run(
        [*argv, "--burst"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
