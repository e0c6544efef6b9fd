"""Navl schemas of the registration actions (validators by name, CKAN style)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.registration.model import KINDS
from ckanext.splpdepok.registration.workflow import STATES

Schema = dict[str, Any]


def _v(name: str) -> Any:
    return tk.get_validator(name)


def _fields(required: bool) -> Schema:
    need = [_v("not_empty")] if required else [_v("ignore_missing")]
    return {
        "ippd_domain": [*need, _v("unicode_safe"), _v("splpdepok_domain")],
        "ippd_name": [_v("ignore_missing"), _v("unicode_safe"), _v("splpdepok_text")],
        "username": [*need, _v("unicode_safe"), _v("name_validator")],
        "full_name": [*need, _v("unicode_safe"), _v("splpdepok_text")],
        "email": [*need, _v("unicode_safe"), _v("splpdepok_email")],
        "work_unit": [*need, _v("unicode_safe"), _v("splpdepok_text")],
        "phone": [*need, _v("unicode_safe"), _v("splpdepok_phone_id")],
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
        except ValueError:
            raise tk.Invalid(tk._("Must be a whole number")) from None
        return max(low, min(number, high))

    return validator


def _flag(value: Any) -> Any:
    """true/false, 1/0, yes/no (CKAN's boolean_validator fails on integers)."""
    if value is None or value is tk.missing or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | str) and str(value).strip().lower() in (
            "1", "true", "yes", "on", "0", "false", "no", "off"):
        return str(value).strip().lower() in ("1", "true", "yes", "on")
    raise tk.Invalid(tk._("Must be true or false"))


def create_schema() -> Schema:
    schema = _fields(required=True)
    schema["kind"] = [_v("not_empty"), _v("unicode_safe"), _v("one_of")(list(KINDS))]
    return schema


def update_schema() -> Schema:
    schema = _fields(required=False)
    schema["id"] = [_v("not_empty"), _v("unicode_safe")]
    schema["version"] = [_v("ignore_empty"), _number(0, 0, 2**31 - 1)]
    return schema


def transition_schema() -> Schema:
    return {
        "id": [_v("not_empty"), _v("unicode_safe")],
        "note": [_v("ignore_missing"), _v("unicode_safe"), _v("splpdepok_note")],
        "version": [_v("ignore_empty"), _number(0, 0, 2**31 - 1)],
    }


def show_schema() -> Schema:
    return {"id": [_v("not_empty"), _v("unicode_safe")]}


def list_schema() -> Schema:
    return {
        "kind": [_v("ignore_missing"), _v("unicode_safe"), _v("one_of")(list(KINDS))],
        "status": [_v("ignore_missing"), _v("unicode_safe"), _v("one_of")(list(STATES))],
        "overdue": [_v("ignore_missing"), _flag],
        "work_unit": [_v("ignore_missing"), _v("unicode_safe"), _v("splpdepok_text")],
        "text": [_v("ignore_missing"), _v("unicode_safe"), _v("splpdepok_text")],
        "mine": [_v("ignore_missing"), _flag],
        "limit": [_number(20, 1, 100)],
        "offset": [_number(0, 0, 10**9)],
    }


def report_schema() -> Schema:
    return {"subject_type": [_v("ignore_missing"), _v("unicode_safe")]}
