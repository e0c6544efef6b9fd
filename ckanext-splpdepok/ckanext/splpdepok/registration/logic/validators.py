"""Validators for registration fields, built on well-kept libraries.

Each ``normalise_*`` function is pure (raises ``ValueError`` with an English msgid); the
``splpdepok_*`` wrappers adapt them to CKAN's navl validators so errors come back as
``ValidationError`` dicts, never as server errors. Numbers, flags and uploaded documents have
their own validators here too, so every action validates through its schema alone.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import email_validator
import idna
import phonenumbers
import validators as _validators
from ckan.types import Context, Validator
from ckanext.splpdepok.registration.logic import documents

_MAX_TEXT = 200


def check_safe(value: str) -> str:
    """Refuses what PostgreSQL and the mailer cannot store or send: NUL bytes, lone surrogates."""
    if "\x00" in value:
        raise ValueError("Contains a NUL character")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("Contains an invalid character")
    return value


def normalise_id(value: str) -> str:
    """An identifier (registration, organization): plain text, at most 100 characters."""
    text = check_safe(value).strip()
    if not text:
        raise ValueError("Missing value")
    if len(text) > 100 or any(ord(ch) < 33 for ch in text):
        raise ValueError("Not a valid identifier")
    return text


def normalise_email(value: str) -> str:
    try:
        return email_validator.validate_email(
            value.strip(), check_deliverability=False).normalized
    except (email_validator.EmailNotValidError, UnicodeError) as error:
        raise ValueError("Not a valid email address") from error


def normalise_phone(value: str) -> str:
    """An Indonesian phone number (``0812…``, ``+62 21 …``) in E.164 form."""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException as error:
        raise ValueError("Not a valid Indonesian phone number") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("Not a valid Indonesian phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_domain(value: str) -> str:
    """A host name (RFC 1123, internationalised names accepted) in lower-case ASCII form."""
    text = value.strip().rstrip(".").lower()
    try:
        ascii_name = idna.encode(text, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as error:
        raise ValueError("Not a valid domain name") from error
    if len(ascii_name) > 253 or _validators.domain(ascii_name) is not True:
        raise ValueError("Not a valid domain name")
    return ascii_name


def normalise_text(value: str, limit: int = _MAX_TEXT) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValueError(f"Must be at most {limit} characters")
    if any(ord(ch) < 32 for ch in text):
        raise ValueError("Contains control characters")
    return text


def _adapt(func: Any) -> Any:
    def validator(value: Any, context: Context) -> Any:
        if value is None or value is tk.missing or value == "":
            return value
        if not isinstance(value, str):
            raise tk.Invalid(tk._("Must be text"))
        try:
            return func(check_safe(value))
        except ValueError as error:
            raise tk.Invalid(tk._(str(error))) from None

    validator.__name__ = func.__name__
    return validator


splpdepok_email = _adapt(normalise_email)
splpdepok_phone_id = _adapt(normalise_phone)
splpdepok_domain = _adapt(normalise_domain)
splpdepok_text = _adapt(normalise_text)
splpdepok_id = _adapt(normalise_id)


def splpdepok_strict_text(value: Any, context: Context) -> Any:
    """Text only (CKAN's ``unicode_safe`` turns a list into its repr); no NUL, no surrogate."""
    if value is None or value is tk.missing:
        return value
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Must be text"))
    try:
        return check_safe(value)
    except ValueError as error:
        raise tk.Invalid(tk._(str(error))) from None


def splpdepok_note(value: Any, context: Context) -> Any:
    if value is None or value is tk.missing:
        return ""
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Must be text"))
    try:
        text = check_safe(value).strip()
    except ValueError as error:
        raise tk.Invalid(tk._(str(error))) from None
    if len(text) > 4000:
        raise tk.Invalid(tk._("Must be at most 4000 characters"))
    return text


def _is_empty(value: Any) -> bool:
    return value is None or value is tk.missing or value == ""


def splpdepok_whole_number(value: Any) -> Any:
    """An integer or its text form; empty passes (for ``default``); a float, a boolean, a list
    or text that is not a whole number is refused."""
    if _is_empty(value):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise tk.Invalid(tk._("Must be a whole number"))
    try:
        return int(value)
    except ValueError:  # also more digits than Python converts
        raise tk.Invalid(tk._("Must be a whole number")) from None


def splpdepok_clamped_number(default: int, low: int, high: int) -> Validator:
    """An integer in [low, high] (clamped), ``default`` when missing; anything else is invalid."""

    def validator(value: Any) -> int:
        number = splpdepok_whole_number(value)
        return default if _is_empty(number) else max(low, min(number, high))

    return validator


def splpdepok_flag(value: Any) -> Any:
    """A JSON boolean, or its text form from a query string or form ("true", "1", "on"...);
    any other type (``1``, a list) is refused."""
    if _is_empty(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in (
            "1", "true", "yes", "on", "0", "false", "no", "off"):
        return value.strip().lower() in ("1", "true", "yes", "on")
    raise tk.Invalid(tk._("Must be true or false"))


def splpdepok_registration_document(kind: str) -> Validator:
    """An uploaded document (werkzeug ``FileStorage``) of ``kind``, read and checked by content
    (:func:`documents.check_upload`): becomes a :class:`documents.CheckedUpload`, or ``None``
    when no file was given."""

    def validator(value: Any) -> documents.CheckedUpload | None:
        try:
            return documents.check_upload(kind, value)
        except ValueError as error:
            raise tk.Invalid(tk._(str(error))) from None

    return validator


def all_validators() -> dict[str, Any]:
    return {
        "splpdepok_email": splpdepok_email,
        "splpdepok_phone_id": splpdepok_phone_id,
        "splpdepok_domain": splpdepok_domain,
        "splpdepok_text": splpdepok_text,
        "splpdepok_note": splpdepok_note,
        "splpdepok_id": splpdepok_id,
        "splpdepok_strict_text": splpdepok_strict_text,
        "splpdepok_whole_number": splpdepok_whole_number,
        "splpdepok_clamped_number": splpdepok_clamped_number,
        "splpdepok_flag": splpdepok_flag,
        "splpdepok_registration_document": splpdepok_registration_document,
    }
