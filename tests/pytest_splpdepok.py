"""Pytest plugin loaded for every run (see pytest.ini): glue between CKAN's fixtures and ours.

CKAN's ``reset_db`` drops every table the first time it runs, the tables of our plugins
included. The extension's tables only come from alembic migrations, so after each reset the
migrations of our enabled plugins are applied again: CKAN's own suites (e.g. TestPackageSearch)
then run unchanged against this portal's plugins.
"""
from __future__ import annotations

from typing import Any

import pytest

OUR_PLUGINS = ("splpdepok_search", "splpdepok")


def _upgrade_our_plugins() -> None:
    import ckan.plugins as p
    from ckan.cli.db import _run_migrations  # type: ignore[attr-defined]

    for name in OUR_PLUGINS:
        if p.plugin_loaded(name):
            _run_migrations(name)


@pytest.fixture(scope="session", autouse=True)
def _splpdepok_migrations_after_reset() -> Any:
    import ckan.tests.helpers as helpers

    original = helpers.reset_db

    def reset_db() -> None:
        original()
        _upgrade_our_plugins()

    helpers.reset_db = reset_db
    yield
    helpers.reset_db = original
