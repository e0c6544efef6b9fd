"""``ckan splpdepok demo load`` (placeholder until the demo data lands)."""
from __future__ import annotations

import click


@click.group(short_help="Demo data")
def demo() -> None:
    """Load the demo organizations, groups and datasets."""


@demo.command("load")
def load() -> None:
    """Create (or update) the demo data; safe to run again."""
    click.echo("no demo data yet")
