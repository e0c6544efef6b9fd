"""Who may manage sync: the walidata (admins of its organization); sysadmins pass by CKAN."""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict
from ckanext.splpdepok.common.roles import is_walidata


def sync_manage(context: Context, data_dict: DataDict) -> AuthResult:
    if is_walidata(context.get("user")):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only the walidata (Diskominfo admins) manage catalog sync")}


def package_sync_state(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors of a dataset (and the walidata) see where it is synced."""
    if is_walidata(context.get("user")):
        return {"success": True}
    try:
        tk.check_access("package_update", cast(Context, dict(context)), {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Only editors of this dataset see its sync state")}
    return {"success": True}


def auth_functions() -> dict[str, Any]:
    manage = ("splpdepok_target_create", "splpdepok_target_update", "splpdepok_target_show",
              "splpdepok_target_list", "splpdepok_target_delete", "splpdepok_target_check",
              "splpdepok_sync_run", "splpdepok_sync_run_show", "splpdepok_sync_run_list",
              "splpdepok_sync_ledger_list", "splpdepok_sync_check_list",
              "splpdepok_sync_export")
    funcs: dict[str, Any] = dict.fromkeys(manage, sync_manage)
    funcs["splpdepok_sync_package_state"] = package_sync_state
    return funcs
