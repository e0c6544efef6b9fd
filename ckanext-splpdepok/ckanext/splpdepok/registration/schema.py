"""Navl schemas of the registration actions (validators by name, CKAN style).

Every text field goes through ``splpdepok_strict_text`` (text only, no NUL byte, no lone
surrogate) before its own validator, and numbers through :func:`_number`, so a hostile value
comes back as a ``ValidationError`` (HTTP 409), never as a server error.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.registration.model import KINDS
from ckanext.splpdepok.registration.workflow import STATES

Schema = dict[str, Any]


def _v(name: str) -> Any:
    return tk.get_validator(name)


def _text(*validators: str) -> list[Any]:
    return [_v("splpdepok_strict_text"), *(_v(name) for name in validators)]


def _fields(required: bool) -> Schema:
    need = [_v("not_empty")] if required else [_v("ignore_missing")]
    return {
        "ippd_domain": [*need, *_text("splpdepok_domain")],
        "ippd_name": [_v("ignore_missing"), *_text("splpdepok_text")],
        "username": [*need, *_text("name_validator")],
        "full_name": [*need, *_text("splpdepok_text")],
        "email": [*need, *_text("splpdepok_email")],
        # the OPD: an organization of the portal (id or name), or the title of a new one
        "organization": [_v("ignore_missing"), *_text("splpdepok_id")],
        "new_organization": [_v("ignore_missing"), *_text("splpdepok_text")],
        "phone": [*need, *_text("splpdepok_phone_id")],
        "letter_upload": [_v("ignore_missing")],
        "kajian_upload": [_v("ignore_missing")],
    }


def _number(default: int, low: int, high: int) -> Any:
    """An integer in [low, high] (clamped), ``default`` when missing; anything else is invalid."""

    def validator(value: Any) -> int:
        if value is None or value is tk.missing or value == "":
            return default
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise tk.Invalid(tk._("Must be a whole number"))
        try:
            number = int(value)
        except ValueError:  # also more digits than Python converts
            raise tk.Invalid(tk._("Must be a whole number")) from None
        return max(low, min(number, high))

    return validator


def _flag(value: Any) -> Any:
    """A JSON boolean, or its text form from a query string or form ("true", "1", "on"...);
    any other type (``1``, a list) is refused."""
    if value is None or value is tk.missing or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in (
            "1", "true", "yes", "on", "0", "false", "no", "off"):
        return value.strip().lower() in ("1", "true", "yes", "on")
    raise tk.Invalid(tk._("Must be true or false"))


def _id() -> list[Any]:
    return [_v("not_empty"), *_text("splpdepok_id")]


def create_schema() -> Schema:
    schema = _fields(required=True)
    schema["kind"] = [_v("not_empty"), *_text(), _v("one_of")(list(KINDS))]
    return schema


def update_schema() -> Schema:
    schema = _fields(required=False)
    schema["id"] = _id()
    schema["version"] = [_v("ignore_empty"), _number(0, 0, 2**31 - 1)]
    return schema


def transition_schema() -> Schema:
    return {
        "id": _id(),
        "note": [_v("ignore_missing"), _v("splpdepok_note")],
        "version": [_v("ignore_empty"), _number(0, 0, 2**31 - 1)],
        # approve: the fingerprint of the plan the reviewer confirmed (409 when it changed)
        "plan": [_v("ignore_missing"), *_text("splpdepok_id")],
    }


def show_schema() -> Schema:
    return {"id": _id()}


def list_schema() -> Schema:
    return {
        "kind": [_v("ignore_missing"), *_text(), _v("one_of")(list(KINDS))],
        "status": [_v("ignore_missing"), *_text(), _v("one_of")(list(STATES))],
        "overdue": [_v("ignore_missing"), _flag],
        "organization": [_v("ignore_missing"), *_text("splpdepok_id")],
        "text": [_v("ignore_missing"), *_text("splpdepok_text")],
        "mine": [_v("ignore_missing"), _flag],
        "limit": [_number(20, 1, 100)],
        "offset": [_number(0, 0, 10**9)],
    }


def report_schema() -> Schema:
    return {"subject_type": [_v("ignore_missing"), *_text("splpdepok_id")]}
