"""What the demo-data capability adds to CKAN: the ``ckan splpdepok demo`` commands."""
from __future__ import annotations

import click


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.demo.cli import demo

    return [demo]
