"""Validation schemas of the import actions: hostile input gives a 409 and a message, no 500
(validators in ``logic.validators``)."""
from __future__ import annotations

from typing import cast

import ckan.plugins.toolkit as tk
from ckan.types import Schema, ValidatorFactory
from ckanext.splpdepok.importer import mapping
from ckanext.splpdepok.importer.logic.validators import (
    credential_ref,
    one_of,
    org_map,
    source_url,
)


def _factory(name: str) -> ValidatorFactory:
    return cast(ValidatorFactory, tk.get_validator(name))


def import_schema() -> Schema:
    v = tk.get_validator
    return {
        "url": [v("not_missing"), v("not_empty"), source_url],
        "credential_ref": [v("ignore_empty"), credential_ref],
        "org_map": [v("ignore_empty"), org_map],
        "unmapped": [_factory("default")(mapping.KEEP), one_of(*mapping.UNMAPPED_MODES)],
        "__extras": [v("ignore")],
    }
