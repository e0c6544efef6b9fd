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


# The sync form's fields as the form labels them, for the error summary (never a raw key).
FIELD_LABELS = {
    "name": "Name", "title": "Title", "type": "Type", "url": "Base address",
    "credential_ref": "Credential", "org_map": "Organization mapping",
    "selection": "Which datasets go", "selection_mode": "Which datasets go",
    "selection_values": "Which datasets go", "field_policy": "Fields won by the target",
    "name_prefix": "Prefix of remote names", "extras_mode": "National fields",
    "withdraw_mode": "Withdrawal",
    "withdraw_max_share": "Largest share withdrawn without confirmation",
    "jabar_mode": "Jabar delivery", "catalog_url": "Catalog read by the check",
    "catalog_api": "National catalog API", "regional_id": "Jabar region",
    "concurrency": "Parallel requests", "rate_per_second": "Requests per second at most",
    "schedule_minutes": "Run every N minutes", "active": "Active", "id": "Target",
}


CHECK_LABELS = {
    "dns": "Name lookup (DNS)", "tcp": "Connection (TCP)", "tls": "Secure connection (TLS)",
    "http": "HTTP answer", "credentials": "Credential", "organizations": "Organizations",
}


def sync_check_label(check: str) -> str:
    """The name of one connection check row ('dns' -> 'Name lookup (DNS)')."""
    label = CHECK_LABELS.get(check)
    return tk._(label) if label else check


def sync_field_label(key: str) -> str:
    """The form label of a field key of the sync form ('endpoint_url' is never shown)."""
    label = FIELD_LABELS.get(key)
    return tk._(label) if label else tk._("This form")


def sync_message(text: Any) -> str:
    """A stored run/check message in the page's language (see sync/messages.py)."""
    from ckanext.splpdepok.sync import messages

    return messages.translate(text, tk._)


def helpers() -> dict[str, Any]:
    return {
        "splpdepok_package_sync_state": package_sync_state,
        "splpdepok_sync_status_label": sync_status_label,
        "splpdepok_sync_field_label": sync_field_label,
        "splpdepok_sync_message": sync_message,
        "splpdepok_sync_check_label": sync_check_label,
    }
