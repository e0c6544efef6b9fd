"""Schemas of the Katalog LID actions (``@validate(schema)`` in ``logic.action``)."""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan.logic.schema import validator_args
from ckanext.splpdepok.common.schema import paging

Schema = dict[str, Any]
Validator = Any


def _text(limit: int) -> Validator:
    return cast(Any, tk.get_validator("splpdepok_safe_text"))(limit)


def _fields(required: bool) -> Schema:
    """The entry's fields; required ones must be given on create, may be left out on update."""
    v = tk.get_validator
    need = [v("not_empty")] if required else [v("ignore_missing")]
    ignore_missing = v("ignore_missing")
    return {
        "__before": [v("splpdepok_lid_whole_lists")],
        "name": [*need, _text(200), v("strip_value")],
        "description": [ignore_missing, _text(10000)],
        "endpoint_url": [*need, _text(2000), v("splpdepok_lid_url")],
        "attributes": [ignore_missing, v("splpdepok_lid_attributes")],
        "output_format": [*need, _text(20), v("splpdepok_lid_output_format")],
        "classification": [*need, _text(20), v("splpdepok_lid_classification")],
        "context": [*need, _text(200), v("splpdepok_lid_context")],
        "version": [*need, _text(30), v("splpdepok_lid_version")],
        "datasets": [ignore_missing, v("splpdepok_lid_datasets")],
        "ready": [ignore_missing, v("splpdepok_bool")],
    }


@validator_args
def create_schema(ignore_missing: Validator) -> Schema:
    return dict(_fields(True), ippd_domain=[ignore_missing, _text(253)])


@validator_args
def update_schema(not_empty: Validator) -> Schema:
    return dict(_fields(False), id=[not_empty, _text(200)])


@validator_args
def id_schema(not_empty: Validator) -> Schema:
    return {"id": [not_empty, _text(253)]}


@validator_args
def list_schema(ignore_missing: Validator, splpdepok_bool: Validator,
                splpdepok_lid_classification: Validator,
                splpdepok_lid_output_format: Validator, splpdepok_lid_status: Validator
                ) -> Schema:
    return {
        "q": [ignore_missing, _text(500)],
        "organization": [ignore_missing, _text(200)],
        "classification": [ignore_missing, _text(20), splpdepok_lid_classification],
        "output_format": [ignore_missing, _text(20), splpdepok_lid_output_format],
        "status": [ignore_missing, _text(30), splpdepok_lid_status],
        "ippd_domain": [ignore_missing, _text(253)],
        "dataset": [ignore_missing, _text(200)],
        "mine": [ignore_missing, splpdepok_bool],
        **paging(),
    }


@validator_args
def plan_create_schema(ignore_missing: Validator, splpdepok_lid_ids: Validator) -> Schema:
    return {
        "ippd_domain": [ignore_missing, _text(253)],
        "splp_base_url": [ignore_missing, _text(2000)],
        "tenant_domain": [ignore_missing, _text(253)],
        "lid_ids": [ignore_missing, splpdepok_lid_ids],
    }


@validator_args
def plan_update_schema(not_empty: Validator) -> Schema:
    return dict(plan_create_schema(), id=[not_empty, _text(253)])


@validator_args
def plan_advance_schema(not_empty: Validator, ignore_missing: Validator) -> Schema:
    return {
        "id": [not_empty, _text(253)],
        "transition": [not_empty, _text(50)],
        "note": [ignore_missing, _text(2000)],
        "guide_upload": [ignore_missing],
    }


@validator_args
def sync_schema(not_empty: Validator, default: Validator, splpdepok_bool: Validator) -> Schema:
    return {
        "id": [not_empty, _text(253)],
        "dry_run": [default(False), splpdepok_bool],
        "confirm_without_dry_run": [default(False), splpdepok_bool],
        "background": [default(True), splpdepok_bool],
    }


@validator_args
def check_schema(not_empty: Validator, default: Validator, splpdepok_bool: Validator) -> Schema:
    return {
        "id": [not_empty, _text(253)],
        "background": [default(False), splpdepok_bool],
    }


@validator_args
def report_schema(ignore_missing: Validator) -> Schema:
    return {"id": [ignore_missing, _text(253)], **paging(default_limit=100)}


@validator_args
def manual_schema(not_empty: Validator, ignore_missing: Validator) -> Schema:
    """A manual record (publication in the SPLP portal, connection check) with evidence."""
    return {
        "id": [not_empty, _text(253)],
        "outcome": [ignore_missing, _text(20)],
        "evidence_url": [ignore_missing, _text(2000)],
        "evidence_upload": [ignore_missing],
        "note": [ignore_missing, _text(2000)],
    }
