"""The ``ckan splpdepok`` command group, built from the subcommands of every capability."""
from __future__ import annotations

import click
from ckanext.splpdepok import registry


def get_commands() -> list[click.Command]:
    group = click.Group(
        "splpdepok",
        help="Satu Data Kota Depok: demo data, registrations, LID catalog and catalog sync.",
        short_help="Satu Data Kota Depok commands",
    )
    for command in registry.cli_commands():
        group.add_command(command)
    return [group]
