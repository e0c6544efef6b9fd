"""Validators of the Katalog LID (registered with CKAN under these names)."""
from __future__ import annotations

import json
import re
from typing import Any, cast
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import unflatten
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey
from ckanext.splpdepok.lid.logic.auth import visible_package
from ckanext.splpdepok.lid.model import STATUSES
from ckanext.splpdepok.lid.splp.mapping import CLASSIFICATIONS, OUTPUT_FORMATS, clean_context
from ckanext.splpdepok.security.logic.validators import bad_text

ATTRIBUTE_TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "object",
                   "array")
_CONTEXT = re.compile(r"^[A-Za-z0-9_\-.]+(/[A-Za-z0-9_\-.]+)*$")
_VERSION = re.compile(r"^[A-Za-z0-9._-]{1,30}$")
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")
MAX_ATTRIBUTES = 200
MAX_DATASETS = 100
# Fields whose validator checks the whole list (its length, duplicates across items).
WHOLE_LISTS = ("attributes", "datasets")


def splpdepok_lid_whole_lists(key: FlattenKey, data: FlattenDataDict,
                              errors: FlattenErrorDict, context: Context) -> None:
    """``__before``: hand list fields to their validator whole.

    navl flattens a list of dicts into one key per item field (``("attributes", 0, "name")``)
    and, since the schema checks ``attributes`` as one value, sets those keys aside as junk.
    This puts each such list back under its own key, so the field's validator sees the list
    exactly as the caller sent it (a list of strings or a JSON text is never flattened).
    """
    junk = data.get(("__junk",))
    if not isinstance(junk, dict):
        return
    for field in WHOLE_LISTS:
        parts = {k: junk.pop(k) for k in [k for k in junk if k and k[0] == field]}
        if parts:
            data[(field,)] = unflatten(parts)[field]
    if not junk:
        data.pop(("__junk",))


def splpdepok_lid_url(value: Any) -> Any:
    parsed = urlparse(str(value or ""))
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(str(value)) > 2000:
        raise tk.Invalid(tk._("Enter an absolute http(s) address, e.g. https://api.depok.go.id/x"))
    return str(value).strip()


def splpdepok_lid_output_format(value: Any) -> Any:
    text = str(value or "").strip().upper()
    if text not in OUTPUT_FORMATS:
        raise tk.Invalid(tk._("Choose one of: %(formats)s")
                         % {"formats": ", ".join(OUTPUT_FORMATS)})
    return text


def splpdepok_lid_classification(value: Any) -> Any:
    if value not in CLASSIFICATIONS:
        raise tk.Invalid(tk._("Choose terbuka or terbatas"))
    return value


def splpdepok_lid_context(value: Any) -> Any:
    text = clean_context(str(value or ""))
    if not text or len(text) > 200 or not _CONTEXT.match(text):
        raise tk.Invalid(tk._(
            "Use letters, digits, '-', '_', '.' and '/' only, e.g. kependudukan/penduduk"))
    if text.split("/")[0] == "t":
        raise tk.Invalid(tk._("The context must not start with 't/' (SPLP adds the tenant)"))
    return text


def splpdepok_lid_version(value: Any) -> Any:
    text = str(value or "").strip()
    if not _VERSION.match(text):
        raise tk.Invalid(tk._("Use a short version without spaces, e.g. 1.0.0 or v1"))
    return text


def splpdepok_lid_status(value: Any) -> Any:
    if value not in STATUSES:
        raise tk.Invalid(tk._("Unknown status"))
    return value


def _attribute(item: Any, seen: set[str]) -> dict[str, str]:
    if not isinstance(item, dict):
        raise tk.Invalid(tk._("Attributes must be a list of fields"))
    name = str(item.get("name") or "").strip()
    kind = str(item.get("type") or "string").strip().lower()
    if not _FIELD_NAME.match(name):
        raise tk.Invalid(tk._("Field name %(name)r: use letters, digits and _ (no spaces)")
                         % {"name": name})
    if kind not in ATTRIBUTE_TYPES:
        raise tk.Invalid(tk._("Field %(name)s: type must be one of %(types)s")
                         % {"name": name, "types": ", ".join(ATTRIBUTE_TYPES)})
    if name.lower() in seen:
        raise tk.Invalid(tk._("Field %(name)s appears twice") % {"name": name})
    seen.add(name.lower())
    description = str(item.get("description") or "").strip()[:1000]
    if bad_text(description):
        raise tk.Invalid(tk._("Field %(name)s: the description has invalid characters")
                         % {"name": name})
    return {"name": name, "type": kind, "description": description}


def splpdepok_lid_attributes(value: Any) -> Any:
    """A list of {name, type, description}; a JSON string (from a form) is accepted too."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError:
            raise tk.Invalid(tk._("Attributes must be a list of fields")) from None
    if not isinstance(value, list) or len(value) > MAX_ATTRIBUTES:
        raise tk.Invalid(tk._("Attributes must be a list of fields"))
    seen: set[str] = set()
    return [_attribute(item, seen) for item in value]


def splpdepok_lid_datasets(value: Any, context: Context) -> Any:
    """Dataset ids or names (list, or comma/space separated text) -> ids of active datasets
    the caller may see."""
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,]+", value) if v]
    if not isinstance(value, list) or len(value) > MAX_DATASETS:
        raise tk.Invalid(tk._("Datasets must be a list of dataset names or ids"))
    ids: list[str] = []
    for ref in value:
        package = visible_package(ref, context)
        if package is None:
            shown = ref[:100] if isinstance(ref, str) and not bad_text(ref) else "?"
            raise tk.Invalid(tk._("Dataset not found: %(ref)s") % {"ref": shown})
        ids.append(package.id)
    return list(dict.fromkeys(ids))


def splpdepok_lid_ids(value: Any) -> Any:
    """A list of LID ids, or ids separated by spaces/commas (from a form)."""
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    return cast(Any, tk.get_validator("splpdepok_text_list"))(200, 100)(value)


def all_validators() -> dict[str, Any]:
    return {f.__name__: f for f in (
        splpdepok_lid_whole_lists, splpdepok_lid_url, splpdepok_lid_output_format,
        splpdepok_lid_classification, splpdepok_lid_context, splpdepok_lid_version,
        splpdepok_lid_status, splpdepok_lid_attributes, splpdepok_lid_datasets,
        splpdepok_lid_ids)}
