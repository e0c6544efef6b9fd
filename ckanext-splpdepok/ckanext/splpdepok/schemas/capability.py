"""What the schemas capability adds to CKAN (see ckanext.splpdepok.registry): the API and
``/dcat.json`` output the national harvesters read (``harvest_api``), the dataset schema's
validators and template helpers, the search facets, and the theme-group membership that
follows Kategori (called from plugin.py's IFacets / IPackageController)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.schemas.harvest_api import actions as harvest_actions

    return harvest_actions()


def blueprints() -> list[Any]:
    from ckanext.splpdepok.schemas.harvest_api import blueprint

    return [blueprint]


def validators() -> dict[str, Any]:
    from ckanext.splpdepok.schemas.logic.validators import all_validators

    return all_validators()


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.schemas.helpers import all_helpers

    return all_helpers()


def dataset_facets(facets_dict: Mapping[str, Any], package_type: str) -> Any:
    from ckanext.splpdepok.schemas.logic.facets import dataset_facets as facets

    return facets(facets_dict, package_type)


def after_dataset_saved(context: Any, pkg_dict: Mapping[str, Any]) -> None:
    """IPackageController.after_dataset_create/update: join the Kategori's theme groups."""
    import ckan.plugins as p
    from ckanext.splpdepok.schemas.logic.themes import join_theme_groups

    if not p.plugin_loaded("scheming_datasets"):
        return  # Kategori is the SDI schema's field; a plain CKAN keeps extras as they are
    package_id = pkg_dict.get("id")
    if isinstance(package_id, str):
        join_theme_groups(context, package_id, _saved_theme(pkg_dict))


def _saved_theme(pkg_dict: Mapping[str, Any]) -> str | None:
    """Kategori of the validated dict: top level, or the extra scheming stores it as."""
    theme = pkg_dict.get("theme")
    if isinstance(theme, str):
        return theme
    for extra in pkg_dict.get("extras") or []:
        if isinstance(extra, Mapping) and extra.get("key") == "theme":
            value = extra.get("value")
            return value if isinstance(value, str) else None
    return None
