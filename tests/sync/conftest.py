"""Fixtures of the sync suite: targets on the remote CKAN, runs."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from tests.support.remote_ckan import RemoteCkan, start_remote
from tests.sync.support import TOKEN_ENV

_prefixes = itertools.count(1)


@pytest.fixture(scope="session")
def remote_ckan() -> Iterator[RemoteCkan]:
    """One remote CKAN for the whole sync suite (tests keep apart through name prefixes)."""
    remote = start_remote()
    yield remote
    remote.server.stop()


@pytest.fixture
def sysadmin() -> dict[str, Any]:
    return factories.Sysadmin()


@pytest.fixture
def prefix() -> str:
    """A fresh remote name prefix per test: tests share one remote catalog."""
    return f"t{next(_prefixes)}-"


@pytest.fixture
def make_target(sysadmin: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                remote_ckan: RemoteCkan, prefix: str):
    monkeypatch.setenv(TOKEN_ENV, remote_ckan.token)

    def make(**kwargs: Any) -> dict[str, Any]:
        data = {"name": f"target-{prefix.rstrip('-')}", "type": "ckan",
                "url": remote_ckan.url, "credential_ref": TOKEN_ENV, "name_prefix": prefix,
                "extras_mode": "extras", "concurrency": 4, "rate_per_second": 0,
                "withdraw_max_share": 1.0, **kwargs}
        return tk.get_action("splpdepok_target_create")({"user": sysadmin["name"]}, data)

    return make


@pytest.fixture
def run_sync(sysadmin: dict[str, Any]):
    def run(target: dict[str, Any], **options: Any) -> dict[str, Any]:
        result = tk.get_action("splpdepok_sync_run")(
            {"user": sysadmin["name"]}, {"id": target["id"], "background": False, **options})
        model.Session.remove()
        return result

    return run


