"""What the sync capability adds to CKAN (see ckanext.splpdepok.registry)."""
from __future__ import annotations

from typing import Any

import click


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.sync.logic.action import actions as sync_actions

    return sync_actions()


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
