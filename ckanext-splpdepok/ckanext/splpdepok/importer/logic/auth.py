"""Only the walidata (sysadmins and admins of its organization) imports from the old portal."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict
from ckanext.splpdepok.common.roles import is_walidata


def import_manage(context: Context, data_dict: DataDict) -> AuthResult:
    if is_walidata(context.get("user")):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only the walidata (Diskominfo admins) import from the old portal")}


def auth_functions() -> dict[str, Any]:
    return {"splpdepok_import_plan": import_manage, "splpdepok_import_run": import_manage}
