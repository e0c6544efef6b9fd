"""``ckan splpdepok demo load``: demo organizations, groups, users and datasets of Kota Depok."""

from __future__ import annotations

import time

import click


@click.group(short_help="Demo data")
def demo() -> None:
    """Load the demo organizations, groups and datasets."""


@demo.command("load")
@click.option("--quiet", "-q", is_flag=True, help="Only print the summary.")
def load(quiet: bool) -> None:
    """Create (or update) the demo data; safe to run again."""
    from ckanext.splpdepok import config
    from ckanext.splpdepok.demo import data
    from ckanext.splpdepok.demo.logic import loader

    demo_data = data.read_data()
    walidata = config.walidata_organization()
    if walidata not in {o["name"] for o in demo_data.organizations}:
        click.secho(
            f"warning: the walidata organization '{walidata}' "
            "(ckanext.splpdepok.walidata_organization) is not among the demo organizations",
            fg="yellow",
            err=True,
        )
    report = (lambda _msg: None) if quiet else click.echo
    started = time.monotonic()
    summary = loader.load(demo_data, report=report)
    for kind, counts in summary.items():
        click.echo(
            f"{kind}s: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
        )
    click.echo(f"done in {time.monotonic() - started:.1f} s")
