"""Template helpers of the Katalog LID pages and of the dataset-page snippet."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common.context import request_context

STATUS_LABELS = {
    "draft": "Draft", "ready": "Ready for SPLP", "synced": "Synchronised with SPLP",
    "connected": "Connected to SPLP", "check_failed": "Connection check failed",
}
CLASSIFICATION_LABELS = {"terbuka": "Open (terbuka)", "terbatas": "Restricted (terbatas)"}
PLAN_STATUS_LABELS = {
    "draft": "Plan prepared", "sent": "Sent to SPLP", "guide_received": "Technical guide received",
    "sync_instructed": "Synchronisation instructed", "synced": "Synchronised",
    "check_failed": "Connection check failed", "connected": "Connected to SPLP",
}


def splpdepok_lid_status_label(status: str) -> str:
    return tk._(STATUS_LABELS.get(status, status))


def splpdepok_lid_classification_label(value: str) -> str:
    return tk._(CLASSIFICATION_LABELS.get(value, value))


def splpdepok_lid_plan_status_label(status: str) -> str:
    return tk._(PLAN_STATUS_LABELS.get(status, status))


def splpdepok_lids_for_dataset(package_id: str) -> list[dict[str, Any]]:
    """The LIDs serving a dataset that the current visitor may see: ``splpdepok_lid_list``'s
    entries (same visibility rules, order and limit of 100) without its total and facets, which
    the dataset page does not show (five more queries on every dataset page)."""
    if not package_id:
        return []
    from ckanext.splpdepok.common.roles import user_obj
    from ckanext.splpdepok.lid.logic import entries
    from ckanext.splpdepok.lid.model import Lid

    context = request_context()
    filters = {"dataset": package_id}
    tk.check_access("splpdepok_lid_list", context, filters)
    query = entries.search(filters, user_obj(context.get("user")), context)
    return [entries.lid_dict(lid, context)
            for lid in query.order_by(Lid.name, Lid.id).limit(100).all()]


def splpdepok_lid_datasets(package_ids: list[str]) -> list[dict[str, str]]:
    """(name, title) of the active datasets an LID serves that the visitor may see."""
    from ckanext.splpdepok.lid.logic.auth import visible_package

    context = request_context()
    found = [p for p in (visible_package(i, context) for i in package_ids or []) if p]
    return [{"name": p.name, "title": p.title or p.name}
            for p in sorted(found, key=lambda p: p.title or p.name)]


def splpdepok_lid_allowed(action: str, data: dict[str, Any] | None = None) -> bool:
    """Whether the current user passes ``splpdepok_<action>``'s auth (to show a button)."""
    if not getattr(tk.current_user, "is_authenticated", False):
        return False
    try:
        tk.check_access(f"splpdepok_{action}", request_context(), data or {})
    except tk.NotAuthorized:
        return False
    return True


def splpdepok_lid_sync_gate(plan_id: str) -> str:
    """``""`` when the real synchronisation may start, ``failed`` (the latest dry run failed)
    or ``missing`` (no successful dry run of the plan's current LIDs)."""
    from ckanext.splpdepok.lid.logic.publication import sync_gate
    from ckanext.splpdepok.lid.model import Plan

    plan = Plan.get(plan_id)
    return sync_gate(plan) if plan is not None else "missing"


def splpdepok_lid_problem(found: Any, fallback: str = "") -> str:
    """A plain problem (``lid.problems``) in the page's language; ``fallback`` without one."""
    if not isinstance(found, dict) or not found.get("msgid"):
        return fallback
    args = found.get("args") or {}
    return tk._(str(found["msgid"])) % args if args else tk._(str(found["msgid"]))


def all_helpers() -> dict[str, Any]:
    return {f.__name__: f for f in (
        splpdepok_lid_status_label, splpdepok_lid_classification_label,
        splpdepok_lid_plan_status_label, splpdepok_lids_for_dataset, splpdepok_lid_datasets,
        splpdepok_lid_allowed, splpdepok_lid_sync_gate, splpdepok_lid_problem)}
