"""Validators and navl schemas of the LID catalog actions."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.lid.model import STATUSES
from ckanext.splpdepok.lid.splp.mapping import (
    CLASSIFICATIONS,
    OUTPUT_FORMATS,
    clean_context,
)
from ckanext.splpdepok.security.validators import bad_text

Schema = dict[str, Any]
ATTRIBUTE_TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "object",
                   "array")
_CONTEXT = re.compile(r"^[A-Za-z0-9_\-.]+(/[A-Za-z0-9_\-.]+)*$")
_VERSION = re.compile(r"^[A-Za-z0-9._-]{1,30}$")
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")
MAX_ATTRIBUTES = 200


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


def splpdepok_lid_attributes(value: Any) -> Any:
    """A list of {name, type, description}; a JSON string (from a form) is accepted too."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError:
            raise tk.Invalid(tk._("Attributes must be a list of fields")) from None
    if not isinstance(value, list) or len(value) > MAX_ATTRIBUTES:
        raise tk.Invalid(tk._("Attributes must be a list of fields"))
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in value:
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
        cleaned.append({"name": name, "type": kind, "description": description})
    return cleaned


def visible_package(ref: Any, context: Context | None) -> model.Package | None:
    """The active dataset ``ref`` names, if the caller may see it (a private dataset the caller
    may not read is answered exactly like one that does not exist)."""
    if not isinstance(ref, str) or not ref or len(ref) > 200 or bad_text(ref):
        return None
    package = model.Package.get(ref)
    if package is None or package.state != "active":
        return None
    if package.private:
        try:
            tk.check_access("package_show", cast(Context, {
                "user": (context or {}).get("user") or "",
                "ignore_auth": bool((context or {}).get("ignore_auth"))}), {"id": package.id})
        except tk.NotAuthorized:
            return None
    return package


def splpdepok_lid_datasets(value: Any, context: Context | None = None) -> Any:
    """Dataset ids or names (list, or comma/space separated text) -> ids of active datasets
    the caller may see."""
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,]+", value) if v]
    if not isinstance(value, list) or len(value) > 100:
        raise tk.Invalid(tk._("Datasets must be a list of dataset names or ids"))
    ids: list[str] = []
    for ref in value:
        package = visible_package(ref, context)
        if package is None:
            shown = ref[:100] if isinstance(ref, str) and not bad_text(ref) else "?"
            raise tk.Invalid(tk._("Dataset not found: %(ref)s") % {"ref": shown})
        ids.append(package.id)
    return list(dict.fromkeys(ids))


def all_validators() -> dict[str, Any]:
    return {f.__name__: f for f in (
        splpdepok_lid_url, splpdepok_lid_output_format, splpdepok_lid_classification,
        splpdepok_lid_context, splpdepok_lid_version, splpdepok_lid_status,
        splpdepok_lid_attributes, splpdepok_lid_datasets)}


LIST_FIELDS = {"attributes": splpdepok_lid_attributes, "datasets": splpdepok_lid_datasets}


def validate(data_dict: dict[str, Any], schema_: Schema,
             context: Context) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """navl validation, with the list-valued fields checked whole (navl would flatten them)."""
    plain = {k: v for k, v in data_dict.items() if k not in LIST_FIELDS}
    data, errors = tk.navl_validate(plain, {k: v for k, v in schema_.items()
                                            if k not in LIST_FIELDS}, context)
    errors = dict(errors)
    for key, validator in LIST_FIELDS.items():
        if key in schema_ and data_dict.get(key) is not None:
            try:
                data[key] = (validator(data_dict[key], context) if key == "datasets"
                             else validator(data_dict[key]))
            except tk.Invalid as error:
                errors[key] = [str(error.error)]
    return data, errors


def validated(schema_fn: Callable[[], Schema]) -> Callable[[Any], Any]:
    """Like ``tk.validate``, with the list-valued fields checked whole (see ``validate``)."""

    def decorator(action: Any) -> Any:
        @wraps(action)
        def wrapper(context: Context, data_dict: dict[str, Any]) -> Any:
            data, errors = validate(data_dict, schema_fn(), context)
            if errors:
                raise tk.ValidationError(cast(Any, errors))
            return action(context, data)

        return wrapper

    return decorator


def _v(name: str) -> Any:
    return tk.get_validator(name)


def _text(limit: int) -> Any:
    return cast(Any, tk.get_validator("splpdepok_safe_text"))(limit)


def _int(minimum: int, maximum: int) -> Any:
    return cast(Any, tk.get_validator("splpdepok_int"))(minimum, maximum)


def _fields(required: bool) -> Schema:
    need = [_v("not_empty")] if required else [_v("ignore_missing")]
    return {
        "name": [*need, _text(200), _v("strip_value")],
        "description": [_v("ignore_missing"), _text(10000)],
        "endpoint_url": [*need, _text(2000), _v("splpdepok_lid_url")],
        "attributes": [_v("ignore_missing"), _v("splpdepok_lid_attributes")],
        "output_format": [*need, _text(20), _v("splpdepok_lid_output_format")],
        "classification": [*need, _text(20), _v("splpdepok_lid_classification")],
        "context": [*need, _text(200), _v("splpdepok_lid_context")],
        "version": [*need, _text(30), _v("splpdepok_lid_version")],
        "datasets": [_v("ignore_missing"), _v("splpdepok_lid_datasets")],
        "ready": [_v("ignore_missing"), _v("splpdepok_bool")],
    }


def create_schema() -> Schema:
    return dict(_fields(True), ippd_domain=[_v("ignore_missing"), _text(253)])


def update_schema() -> Schema:
    return dict(_fields(False), id=[_v("not_empty"), _text(200)])


def id_schema() -> Schema:
    return {"id": [_v("not_empty"), _text(253)]}


def list_schema() -> Schema:
    return {
        "q": [_v("ignore_missing"), _text(500)],
        "organization": [_v("ignore_missing"), _text(200)],
        "classification": [_v("ignore_missing"), _text(20), _v("splpdepok_lid_classification")],
        "output_format": [_v("ignore_missing"), _text(20), _v("splpdepok_lid_output_format")],
        "status": [_v("ignore_missing"), _text(30), _v("splpdepok_lid_status")],
        "ippd_domain": [_v("ignore_missing"), _text(253)],
        "dataset": [_v("ignore_missing"), _text(200)],
        "mine": [_v("ignore_missing"), _v("splpdepok_bool")],
        "limit": [_v("default")(20), _int(1, 100)],
        "offset": [_v("default")(0), _int(0, 10_000_000)],
    }


def _lid_ids(value: Any) -> Any:
    """A list of LID ids, or ids separated by spaces/commas (from a form)."""
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    return cast(Any, tk.get_validator("splpdepok_text_list"))(200, 100)(value)


def plan_create_schema() -> Schema:
    return {
        "ippd_domain": [_v("ignore_missing"), _text(253)],
        "splp_base_url": [_v("ignore_missing"), _text(2000)],
        "tenant_domain": [_v("ignore_missing"), _text(253)],
        "lid_ids": [_v("ignore_missing"), _lid_ids],
    }


def plan_update_schema() -> Schema:
    return dict(plan_create_schema(), id=[_v("not_empty"), _text(253)])


def plan_advance_schema() -> Schema:
    return {
        "id": [_v("not_empty"), _text(253)],
        "transition": [_v("not_empty"), _text(50)],
        "note": [_v("ignore_missing"), _text(2000)],
        "guide_upload": [_v("ignore_missing")],
    }


def sync_schema() -> Schema:
    return {
        "id": [_v("not_empty"), _text(253)],
        "dry_run": [_v("default")(False), _v("splpdepok_bool")],
        "background": [_v("default")(True), _v("splpdepok_bool")],
    }


def check_schema() -> Schema:
    return {
        "id": [_v("not_empty"), _text(253)],
        "background": [_v("default")(False), _v("splpdepok_bool")],
    }


def report_schema() -> Schema:
    return {
        "id": [_v("ignore_missing"), _text(253)],
        "limit": [_v("default")(100), _int(1, 1000)],
    }
