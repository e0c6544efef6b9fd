"""What the import capability adds to CKAN (see ckanext.splpdepok.registry)."""
from __future__ import annotations

from typing import Any

import click


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.importer.logic import action

    return {"splpdepok_import_plan": action.import_plan,
            "splpdepok_import_run": action.import_run}


def auth_functions() -> dict[str, Any]:
    from ckanext.splpdepok.importer.logic.auth import auth_functions as import_auth

    return import_auth()


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.importer.cli import cli_commands as import_cli

    return import_cli()
