"""What the LID catalog capability adds to CKAN (see ckanext.splpdepok.registry)."""
from __future__ import annotations

from typing import Any

import click


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.lid.logic import connection, entries, plans

    return {
        "splpdepok_lid_create": entries.lid_create,
        "splpdepok_lid_update": entries.lid_update,
        "splpdepok_lid_show": entries.lid_show,
        "splpdepok_lid_list": entries.lid_list,
        "splpdepok_lid_delete": entries.lid_delete,
        "splpdepok_lid_plan_create": plans.plan_create,
        "splpdepok_lid_plan_update": plans.plan_update,
        "splpdepok_lid_plan_show": plans.plan_show,
        "splpdepok_lid_plan_advance": plans.plan_advance,
        "splpdepok_lid_sync": connection.lid_sync,
        "splpdepok_lid_check": connection.lid_check,
        "splpdepok_lid_check_report": connection.lid_check_report,
    }


def auth_functions() -> dict[str, Any]:
    from ckanext.splpdepok.lid.logic import auth

    return auth.auth_functions()


def validators() -> dict[str, Any]:
    from ckanext.splpdepok.lid import schema

    return schema.all_validators()


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.lid import helpers as h

    return h.all_helpers()


def blueprints() -> list[Any]:
    from ckanext.splpdepok.lid import forms, views

    return [views.blueprint, forms.blueprint]


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.lid.cli import lid

    return [lid]


def admin_tabs() -> list[tuple[str, str, str]]:
    return [("splpdepok_lid.report", "LID connection checks", "plug")]
