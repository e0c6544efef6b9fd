"""A real CKAN server (``ckan run``) for browser and HTTP tests, on a free loopback port.

The server uses the test database and Redis given by the environment (``CKAN_SQLALCHEMY_URL``,
``CKAN_REDIS_URL``, set by ``scripts/test``) and its own ini, derived from ``config/test.ini``
with the plugins each suite asks for and ``ckan.site_url`` set to the server's own URL.

Use from a test module (import the fixtures you need into the module)::

    from tests.support.live_server import live_server  # noqa: F401

    LIVE_SERVER_PLUGINS = ["splpdepok_search", "splpdepok"]   # optional, default: test.ini's
    LIVE_SERVER_CONFIG = {"ckan.locale_default": "id"}         # optional extra settings

    def test_home(live_server):
        assert live_server.get("/").status_code == 200

``demo_portal`` is the same server on a freshly reset database holding the demo data
(``ckan splpdepok demo load``), with the plugins of ``config/portal.ini``. Users and API tokens
are created with CKAN's CLI against the same database (``server.create_user(...)``,
``server.api_token(...)``), so no plugin needs to be loaded in the pytest process.
"""

from __future__ import annotations

import configparser
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(os.environ.get("SPLPDEPOK_ROOT") or Path(__file__).resolve().parents[2])
CKAN_BIN = ROOT / ".venv/bin/ckan"
TEST_INI = ROOT / "config/test.ini"
PORTAL_INI = ROOT / "config/portal.ini"
RUN_DIR = ROOT / ".run/live-server"
OUR_MIGRATING_PLUGINS = ("splpdepok_search", "splpdepok")


def ini_plugins(path: Path) -> list[str]:
    """The ``ckan.plugins`` of an ini file, in order."""
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser.get("app:main", "ckan.plugins", fallback="").split()


def portal_plugins() -> list[str]:
    return ini_plugins(PORTAL_INI)


def portal_settings() -> dict[str, str]:
    """Every ``[app:main]`` setting of config/portal.ini (site title, locale, plugins...)."""
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PORTAL_INI)
    return dict(parser.items("app:main")) if parser.has_section("app:main") else {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_ini(
    path: Path,
    site_url: str,
    plugins: list[str] | None = None,
    config: dict[str, str] | None = None,
) -> Path:
    """Write an ini derived from config/test.ini for one server."""
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(TEST_INI)
    app = parser["app:main"]
    if plugins is not None:
        app["ckan.plugins"] = " ".join(plugins)
    app["ckan.site_url"] = site_url
    app["ckan.storage_path"] = os.environ.get("CKAN_STORAGE_PATH", str(ROOT / ".run/test-storage"))
    for env, key in (
        ("CKAN_SQLALCHEMY_URL", "sqlalchemy.url"),
        ("CKAN_REDIS_URL", "ckan.redis.url"),
    ):
        if os.environ.get(env):
            app[key] = os.environ[env]
    for key, value in (config or {}).items():
        app[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    # the ini holds the secret key and JWT secrets: owner-only from its first byte
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        parser.write(f)
    os.chmod(path, 0o600)
    return path


def run_ckan(ini: Path, *args: str, timeout: float = 300) -> str:
    """Run a ``ckan`` CLI command against ``ini``; return its stdout, raise with its output."""
    proc = subprocess.run(
        [str(CKAN_BIN), "-c", str(ini), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"ckan {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc.stdout


def _release_in_process_connections() -> None:
    """Close the pytest process's own CKAN connections so DDL elsewhere does not wait on them."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        from ckan import model

        model.Session.remove()
        engine = getattr(model.meta, "engine", None)
        if engine is not None:
            engine.dispose()
    except (ImportError, AttributeError, RuntimeError, SQLAlchemyError):
        pass  # nothing of CKAN's open in this process


def reset_database(ini: Path) -> None:
    """Empty the test database (schema ``public``) and apply CKAN's and our plugins' migrations."""
    import sqlalchemy as sa

    url = os.environ.get("CKAN_SQLALCHEMY_URL")
    if not url:
        parser = configparser.RawConfigParser(strict=False)
        parser.read(ini)
        url = parser.get("app:main", "sqlalchemy.url")
    _release_in_process_connections()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    run_ckan(ini, "db", "init")
    run_ckan(ini, "db", "pending-migrations", "--apply")
    for plugin in OUR_MIGRATING_PLUGINS:
        if plugin in ini_plugins(ini):
            run_ckan(ini, "db", "upgrade", "-p", plugin)


class LiveServer:
    """One ``ckan run`` process in its own process group."""

    def __init__(self, ini: Path, port: int, gunicorn_workers: int | None = None) -> None:
        self.ini = ini
        self.port = port
        # None: ``ckan run --threaded`` (one process, tests); a number: gunicorn with that many
        # workers and the Dockerfile's other settings (production-like, benchmarks)
        self.gunicorn_workers = gunicorn_workers
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = ini.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None

    @classmethod
    def prepare(
        cls, name: str, plugins: list[str] | None = None, config: dict[str, str] | None = None,
        gunicorn_workers: int | None = None,
    ) -> LiveServer:
        """Pick a port and write the ini; the server starts with ``start()``."""
        port = free_port()
        ini = write_ini(RUN_DIR / f"{name}-{port}.ini", f"http://127.0.0.1:{port}", plugins, config)
        return cls(ini, port, gunicorn_workers)

    def command(self) -> list[str]:
        """``ckan run``, or gunicorn as the Dockerfile starts it (same workers/threads/timeout)."""
        if self.gunicorn_workers is None:
            return [str(CKAN_BIN), "-c", str(self.ini), "run", "-H", "127.0.0.1",
                    "-p", str(self.port), "--disable-reloader", "--threaded"]
        return [str(CKAN_BIN.with_name("gunicorn")), "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.gunicorn_workers), "--threads", "4", "--timeout", "120",
                "--chdir", str(ROOT / "scripts"), "wsgi:application"]

    def start(self, timeout: float = 120) -> LiveServer:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            env={**os.environ, "CKAN_INI": str(self.ini)},
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(f"{self.url}/api/3/action/status_show", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"CKAN did not answer on {self.url}; log tail:\n{tail}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass

    # HTTP helpers

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": token} if token else {}
        return requests.get(self.url + path, headers=headers, timeout=30, **kwargs)

    def action(
        self, name: str, data: dict[str, Any] | None = None, token: str | None = None
    ) -> Any:
        """Call an API action (POST JSON); return ``result`` or raise with CKAN's error."""
        headers = {"Authorization": token} if token else {}
        response = requests.post(
            f"{self.url}/api/3/action/{name}", json=data or {}, headers=headers, timeout=60
        )
        body = response.json()
        if not body.get("success"):
            raise RuntimeError(f"{name} failed ({response.status_code}): {body.get('error')}")
        return body["result"]

    # Users (through CKAN's CLI, same database)

    def ckan(self, *args: str) -> str:
        return run_ckan(self.ini, *args)

    def create_user(
        self,
        name: str,
        *,
        sysadmin: bool = False,
        password: str | None = None,
        email: str | None = None,
    ) -> str:
        """Create (if missing) a user; return its password (a new random one unless given)."""
        password = password or "Uji-" + secrets.token_urlsafe(12)
        email = email or f"{name}@example.com"
        listing = self.ckan("user", "show", name)
        if f"name={name}" not in listing:
            self.ckan(
                "user", "add", name, f"email={email}", f"password={password}", f"fullname={name}"
            )
        else:
            self.ckan("user", "setpass", name, "-p", password)
        if sysadmin:
            self.ckan("sysadmin", "add", name)
        return password

    def api_token(self, user: str, token_name: str = "tests") -> str:
        lines = [
            line.strip()
            for line in self.ckan("user", "token", "add", user, token_name).splitlines()
        ]
        return [line for line in lines if line][-1]


def _module_settings(request: pytest.FixtureRequest) -> tuple[list[str] | None, dict[str, str]]:
    module = request.module
    return getattr(module, "LIVE_SERVER_PLUGINS", None), dict(
        getattr(module, "LIVE_SERVER_CONFIG", {})
    )


@pytest.fixture(scope="module")
def live_server_factory() -> Iterator[Callable[..., LiveServer]]:
    """``start(name, plugins=None, config=None)`` -> a running server; all stop at teardown."""
    servers: list[LiveServer] = []

    def start(
        name: str, plugins: list[str] | None = None, config: dict[str, str] | None = None
    ) -> LiveServer:
        server = LiveServer.prepare(name, plugins, config)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """A CKAN server on the current test database (module settings: see the module docstring)."""
    plugins, config = _module_settings(request)
    server = LiveServer.prepare(request.module.__name__.rsplit(".", 1)[-1], plugins, config)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def demo_portal(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The portal (settings of config/portal.ini) on a reset database holding the demo data."""
    plugins, config = _module_settings(request)
    settings = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}
    config = {**settings, **config}
    server = LiveServer.prepare(
        "demo-" + request.module.__name__.rsplit(".", 1)[-1], plugins or portal_plugins(), config
    )
    reset_database(server.ini)
    server.ckan("splpdepok", "demo", "load", "--quiet")
    server.start()
    yield server
    server.stop()
    _release_in_process_connections()
