"""Validators of the sync actions (the admin form posts the same keys as the API)."""
from __future__ import annotations

import json
import math
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.security.logic.validators import bad_text
from ckanext.splpdepok.sync.logic import credentials

Invalid = tk.Invalid
SLUG = re.compile(r"^[a-z0-9_-]{2,100}$")
PREFIX = re.compile(r"^[a-z0-9_-]{0,40}$")
SELECTION_MODES = ("all", "organization", "tag")


def _clean(text: str) -> str:
    if bad_text(text) or len(text) > 20000:
        raise Invalid(tk._("Must not contain NUL bytes or invalid characters"))
    return text


def _pairs(value: Any) -> dict[str, str]:
    """A dict from a dict, a JSON object, or text lines ``key = value``."""
    if isinstance(value, dict):
        if len(value) > 1000:
            raise Invalid(tk._("Too many entries"))
        return {_clean(str(k).strip()): _clean(str(v).strip()) for k, v in value.items()
                if str(k).strip()}
    if not isinstance(value, str):
        raise Invalid(tk._("Write one 'local = remote' pair per line"))
    text = _clean(value.strip())
    if not text:
        return {}
    if text.startswith("{"):
        try:
            return _pairs(json.loads(text))
        except ValueError as exc:
            raise Invalid(tk._("Not valid JSON")) from exc
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, val = line.partition("=")
        if not sep or not key.strip() or not val.strip():
            raise Invalid(tk._("Write one 'local = remote' pair per line"))
        out[key.strip()] = val.strip()
    return out


def org_map(value: Any, context: Any) -> dict[str, str]:
    mapping = _pairs(value)
    for remote in mapping.values():
        if not SLUG.match(remote):
            raise Invalid(tk._("Remote organization names use a-z, 0-9, - and _"))
    return mapping


def field_policy(value: Any, context: Any) -> dict[str, str]:
    policy = _pairs(value)
    for side in policy.values():
        if side not in ("local", "remote"):
            raise Invalid(tk._("Each field is won by 'local' or 'remote'"))
    return policy


def selection(value: Any, context: Any) -> dict[str, Any]:
    if isinstance(value, str):
        text = value.strip()
        try:
            value = json.loads(text) if text.startswith("{") else {"mode": text or "all"}
        except ValueError as exc:
            raise Invalid(tk._("Not valid JSON")) from exc
    if not isinstance(value, dict):
        raise Invalid(tk._("Not a selection"))
    mode = value.get("mode") or "all"
    if not isinstance(mode, str):
        raise Invalid(tk._("Selection is 'all', 'organization' or 'tag'"))
    if mode not in SELECTION_MODES:
        raise Invalid(tk._("Selection is 'all', 'organization' or 'tag'"))
    values = value.get("values") or []
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",")]
    if not isinstance(values, list) or len(values) > 1000:
        raise Invalid(tk._("Name the organizations or tags as a list"))
    values = [_clean(str(v).strip()) for v in values if str(v).strip()]
    if mode != "all" and not values:
        raise Invalid(tk._("Name at least one organization or tag"))
    return {"mode": mode, "values": values}


def credential_ref(value: Any, context: Any) -> str:
    value = (value if isinstance(value, str) else "").strip()
    if not credentials.valid_reference(value):
        raise Invalid(tk._(
            "Name an environment variable starting with SPLPDEPOK_SYNC_ or a setting starting "
            "with ckanext.splpdepok.sync.credential. (never the secret itself)"))
    return value


def one_of(*choices: str) -> Any:
    def check(value: Any, context: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise Invalid(tk._("Must be one of: {}").format(", ".join(choices)))
        return value
    return check


def matches(pattern: re.Pattern[str], message: str) -> Any:
    def check(value: Any, context: Any) -> str:
        if not isinstance(value, str) or not pattern.match(value):
            raise Invalid(tk._(message))
        return value
    return check


def http_url(value: Any, context: Any) -> str:
    if value is not None and not isinstance(value, str):
        raise Invalid(tk._("Enter an http(s) address"))
    value = (value or "").strip()
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise Invalid(tk._("Enter an http(s) address"))
    return value.rstrip("/")


def to_float(value: Any, context: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Invalid(tk._("Enter a number"))
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise Invalid(tk._("Enter a number")) from exc
    if not math.isfinite(number) or number > 1e9:
        raise Invalid(tk._("Enter a number"))
    if number < 0:
        raise Invalid(tk._("Enter a number of at least 0"))
    return number


def share(value: Any, context: Any) -> float:
    number = to_float(value, context)
    if not 0 <= number <= 1:
        raise Invalid(tk._("Enter a share between 0 and 1"))
    return number


def catalog_url(value: Any, context: Any) -> str:
    """The read address of a target's check: http(s), printable, at most 500 characters."""
    if not isinstance(value, str) or len(value) > 500 or not value.isprintable():
        raise Invalid(tk._("Enter an http(s) address of at most 500 characters"))
    return http_url(value, context)


def bounded_int(low: int, high: int) -> Any:
    def check(value: Any, context: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str) or (
                isinstance(value, str) and not re.fullmatch(r"\s*\d{1,9}\s*", value)):
            raise Invalid(tk._("Enter a whole number from {} to {}").format(low, high))
        number = int(value)
        if not low <= number <= high:
            raise Invalid(tk._("Enter a whole number from {} to {}").format(low, high))
        return number
    return check


_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")


def strict_bool(value: Any, context: Any) -> bool:
    """A yes/no that refuses anything else (CKAN's boolean_validator reads it as false)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, str | int) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid(tk._("Enter true or false"))


def plain_id(value: Any, context: Any) -> str:
    """An id or name: printable text of at most 200 characters (no NUL, no lone surrogate)."""
    if (not isinstance(value, str) or len(value) > 200 or not value.isprintable()
            or any("\ud800" <= c <= "\udfff" for c in value)):
        raise Invalid(tk._("Not a valid id or name"))
    return value
