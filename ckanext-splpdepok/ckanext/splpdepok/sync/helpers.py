"""Template helpers: a dataset's sync state per target, for its editors."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

STATUS_LABELS = {
    "synced": "Synced",
    "pending": "Pending",
    "failed": "Failed",
    "conflict": "Name taken on the target",
    "withdrawn": "Withdrawn",
    "blocked": "Not ready",
    "not_synced": "Not synced yet",
}


def package_sync_state(package_id: str) -> list[dict[str, Any]]:
    """Rows for the dataset page; empty when the viewer may not see them."""
    try:
        return tk.get_action("splpdepok_sync_package_state")({}, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def sync_status_label(status: str) -> str:
    return tk._(STATUS_LABELS.get(status, status))


def helpers() -> dict[str, Any]:
    return {
        "splpdepok_package_sync_state": package_sync_state,
        "splpdepok_sync_status_label": sync_status_label,
    }
