"""Navl schemas of the registration actions (``validator_args`` style: validators by name).

Every text field goes through ``splpdepok_strict_text`` (text only, no NUL byte, no lone
surrogate) before its own validator, numbers through ``splpdepok_whole_number`` or
``splpdepok_clamped_number``, and uploaded documents through ``splpdepok_registration_document``,
so a hostile value comes back as a ``ValidationError`` (HTTP 409), never as a server error, and
a form shows every error at once.
"""
from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator, ValidatorFactory
from ckanext.splpdepok.common.schema import paging
from ckanext.splpdepok.registration.logic.documents import UPLOAD_FIELDS
from ckanext.splpdepok.registration.model import KINDS
from ckanext.splpdepok.registration.workflow import STATES

MAX_VERSION = 2**31 - 1


@validator_args
def _fields(ignore_missing: Validator, splpdepok_strict_text: Validator,
            splpdepok_domain: Validator, splpdepok_text: Validator, name_validator: Validator,
            splpdepok_email: Validator, splpdepok_id: Validator,
            splpdepok_phone_id: Validator,
            splpdepok_registration_document: ValidatorFactory) -> Schema:
    """The application's fields, all optional here (create makes the SOP's ones required)."""
    text = splpdepok_strict_text
    schema: Schema = {
        "ippd_domain": [ignore_missing, text, splpdepok_domain],
        "ippd_name": [ignore_missing, text, splpdepok_text],
        "username": [ignore_missing, text, name_validator],
        "full_name": [ignore_missing, text, splpdepok_text],
        "email": [ignore_missing, text, splpdepok_email],
        # the OPD: an organization of the portal (id or name), or the title of a new one
        "organization": [ignore_missing, text, splpdepok_id],
        "new_organization": [ignore_missing, text, splpdepok_text],
        "phone": [ignore_missing, text, splpdepok_phone_id],
    }
    for kind, field in UPLOAD_FIELDS.items():
        schema[field] = [ignore_missing, splpdepok_registration_document(kind)]
    return schema


REQUIRED = ("ippd_domain", "username", "full_name", "email", "phone")


@validator_args
def create_schema(not_empty: Validator, one_of: ValidatorFactory,
                  splpdepok_strict_text: Validator) -> Schema:
    schema = _fields()
    for field in REQUIRED:  # not_empty instead of ignore_missing
        schema[field] = [not_empty, *_validators(schema, field)[1:]]
    schema["kind"] = [not_empty, splpdepok_strict_text, one_of(list(KINDS))]
    return schema


def _validators(schema: Schema, field: str) -> list[Validator]:
    value = schema[field]
    assert isinstance(value, list)  # a flat schema
    return value


@validator_args
def update_schema(ignore_empty: Validator, splpdepok_clamped_number: ValidatorFactory) -> Schema:
    schema = {**_fields(), **show_schema()}
    schema["version"] = [ignore_empty, splpdepok_clamped_number(0, 0, MAX_VERSION)]
    return schema


@validator_args
def transition_schema(ignore_missing: Validator, ignore_empty: Validator,
                      splpdepok_note: Validator, splpdepok_strict_text: Validator,
                      splpdepok_id: Validator,
                      splpdepok_clamped_number: ValidatorFactory) -> Schema:
    return {
        **show_schema(),
        "note": [ignore_missing, splpdepok_note],
        "version": [ignore_empty, splpdepok_clamped_number(0, 0, MAX_VERSION)],
        # approve: the fingerprint of the plan the reviewer confirmed (409 when it changed)
        "plan": [ignore_missing, splpdepok_strict_text, splpdepok_id],
    }


@validator_args
def show_schema(not_empty: Validator, splpdepok_strict_text: Validator,
                splpdepok_id: Validator) -> Schema:
    """The registration's id (every action on one registration starts with it)."""
    return {"id": [not_empty, splpdepok_strict_text, splpdepok_id]}


@validator_args
def list_schema(ignore_missing: Validator, one_of: ValidatorFactory,
                splpdepok_strict_text: Validator, splpdepok_id: Validator,
                splpdepok_text: Validator, splpdepok_flag: Validator,
                splpdepok_whole_number: Validator) -> Schema:
    text = splpdepok_strict_text
    schema: Schema = {
        "kind": [ignore_missing, text, one_of(list(KINDS))],
        "status": [ignore_missing, text, one_of(list(STATES))],
        "overdue": [ignore_missing, splpdepok_flag],
        "organization": [ignore_missing, text, splpdepok_id],
        "text": [ignore_missing, text, splpdepok_text],
        "mine": [ignore_missing, splpdepok_flag],
    }
    # the one paging rule (1-100, default 20); a float, a boolean or a list is not a number
    for field, validators in paging().items():
        schema[field] = [splpdepok_whole_number, *validators]
    return schema


@validator_args
def report_schema(ignore_missing: Validator, splpdepok_strict_text: Validator,
                  splpdepok_id: Validator) -> Schema:
    return {"subject_type": [ignore_missing, splpdepok_strict_text, splpdepok_id]}
