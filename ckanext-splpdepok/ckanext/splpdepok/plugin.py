"""The ``splpdepok`` plugin: registrations, LID catalog, catalog sync, pages and CLI.

Kept lean on purpose: what each capability contributes is gathered by ``registry`` and
registered here through ``tk.blanket``.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation
from ckanext.splpdepok import cli, registry
from ckanext.splpdepok.schemas import capability as schemas


@tk.blanket.actions(registry.actions)
@tk.blanket.auth_functions(registry.auth_functions)
@tk.blanket.validators(registry.validators)
@tk.blanket.helpers(registry.helpers)
@tk.blanket.blueprints(registry.blueprints)
@tk.blanket.cli(cli.get_commands)
@tk.blanket.config_declarations(registry.config_declarations_subject)
class SplpdepokPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")

    # IFacets: the search facets of /dataset (schemas/logic/facets.py)

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return schemas.dataset_facets(facets_dict, package_type)

    # IPackageController: a dataset joins the theme groups its Kategori names

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        schemas.after_dataset_saved(context, pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        schemas.after_dataset_saved(context, pkg_dict)
