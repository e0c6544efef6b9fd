"""Auth of the sop actions: the SOP table is public (it is the published procedure); the printed
records (personal data, evidence) are the walidata's."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from ckanext.splpdepok.common.roles import is_walidata


@tk.auth_allow_anonymous_access
def sop_steps(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Anyone may read the SOP table."""
    return {"success": True}


def sop_record_print(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Printed SOP records hold everyone's personal data and evidence: the walidata only."""
    if not is_walidata(context.get("user")):
        return {"success": False, "msg": tk._("Only the walidata may print SOP records")}
    return {"success": True}
