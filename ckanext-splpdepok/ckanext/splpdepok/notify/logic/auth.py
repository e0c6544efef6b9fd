"""Auth of the notice actions: a signed-in user sees and marks only their own notices."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from ckanext.splpdepok.common.context import actor_or_none


def is_signed_in(context: Context) -> bool:
    """The role predicate of every notice action: the caller is a portal user."""
    return actor_or_none(context) is not None


def auth_signed_in(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    if not is_signed_in(context):
        return {"success": False, "msg": tk._("Sign in to see your notices")}
    return {"success": True}
