"""The ``splpdepok_search`` plugin: answers CKAN's search from PostgreSQL instead of Solr."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.splpdepok.search import actions, backend


class SplpdepokSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IActions)

    # IConfigurer: runs before CKAN's start-up Solr check, so that check never reaches Solr.

    def update_config(self, config: tk.CKANConfig) -> None:
        backend.install()

    # IConfigurable

    def configure(self, config: tk.CKANConfig) -> None:
        backend.install()

    # IActions

    def get_actions(self) -> dict[str, Any]:
        return {"package_search": actions.package_search}
