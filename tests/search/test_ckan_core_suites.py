"""More of CKAN's own search-dependent suites, run unchanged against the PostgreSQL backend.

Deselections (with reasons) are listed in KNOWN_DIFFERENCES.md and applied in conftest.py.
"""
from ckan.tests.cli.test_search_index import TestSearchIndex as TestCliSearchIndex  # noqa: F401
from ckan.tests.lib.search.test_index import (
    TestPackageSearchIndex,  # noqa: F401
    TestSearchIndex,  # noqa: F401
)
from ckan.tests.lib.search.test_query import TestPackageQuery  # noqa: F401
from ckan.tests.lib.search.test_search import *  # noqa: F403
from ckan.tests.logic.action.test_get import (  # noqa: F401
    TestGroupList,
    TestGroupPackageShow,
    TestGroupShow,
    TestOrganizationList,
    TestOrganizationShow,
    TestPackageAutocomplete,
)
