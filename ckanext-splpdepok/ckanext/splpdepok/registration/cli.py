"""``ckan splpdepok registrations list|show|export``: the records from the command line."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import click
from ckanext.splpdepok.common.context import site_context
from ckanext.splpdepok.registration.logic import export
from ckanext.splpdepok.registration.model import KINDS
from ckanext.splpdepok.registration.workflow import STATES


@click.group(short_help="Registrations (SOP steps 1-10): list, show, export")
def registrations() -> None:
    """Registrations of IPPDs, IPPD admins and LID operators."""


@registrations.command("list")
@click.option("--kind", type=click.Choice(KINDS))
@click.option("--status", type=click.Choice(STATES))
@click.option("--overdue", is_flag=True, help="Only submitted ones past their standard")
@click.option("--text", default=None)
@click.option("--limit", default=100, show_default=True)
def list_(kind: str | None, status: str | None, overdue: bool, text: str | None,
          limit: int) -> None:
    """One line per registration."""
    query = {k: v for k, v in {"kind": kind, "status": status, "text": text,
                                "overdue": overdue or None}.items() if v}
    result = tk.get_action("splpdepok_registration_list")(site_context(), dict(query, limit=limit))
    click.echo(f"{result['count']} registration(s)")
    for reg in result["results"]:
        age = "" if reg["age_minutes"] is None else f" age={reg['age_minutes']}min"
        late = " OVERDUE" if reg["overdue"] else ""
        click.echo(f"{reg['id']}  {reg['kind']:<10} {reg['status']:<9} {reg['ippd_domain']}  "
                   f"{reg['username']}  {reg['organization_title']}{age}{late}")


@registrations.command("show")
@click.argument("id")
def show(id: str) -> None:
    """A registration and its events, as JSON."""
    try:
        reg = tk.get_action("splpdepok_registration_show")(site_context(), {"id": id})
    except tk.ObjectNotFound as error:
        raise click.ClickException(f"registration {id} not found") from error
    click.echo(json.dumps(reg, indent=2, ensure_ascii=False))


@registrations.command("export")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), required=True)
def export_(fmt: str, output: str) -> None:
    """Every registration with its full event history, one row per event."""
    rows = export.event_rows(export.all_registrations())
    if fmt == "csv":
        with open(output, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(export.to_csv(rows))
    else:
        with open(output, "wb") as handle:
            handle.write(export.to_xlsx(rows))
    click.echo(f"{len(rows)} event row(s) written to {output}")
