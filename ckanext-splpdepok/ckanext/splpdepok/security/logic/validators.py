"""Strict validators for action schemas: text without NUL bytes or lone surrogates and of a
bounded length, whole numbers in a range, booleans that are booleans. Each raises
``tk.Invalid`` with a message meant for the caller, so bad input answers 409, never 500."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError

_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
_TRUE = ("true", "1", "yes", "on", "y", "t")
_FALSE = ("false", "0", "no", "off", "n", "f", "")
MAX_DIGITS = 12
_DIGITS = re.compile(r"\s*-?[0-9]{1,12}\s*")


def bad_text(value: str) -> bool:
    """NUL bytes (PostgreSQL refuses them) or lone surrogates (not encodable as UTF-8)."""
    return bool(_BAD_CHARS.search(value))


def _text_check(max_length: int) -> Callable[[Any], Any]:
    """Text (a string, not a list or number) of at most ``max_length`` characters."""

    def check(value: Any) -> Any:
        if value is None or value is tk.missing:
            return value
        if not isinstance(value, str):
            raise tk.Invalid(tk._("Must be text"))
        if bad_text(value):
            raise tk.Invalid(tk._("Must not contain NUL bytes or invalid characters"))
        if len(value) > max_length:
            raise tk.Invalid(tk._("Must be at most %(max)s characters long")
                             % {"max": max_length})
        return value

    return check


def splpdepok_safe_text(max_length: int = 2000) -> Callable[..., Any]:
    """Text (a string, not a list or number) of at most ``max_length`` characters.

    On bad input it records the error and stops the field's chain (``StopOnError``): the
    validators after it (CKAN's ``strip_value``, URL and name checks) may assume a string.
    """
    check = _text_check(max_length)

    def validator(key: Any, data: dict[Any, Any], errors: dict[Any, list[str]],
                  context: Any) -> None:
        try:
            data[key] = check(data.get(key))
        except tk.Invalid as error:
            errors[key].append(str(error.error))
            raise StopOnError from None

    return validator


def splpdepok_int(minimum: int = 0, maximum: int = 1_000_000) -> Callable[[Any], Any]:
    """A whole number (or its digits as text, from a form) between minimum and maximum."""

    def validator(value: Any) -> Any:
        if value is None or value is tk.missing:
            return value
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif (isinstance(value, str) and _DIGITS.fullmatch(value)) or (
                isinstance(value, float) and value.is_integer()
                and abs(value) < 10**MAX_DIGITS):
            number = int(value)
        if number is None:
            raise tk.Invalid(tk._("Must be a whole number"))
        if not minimum <= number <= maximum:
            raise tk.Invalid(tk._("Must be between %(min)s and %(max)s")
                             % {"min": minimum, "max": maximum})
        return number

    return validator


def splpdepok_bool(value: Any) -> Any:
    """true/false (a JSON boolean, 0/1, or the usual words from a form)."""
    if value is None or value is tk.missing:
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise tk.Invalid(tk._("Must be true or false"))


def splpdepok_text_list(max_items: int = 100, max_length: int = 200) -> Callable[[Any], Any]:
    """A list of short texts (ids, names)."""
    item = _text_check(max_length)

    def validator(value: Any) -> Any:
        if value is None or value is tk.missing:
            return value
        if not isinstance(value, list) or len(value) > max_items:
            raise tk.Invalid(tk._("Must be a list of at most %(max)s texts")
                             % {"max": max_items})
        return [item(v) for v in value]

    return validator


def all_validators() -> dict[str, Any]:
    return {f.__name__: f for f in (splpdepok_safe_text, splpdepok_int, splpdepok_bool,
                                    splpdepok_text_list)}
