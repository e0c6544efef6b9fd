"""Fixtures of the import suite."""
from __future__ import annotations

import pytest


@pytest.fixture
def portal_db(with_plugins, clean_db, clean_index, migrate_db_for) -> None:
    """A clean database with the tables of the portal's core plugins (activity) too."""
    migrate_db_for("activity")
