"""Fixtures of the import suite."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ckan.tests import factories

from tests.importer.support import seed_old_portal
from tests.support.remote_ckan import RemoteCkan, start_remote


@pytest.fixture
def portal_db(with_plugins, clean_db, clean_index, migrate_db_for) -> None:
    """A clean database with the tables of the portal's core plugins (activity) too."""
    migrate_db_for("activity")


@pytest.fixture(scope="module")
def old_portal() -> Iterator[tuple[RemoteCkan, dict[str, dict[str, Any]]]]:
    """The old portal (a real CKAN, default schema), seeded once per module."""
    remote = start_remote("old-portal", db_suffix="oldportal")
    seeded = seed_old_portal(remote)
    yield remote, seeded
    remote.server.stop()


@pytest.fixture
def walidata() -> dict[str, Any]:
    """An admin of the walidata organization (not a sysadmin), and the organization the old
    ``dinkes`` maps onto."""
    user = factories.User()
    factories.Organization(name="diskominfo", users=[{"name": user["name"],
                                                      "capacity": "admin"}])
    factories.Organization(name="dinas-kesehatan", title="Dinas Kesehatan Kota Depok")
    return user
