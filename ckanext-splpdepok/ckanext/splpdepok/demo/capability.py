"""What the demo/portal-look capability adds to CKAN: ``ckan splpdepok demo`` and home helpers."""

from __future__ import annotations

from typing import Any

import click


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.demo.cli import demo

    return [demo]


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.demo import helpers as h

    return h.all_helpers()
