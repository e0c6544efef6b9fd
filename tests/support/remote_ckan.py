"""A second, real CKAN instance on loopback, on its own database: the sync target of the tests.

Built on ``tests.support.live_server`` (the launcher); this module adds the own database
(``<test db>_remote``, created through ``SPLPDEPOK_PG_ADMIN_URL``), a sysadmin with an API token
and helpers to read the remote catalog back. ::

    from tests.support.remote_ckan import remote_ckan  # noqa: F401  (module-scoped fixture)

    def test_push(remote_ckan):
        remote_ckan.action("organization_create", {"name": "pemkot-depok"})
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.support.live_server import LiveServer, run_ckan

REMOTE_PLUGINS = ["splpdepok_search"]


def remote_database_url(suffix: str = "") -> str:
    """``<test db>_remote[_suffix]``: never the local test database."""
    local = make_url(os.environ["CKAN_SQLALCHEMY_URL"])
    name = f"{local.database}_remote" + (f"_{suffix}" if suffix else "")
    return str(local.set(database=name))


def recreate_database(url: str) -> None:
    """Drop and create the remote's database (never the local test database)."""
    name = make_url(url).database
    assert name and "_remote" in name, name
    admin = sa.create_engine(os.environ["SPLPDEPOK_PG_ADMIN_URL"], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    admin.dispose()


@contextlib.contextmanager
def remote_env(url: str) -> Iterator[None]:
    """CKAN reads ``CKAN_SQLALCHEMY_URL`` before the ini: child processes get the remote's."""
    saved = os.environ.get("CKAN_SQLALCHEMY_URL")
    os.environ["CKAN_SQLALCHEMY_URL"] = url
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("CKAN_SQLALCHEMY_URL", None)
        else:
            os.environ["CKAN_SQLALCHEMY_URL"] = saved


class RemoteCkan:
    """The running remote instance, its admin token and read-back helpers."""

    def __init__(self, server: LiveServer, plugins: list[str], db_url: str) -> None:
        self.server, self.plugins, self.db_url = server, plugins, db_url
        self.url = server.url
        self.token = ""

    def ckan(self, *args: str) -> str:
        """A ``ckan`` CLI command against the remote instance."""
        with remote_env(self.db_url):
            return run_ckan(self.server.ini, *args)

    def setup(self) -> RemoteCkan:
        self.ckan("db", "init")
        self.ckan("db", "pending-migrations", "--apply")
        for plugin in ("splpdepok_search", "harvest"):
            if plugin in self.plugins:
                self.ckan("db", "upgrade", "-p", plugin)
        self.start()
        with remote_env(self.db_url):
            self.server.create_user("remote_admin", sysadmin=True)
            self.token = self.server.api_token("remote_admin", "sync-tests")
        return self

    def start(self) -> None:
        with remote_env(self.db_url):
            self.server.start()

    def action(self, name: str, data: dict[str, Any] | None = None) -> Any:
        return self.server.action(name, data, token=self.token)

    def datasets(self, include_private: bool = True) -> dict[str, dict[str, Any]]:
        """Every active dataset of the remote catalog, by name."""
        out: dict[str, dict[str, Any]] = {}
        start = 0
        while True:
            page = self.action("package_search", {
                "q": "*:*", "rows": 1000, "start": start, "include_private": include_private,
                "sort": "name asc"})
            for pkg in page["results"]:
                out[pkg["name"]] = pkg
            start += len(page["results"])
            if not page["results"] or start >= page["count"]:
                return out

    def ensure_org(self, name: str) -> dict[str, Any]:
        try:
            return self.action("organization_show", {"id": name})
        except RuntimeError:
            return self.action("organization_create", {"name": name, "title": name})

    def restart(self) -> None:
        self.server.stop()
        self.start()


def start_remote(name: str = "remote-ckan", plugins: list[str] | None = None,
                 config: dict[str, str] | None = None, db_suffix: str = "",
                 gunicorn_workers: int | None = None) -> RemoteCkan:
    """Create the remote's database, migrate it, start the server, make a sysadmin token."""
    plugins = plugins or REMOTE_PLUGINS
    url = remote_database_url(db_suffix)
    recreate_database(url)
    settings = {"sqlalchemy.url": url, "ckan.site_id": "splpdepok-remote",
                "ckan.auth.create_unowned_dataset": "false", **(config or {})}
    server = LiveServer.prepare(name, plugins, settings, gunicorn_workers)
    return RemoteCkan(server, plugins, url).setup()


@pytest.fixture(scope="module")
def remote_ckan() -> Iterator[RemoteCkan]:
    """A plain CKAN (plus the PostgreSQL search backend) on ``<test db>_remote``."""
    remote = start_remote()
    yield remote
    remote.server.stop()
