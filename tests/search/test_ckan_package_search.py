"""CKAN's own package_search suite, run against the PostgreSQL backend (plugin enabled)."""
from ckan.tests.logic.action.test_get import TestPackageSearch  # noqa: F401
