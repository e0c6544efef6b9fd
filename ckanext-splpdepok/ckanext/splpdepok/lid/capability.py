"""What the Katalog LID capability adds to CKAN (see ckanext.splpdepok.registry): its actions
and auth functions (the maps below), validators, template helpers, pages, CLI and admin tab."""
from __future__ import annotations

from typing import Any

import click


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.lid.logic import action, action_manual

    return {
        "splpdepok_lid_create": action.lid_create,
        "splpdepok_lid_update": action.lid_update,
        "splpdepok_lid_show": action.lid_show,
        "splpdepok_lid_list": action.lid_list,
        "splpdepok_lid_delete": action.lid_delete,
        "splpdepok_lid_plan_create": action.plan_create,
        "splpdepok_lid_plan_update": action.plan_update,
        "splpdepok_lid_plan_show": action.plan_show,
        "splpdepok_lid_plan_advance": action.plan_advance,
        "splpdepok_lid_sync": action.lid_sync,
        "splpdepok_lid_check": action.lid_check,
        "splpdepok_lid_check_report": action.lid_check_report,
        "splpdepok_lid_plan_package": action_manual.plan_package,
        "splpdepok_lid_plan_events": action_manual.plan_events,
        "splpdepok_lid_publish_manual": action_manual.publish_manual,
        "splpdepok_lid_check_manual": action_manual.check_manual,
    }


def auth_functions() -> dict[str, Any]:
    from ckanext.splpdepok.lid.logic import auth

    return {
        "splpdepok_lid_create": auth.lid_create,
        "splpdepok_lid_update": auth.lid_edit,
        "splpdepok_lid_delete": auth.lid_edit,
        "splpdepok_lid_show": auth.lid_show,
        "splpdepok_lid_list": auth.lid_list,
        "splpdepok_lid_plan_create": auth.plan_create,
        "splpdepok_lid_plan_update": auth.plan_update,
        "splpdepok_lid_plan_show": auth.plan_show,
        "splpdepok_lid_plan_advance": auth.plan_advance,
        "splpdepok_lid_sync": auth.lid_sync,
        "splpdepok_lid_check": auth.lid_check,
        "splpdepok_lid_check_report": auth.check_report,
        "splpdepok_lid_plan_package": auth.plan_package,
        "splpdepok_lid_plan_events": auth.plan_show,
        "splpdepok_lid_publish_manual": auth.publish_manual,
        "splpdepok_lid_check_manual": auth.check_manual,
    }


def validators() -> dict[str, Any]:
    from ckanext.splpdepok.lid.logic import validators as v

    return v.all_validators()


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.lid import helpers as h

    return h.all_helpers()


def blueprints() -> list[Any]:
    from ckanext.splpdepok.lid import views

    return [views.blueprint]


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.lid.cli import lid

    return [lid]


def admin_tabs() -> list[tuple[str, str, str]]:
    return [("splpdepok_lid.report", "LID connection checks", "plug")]
