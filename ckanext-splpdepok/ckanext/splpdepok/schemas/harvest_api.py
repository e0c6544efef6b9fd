"""CKAN glue of ``national_output``: chained actions and the scheming harvest entry point.

- ``package_show`` / ``package_search`` called through the action API (``context["api_version"]``)
  answer with each schema field also as an extra; CKAN's own callers (indexing, pages, DCAT)
  get the plain dicts, so nothing is stored or indexed twice.
- ``package_create`` / ``package_update`` drop those echoes before scheming validates (it rejects
  an extra named like a field), so show -> update and show -> patch round trips work.
- ``dcat_datasets_list`` (``/dcat.json``) answers with the national DCAT-JSON keys.
- ``/skema-sdi/api/3/action/<read action>``: the same API echoing only the local fields (which
  the national schema does not declare), for a harvester CKAN that runs a scheming schema
  declaring the national fields. ckanext-harvest's CKAN
  harvester reads the same ``package_search`` whatever the harvesting side validates with, and
  CKAN rejects an extra named like one of its schema fields, so such a harvester registers this
  address as its source URL instead of the portal's root.
"""
from __future__ import annotations

import contextvars
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.splpdepok.schemas.fields import LOCAL_DATASET_FIELDS
from ckanext.splpdepok.schemas.national_output import (
    EXTRA_FIELDS,
    national_dcat_entry,
    with_national_extras,
    without_echoed_extras,
)
from flask import Blueprint

SCHEMING_HARVEST_PREFIX = "/skema-sdi"
# Read actions a harvester (ckanext-harvest's CKAN harvester, any option) calls.
HARVEST_READ_ACTIONS = frozenset({
    "package_search", "package_show", "package_list", "organization_show", "organization_list",
    "group_show", "group_list", "status_show",
})

_top_level_only: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "splpdepok_top_level_only", default=False)


def _echoed_fields(context: Context) -> tuple[str, ...]:
    """Fields to echo as extras: none outside the API; only the local ones (which the national
    schema does not declare) on the scheming entry point."""
    if not context.get("api_version"):
        return ()
    return LOCAL_DATASET_FIELDS if _top_level_only.get() else EXTRA_FIELDS


def _schema_fields(dataset_type: str) -> set[str]:
    """Dataset field names of the scheming schema of ``dataset_type`` (empty without scheming)."""
    if not p.plugin_loaded("scheming_datasets"):
        return set()
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type or "dataset") or {}
    return {f["field_name"] for f in schema.get("dataset_fields", [])}


@tk.chained_action
@tk.side_effect_free
def package_show(up_func: Any, context: Context, data_dict: DataDict) -> Any:
    result = up_func(context, data_dict)
    fields = _echoed_fields(context)
    if fields and isinstance(result, dict):
        return with_national_extras(result, fields)
    return result


@tk.chained_action
@tk.side_effect_free
def package_search(up_func: Any, context: Context, data_dict: DataDict) -> Any:
    result = up_func(context, data_dict)
    fields = _echoed_fields(context)
    if fields and isinstance(result, dict):
        result["results"] = [with_national_extras(pkg, fields) if isinstance(pkg, dict) else pkg
                             for pkg in result.get("results", [])]
    return result


def _without_echoes(context: Context, data_dict: DataDict) -> DataDict:
    if not isinstance(data_dict, dict) or not isinstance(data_dict.get("extras"), list):
        return data_dict
    fields = _schema_fields(str(data_dict.get("type") or "dataset"))
    if not fields:
        return data_dict

    def stored() -> dict[str, Any] | None:
        ident = data_dict.get("id") or data_dict.get("name")
        if not ident or not isinstance(ident, str):
            return None
        try:
            return tk.get_action("package_show")(
                {"ignore_auth": True, "user": context.get("user", "")}, {"id": ident})
        except tk.ObjectNotFound:
            return None

    return without_echoed_extras(data_dict, fields, stored)


@tk.chained_action
def package_create(up_func: Any, context: Context, data_dict: DataDict) -> Any:
    return up_func(context, _without_echoes(context, data_dict))


@tk.chained_action
def package_update(up_func: Any, context: Context, data_dict: DataDict) -> Any:
    return up_func(context, _without_echoes(context, data_dict))


@tk.chained_action
def dcat_datasets_list(up_func: Any, context: Context, data_dict: DataDict) -> list[Any]:
    """``/dcat.json``: ckanext-dcat's entries plus the national DCAT-JSON keys.

    ckanext-dcat 2.4.4 converts with no profile hook; this reuses its own search (paging,
    ``modified_since``, excluded types) and converter, then adds the national keys.
    """
    tk.check_access("dcat_datasets_list", context, data_dict)
    from ckanext.dcat import converters
    from ckanext.dcat import logic as dcat_logic

    found = dcat_logic._search_ckan_datasets(context, data_dict)["results"]
    return [national_dcat_entry(pkg, converters.ckan_to_dcat(pkg)) for pkg in found]


def actions() -> dict[str, Any]:
    chained: dict[str, Any] = {
        "package_show": package_show, "package_search": package_search,
        "package_create": package_create, "package_update": package_update,
    }
    if p.plugin_loaded("dcat_json_interface"):
        chained["dcat_datasets_list"] = dcat_datasets_list
    return chained


blueprint = Blueprint("splpdepok_harvest_schema", __name__, url_prefix=SCHEMING_HARVEST_PREFIX)


def _scheming_harvest_action(logic_function: str, ver: int = 3) -> Any:
    """CKAN's own API view, answering with the schema fields top-level only."""
    from ckan.views import api

    if logic_function not in HARVEST_READ_ACTIONS:
        message = tk._("Only read actions are served here: {actions}").format(
            actions=", ".join(sorted(HARVEST_READ_ACTIONS)))
        return api._finish(400, {"success": False, "error": {  # CKAN's own JSON envelope
            "__type": "Validation Error", "message": message}}, "json")
    token = _top_level_only.set(True)
    try:
        return api.action(logic_function, ver)
    finally:
        _top_level_only.reset(token)


blueprint.add_url_rule("/api/<int(min=3, max=3):ver>/action/<logic_function>",
                       view_func=_scheming_harvest_action, methods=["GET"])
blueprint.add_url_rule("/api/action/<logic_function>", view_func=_scheming_harvest_action,
                       methods=["GET"])
