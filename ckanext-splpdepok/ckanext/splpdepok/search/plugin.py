"""The ``splpdepok_search`` plugin: answers CKAN's search from PostgreSQL instead of Solr."""
from __future__ import annotations

import ckan.plugins as p


class SplpdepokSearchPlugin(p.SingletonPlugin):
    pass
