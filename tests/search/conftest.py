"""Search test glue.

Every search test runs with the configured plugins loaded (before ``clean_db``), so CKAN's
``reset_db`` re-applies the ``splpdepok_search`` migration and datasets are indexed in
PostgreSQL. CKAN core tests that cannot pass here for a principled reason are deselected by
exact node id; each one is explained in KNOWN_DIFFERENCES.md.
"""
from __future__ import annotations

from typing import Any

import pytest

KNOWN_DIFFERENCES = {
    # needs CKAN's own test-core.ini (ckan.extra_resource_fields = alt_url)
    "tests/search/test_ckan_core_suites.py::TestPackageSearchIndex::"
    "test_index_package_stores_resource_extras_in_config_file",
    # the data files these read are not shipped in the CKAN wheel
    "tests/search/test_ckan_core_suites.py::test_check_invalid_schema",
    "tests/search/test_ckan_core_suites.py::test_check_schema_with_wrong_version",
    # nondeterministic upstream: the third dataset's random Faker title/notes can contain the
    # word "record" (it is in Faker's word list), and then it rightly matches q=record
    "tests/search/test_ckan_core_suites.py::TestPackageQuery::test_name_multiple_results",
}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    deselected = [item for item in items if item.nodeid in KNOWN_DIFFERENCES]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item.nodeid not in KNOWN_DIFFERENCES]


@pytest.fixture(autouse=True)
def _search_plugins_loaded(with_plugins: Any) -> Any:
    yield
