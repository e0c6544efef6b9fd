"""Creates or updates the demo data through CKAN's actions (so search indexing runs too).

Idempotent by name: an existing organization, group, dataset or user is updated in place,
resources keep their ids (matched by name), nothing is duplicated by a second run.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common.context import site_context
from ckanext.splpdepok.demo.data import (
    DemoData,
    dataset_differs,
    group_differs,
    place_sdi_fields,
    read_data,
)

Report = Callable[[str], None]


def _show(action: str, data_dict: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return tk.get_action(action)(site_context(), data_dict)
    except tk.ObjectNotFound:
        return None


def dataset_schema_fields() -> set[str]:
    """Top-level field names the active dataset schema keeps (IDatasetForm or scheming)."""
    from ckan.lib.plugins import lookup_package_plugin

    fields = set(lookup_package_plugin("dataset").create_package_schema())
    if p.plugin_loaded("scheming_datasets"):
        from ckanext.scheming.helpers import scheming_get_dataset_schema

        schema = scheming_get_dataset_schema("dataset") or {}
        fields |= {f["field_name"] for f in schema.get("dataset_fields", [])}
    return fields


def _upsert_group(kind: str, data: dict[str, Any]) -> str:
    existing = _show(f"{kind}_show", {"id": data["name"], "include_datasets": False})
    if existing is None:
        tk.get_action(f"{kind}_create")(site_context(), data)
        return "created"
    if not group_differs(existing, data):
        return "unchanged"
    tk.get_action(f"{kind}_patch")(
        site_context(), {**data, "id": existing["id"], "state": "active"})
    return "updated"


def _upsert_dataset(data: dict[str, Any]) -> str:
    existing = _show("package_show", {"id": data["name"]})
    if existing is None:
        tk.get_action("package_create")(site_context(), data)
        return "created"
    if not dataset_differs(existing, data):
        return "unchanged"
    ids_by_name = {r["name"]: r["id"] for r in existing.get("resources", [])}
    resources = [
        {**r, "id": ids_by_name[r["name"]]} if r["name"] in ids_by_name else r
        for r in data["resources"]
    ]
    tk.get_action("package_update")(
        site_context(), {**data, "id": existing["id"], "state": "active", "resources": resources}
    )
    return "updated"


def _upsert_user(spec: dict[str, Any]) -> str:
    status = "unchanged"
    if _show("user_show", {"id": spec["name"]}) is None:
        # A random password nobody sees: demo users sign in after a reset or `ckan user setpass`.
        tk.get_action("user_create")(
            site_context(),
            {
                "name": spec["name"],
                "fullname": spec["fullname"],
                "email": spec["email"],
                "password": secrets.token_urlsafe(24),
            },
        )
        status = "created"
    org = tk.get_action("organization_show")(
        site_context(),
        {"id": spec["organization"], "include_datasets": False, "include_users": True},
    )
    roles = {u["name"]: u["capacity"] for u in org.get("users", [])}
    if roles.get(spec["name"]) != spec["capacity"]:
        tk.get_action("organization_member_create")(
            site_context(),
            {"id": spec["organization"], "username": spec["name"], "role": spec["capacity"]},
        )
        if status == "unchanged":
            status = "updated"
    return status


def load(
    data: DemoData | None = None, report: Report = lambda _msg: None
) -> dict[str, Counter[str]]:
    """Create or update organizations, groups, users and datasets; return what happened."""
    data = data or read_data()
    summary: dict[str, Counter[str]] = {
        kind: Counter() for kind in ("organization", "group", "user", "dataset")
    }
    for kind, items in (("organization", data.organizations), ("group", data.groups)):
        for item in items:
            status = _upsert_group(kind, item)
            summary[kind][status] += 1
            report(f"{kind} {item['name']}: {status}")
    for user in data.users:
        status = _upsert_user(user)
        summary["user"][status] += 1
        report(f"user {user['name']} ({user['capacity']} of {user['organization']}): {status}")
    schema_fields = dataset_schema_fields()
    total = len(data.datasets)
    for number, dataset in enumerate(data.datasets, start=1):
        status = _upsert_dataset(place_sdi_fields(dataset, schema_fields))
        summary["dataset"][status] += 1
        private = " (private)" if dataset["private"] else ""
        report(f"[{number}/{total}] dataset {dataset['name']}{private}: {status}")
    from ckanext.splpdepok.demo.logic import lids

    summary.update(lids.load(report))
    return summary
