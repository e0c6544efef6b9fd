"""Template helpers of the portal's look (home page, header): counts and recent datasets.

Every figure comes from actions run as the current user, so nobody sees counts that include
datasets they may not see.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError
from ckanext.splpdepok.common.context import request_context

# Font Awesome 6 icon per demo theme (group name); other groups get a generic icon.
THEME_ICONS = {
    "kesehatan": "fa-heart-pulse",
    "pendidikan": "fa-graduation-cap",
    "kependudukan": "fa-users",
    "ekonomi": "fa-chart-line",
    "infrastruktur": "fa-road",
    "lingkungan": "fa-leaf",
    "sosial": "fa-hand-holding-heart",
    "pemerintahan": "fa-landmark",
    "pangan-pertanian": "fa-wheat-awn",
}


def splpdepok_recent_datasets(limit: int = 6) -> list[dict[str, Any]]:
    """The public datasets changed most recently (private ones never, even for editors)."""
    try:
        result = tk.get_action("package_search")(
            request_context(),
            {"rows": limit, "sort": "metadata_modified desc", "include_private": False},
        )
    except (SearchError, tk.ValidationError):
        return []
    return result["results"]


def splpdepok_portal_counts() -> dict[str, int]:
    """How many organizations and groups (themes) the catalog has."""
    counts = {}
    for kind in ("organization", "group"):
        try:
            counts[kind] = len(tk.get_action(f"{kind}_list")(request_context(), {}))
        except tk.NotAuthorized:
            counts[kind] = 0
    return counts


def splpdepok_theme_icon(name: str) -> str:
    return THEME_ICONS.get(name, "fa-layer-group")


def all_helpers() -> dict[str, Any]:
    return {
        "splpdepok_recent_datasets": splpdepok_recent_datasets,
        "splpdepok_portal_counts": splpdepok_portal_counts,
        "splpdepok_theme_icon": splpdepok_theme_icon,
    }
