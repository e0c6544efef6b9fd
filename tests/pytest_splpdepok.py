"""Pytest plugin loaded for every run (see pytest.ini): glue between CKAN's fixtures and ours.

CKAN's ``reset_db`` drops every table the first time it runs, the tables of our plugins
included. The extension's tables only come from alembic migrations, so after each reset the
migrations of our plugins are applied again, whether or not the plugins are loaded at that
moment (fixture order must not matter): CKAN's own suites (e.g. TestPackageSearch) and ours then
run unchanged.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ckanext.splpdepok
import pytest

MIGRATIONS = Path(ckanext.splpdepok.__file__).parent / "migration"
OUR_PLUGINS = ("splpdepok_search", "splpdepok")


def migrate(plugin: str, version: str, *, down: bool = False) -> None:
    """Moves one of our plugins' migrations to ``version`` (tests of a migration itself)."""
    from ckan import model

    original = model.repo._alembic_ini
    model.repo._alembic_ini = str(MIGRATIONS / plugin / "alembic.ini")
    try:
        model.Session.remove()
        (model.repo.downgrade_db if down else model.repo.upgrade_db)(version)
    finally:
        model.repo._alembic_ini = original


def upgrade_our_plugins() -> None:
    from ckan import model

    original = model.repo._alembic_ini
    try:
        for name in OUR_PLUGINS:
            model.repo._alembic_ini = str(MIGRATIONS / name / "alembic.ini")
            model.repo.upgrade_db("head")
    finally:
        model.repo._alembic_ini = original


@pytest.fixture(scope="session", autouse=True)
def _splpdepok_migrations_after_reset() -> Iterator[None]:
    from ckan.tests import helpers

    original = helpers.reset_db

    def reset_db() -> None:
        original()
        upgrade_our_plugins()

    helpers.reset_db = reset_db
    yield
    helpers.reset_db = original
