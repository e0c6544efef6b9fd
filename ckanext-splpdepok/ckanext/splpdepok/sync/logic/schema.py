"""Validation schemas of the sync actions (validators in ``logic.validators``)."""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan.types import Schema, ValidatorFactory
from ckanext.splpdepok.common.schema import paging
from ckanext.splpdepok.sync.logic.validators import (
    PREFIX,
    SLUG,
    bounded_int,
    catalog_url,
    credential_ref,
    field_policy,
    http_url,
    matches,
    one_of,
    org_map,
    plain_id,
    selection,
    share,
    strict_bool,
    to_float,
)

TYPES = ("ckan", "jabar", "harvest")


def _text(limit: int) -> Any:
    return _factory("splpdepok_safe_text")(limit)


def _int(minimum: int, maximum: int) -> Any:
    return _factory("splpdepok_int")(minimum, maximum)


def target_schema(update: bool = False) -> Schema:
    v = tk.get_validator
    req = [v("ignore_missing")] if update else [v("not_empty")]
    opt = [v("ignore_missing")]
    return {
        "id": [v("ignore_missing"), _text(200)] if not update else [
            v("not_empty"), _text(200)],
        "name": [*req, _text(200),
                 matches(SLUG, "Use 2-100 characters: a-z, 0-9, - and _")],
        "title": [*opt, _text(500)],
        "type": [*req, one_of(*TYPES)],
        "url": [*opt, _text(2000), http_url],
        "credential_ref": [*opt, credential_ref],
        "org_map": [*opt, org_map],
        "selection": [*opt, selection],
        "field_policy": [*opt, field_policy],
        "name_prefix": [*opt, _text(100),
                        matches(PREFIX, "Use up to 40 characters: a-z, 0-9, - and _")],
        "extras_mode": [*opt, one_of("fields", "extras")],
        "withdraw_mode": [*opt, one_of("delete", "private")],
        "withdraw_max_share": [*opt, share],
        "jabar_mode": [*opt, one_of("push", "export")],
        "catalog_url": [*opt, catalog_url],
        "catalog_api": [*opt, one_of("ckan", "proxy")],
        "regional_id": [*opt, bounded_int(1, 99999)],
        "concurrency": [*opt, _int(1, 64)],
        "rate_per_second": [*opt, to_float],
        "schedule_minutes": [v("ignore_empty"), _int(0, 525600)],
        "active": [*opt, v("splpdepok_bool")],
    }


def _factory(name: str) -> ValidatorFactory:
    """A validator that takes arguments (get_validator's type does not say which kind)."""
    return cast(ValidatorFactory, tk.get_validator(name))


def empty_schema() -> Schema:
    """Actions without parameters (anything sent is ignored)."""
    return {}


def id_schema() -> Schema:
    v = tk.get_validator
    return {"id": [v("not_empty"), _text(200)]}


def run_schema() -> Schema:
    v = tk.get_validator
    return {
        "id": [v("not_empty"), _text(200)],
        "dry_run": [_factory("default")(False), v("splpdepok_bool")],
        "only_failed": [_factory("default")(False), v("splpdepok_bool")],
        "confirm_withdrawal": [_factory("default")(False), v("splpdepok_bool")],
        "background": [_factory("default")(True), v("splpdepok_bool")],
    }


def list_schema() -> Schema:
    v = tk.get_validator
    return {
        "id": [v("ignore_missing"), _text(200)],
        "status": [v("ignore_missing"), _text(50)],
        **paging(default_limit=50),
        "items": [_factory("default")(True), v("splpdepok_bool")],
    }


def check_schema() -> Schema:
    v = tk.get_validator
    return {
        "id": [v("not_empty"), plain_id],
        "background": [_factory("default")(False), strict_bool],
    }
