"""A live portal (config/portal.ini's plugins and settings, demo data, a real SMTP server) with
an anonymous visitor, a plain signed-in applicant and a sysadmin, for the hardening tests."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from tests.support.live_server import (
    LiveServer,
    portal_plugins,
    portal_settings,
    reset_database,
)
from tests.support.smtp import SmtpServer


@dataclass
class Portal:
    server: LiveServer
    tokens: dict[str, str | None]
    refs: list[str] = field(default_factory=list)
    log_offset: int = 0

    def new_log(self) -> str:
        """What the server logged since the last call."""
        with self.server.log_path.open("rb") as log:
            log.seek(self.log_offset)
            chunk = log.read()
        self.log_offset += len(chunk)
        return chunk.decode("utf-8", errors="replace")


@pytest.fixture(scope="package")
def hardening_smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture(scope="package")
def portal(hardening_smtp: SmtpServer) -> Iterator[Portal]:
    settings = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}
    settings.update({
        "smtp.server": hardening_smtp.address,
        "ckanext.splpdepok.sync.timeout_seconds": "3",
        "ckanext.splpdepok.sync.retries": "1",
        "ckanext.splpdepok.splp.base_url": "http://127.0.0.1:9",
        "ckanext.splpdepok.splp.retries": "1",
        "ckanext.splpdepok.splp.timeout_seconds": "3",
    })
    server = LiveServer.prepare("hardening", portal_plugins(), settings)
    reset_database(server.ini)
    server.ckan("splpdepok", "demo", "load", "--quiet")
    server.create_user("sysadmin-uji", sysadmin=True)
    server.create_user("pemohon-uji")
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "applicant": server.api_token("pemohon-uji"),
        "sysadmin": server.api_token("sysadmin-uji"),
    }
    server.start()
    portal = Portal(server, tokens)
    portal.refs = _references(portal)
    portal.new_log()
    yield portal
    server.stop()
    _empty_job_queues()


def _empty_job_queues() -> None:
    """The hostile calls queue sync runs and checks on this site's queues; later suites expect
    them empty."""
    from ckan.lib import jobs as ckan_jobs

    for queue in ckan_jobs.get_all_queues():
        queue.empty()


def _references(portal: Portal) -> list[str]:
    """Real names and ids, so that hostile calls also reach the code behind the look-ups."""
    server, admin = portal.server, portal.tokens["sysadmin"]
    target = server.action("splpdepok_target_create", {
        "name": "target-uji", "type": "ckan", "url": "http://127.0.0.1:9"}, admin)
    datasets = server.action("package_search", {"rows": 3, "include_private": True}, admin)
    refs = [target["id"], target["name"], "depok.go.id", "diskominfo"]
    for dataset in datasets["results"]:
        refs += [dataset["id"], dataset["name"]]
    return refs


def send(portal: Portal, role: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    token = portal.tokens[role]
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = token
    return requests.request(method, portal.server.url + path, headers=headers, timeout=120,
                            allow_redirects=False, **kwargs)
