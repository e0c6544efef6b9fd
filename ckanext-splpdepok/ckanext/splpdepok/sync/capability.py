"""What the sync capability adds to CKAN (see ckanext.splpdepok.registry)."""
from __future__ import annotations

from typing import Any

import click


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.sync.logic import action

    return {
        "splpdepok_target_create": action.target_create,
        "splpdepok_target_update": action.target_update,
        "splpdepok_target_show": action.target_show,
        "splpdepok_target_list": action.target_list,
        "splpdepok_target_delete": action.target_delete,
        "splpdepok_target_check": action.target_check,
        "splpdepok_sync_run": action.sync_run,
        "splpdepok_sync_run_show": action.sync_run_show,
        "splpdepok_sync_run_list": action.sync_run_list,
        "splpdepok_sync_ledger_list": action.sync_ledger_list,
        "splpdepok_sync_check_list": action.sync_check_list,
        "splpdepok_sync_export": action.sync_export,
        "splpdepok_sync_package_state": action.package_sync_state,
    }


def auth_functions() -> dict[str, Any]:
    from ckanext.splpdepok.sync.logic.auth import auth_functions as sync_auth

    return sync_auth()


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.sync.helpers import helpers as sync_helpers

    return sync_helpers()


def blueprints() -> list[Any]:
    from ckanext.splpdepok.sync.views import blueprint

    return [blueprint]


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.sync.cli import cli_commands as sync_cli

    return sync_cli()


def admin_tabs() -> list[tuple[str, str, str]]:
    return [("splpdepok_sync.index", "Catalog sync", "rotate")]
