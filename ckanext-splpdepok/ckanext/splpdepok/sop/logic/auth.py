"""Auth of the sop actions: the SOP table is public (it is the published procedure)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context


@tk.auth_allow_anonymous_access
def sop_steps(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Anyone may read the SOP table."""
    return {"success": True}
