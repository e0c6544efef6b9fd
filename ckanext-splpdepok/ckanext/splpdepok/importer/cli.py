"""``ckan splpdepok import --from URL``: copy the old portal here, with progress and a summary."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import click
from ckanext.splpdepok.common.progress import ProgressBars

LABELS = {"read": "Reading the old portal", "write": "Importing datasets"}


def _counts(section: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in section["counts"].items())


def print_report(report: dict[str, Any]) -> None:
    if report["dry_run"]:
        click.echo("DRY RUN: nothing was written")
    click.echo(f"old portal {report['source']} (CKAN {report['remote_version']}, read with "
               f"{report['method']}, private datasets: "
               f"{'yes' if report['include_private'] else 'no'})")
    for key in ("organizations", "groups", "datasets"):
        click.echo(f"  {key}: {_counts(report[key])}")
    click.echo(f"  resources: {report['resources']}")
    verb = "would be " if report["dry_run"] else ""
    click.echo(f"{report['created']} dataset(s) {verb}created, {report['updated']} {verb}updated")
    if report["uploads_message"]:
        click.echo(f"  NOTE {report['uploads_message']} "
                   f"({', '.join(report['upload_datasets'])})")
    if report["unmapped"]:
        click.echo(f"unmapped fields ({report['unmapped_mode']}):")
        for row in report["unmapped"]:
            where = "resource " if row["resource_field"] else ""
            samples = ", ".join(json.dumps(s, ensure_ascii=False) for s in row["samples"])
            click.echo(f"  {where}{row['field']} x{row['count']}: {row['message']} "
                       f"[{samples}]")
    for key in ("organizations", "groups", "datasets"):
        for item in report[key]["items"]:
            if item["action"] in ("conflict", "skip", "failed"):
                click.echo(f"  {item['action'].upper()} {key[:-1]} {item['name']}: "
                           f"{item['message']}")


@click.command("import", short_help="Import datasets from the city's old CKAN portal.")
@click.option("--from", "url", required=True, metavar="URL",
              help="Base address of the old CKAN (2.8/2.9), e.g. https://data.depok.go.id")
@click.option("--dry-run", is_flag=True, help="Show what would be created, write nothing.")
@click.option("--org-map", "org_map_file", type=click.Path(exists=True, dir_okay=False),
              help="YAML (old: new) or CSV (header old,new) mapping old organization names "
                   "to organizations here.")
@click.option("--unmapped", type=click.Choice(["keep", "drop"]), default="keep",
              show_default=True,
              help="Fields without a place in the SDI schema: keep them as extras or drop them.")
@click.option("--token", envvar="SPLPDEPOK_IMPORT_TOKEN", default=None, show_envvar=True,
              help="API token of the old portal (reads private datasets too). Prefer the "
                   "environment variable.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, writable=True),
              help="Also write the full report as JSON to this file.")
def import_(url: str, dry_run: bool, org_map_file: str | None, unmapped: str,
            token: str | None, report_file: str | None) -> None:
    """Copy organizations, groups, datasets and resources from the old portal, keeping dataset
    ids, names, resource ids and resource URLs. Safe to run again: only what changed is
    written."""
    import ckan.plugins.toolkit as tk
    from ckanext.splpdepok.importer import orgmap
    from ckanext.splpdepok.importer.logic import runner
    from ckanext.splpdepok.importer.logic.validators import source_url

    try:
        url = source_url(url, {})
    except tk.Invalid as exc:
        raise click.BadParameter(str(exc.error), param_hint="--from") from None
    mapping: dict[str, str] = {}
    if org_map_file:
        try:
            mapping = orgmap.parse(Path(org_map_file).read_text(encoding="utf-8"),
                                   org_map_file)
        except (orgmap.OrgMapError, UnicodeDecodeError) as exc:
            raise click.BadParameter(str(exc), param_hint="--org-map") from None
    # A request context gives messages the site's language (Indonesian on the portal).
    flask_app = click.get_current_context().meta.get("flask_app")
    scope = flask_app.test_request_context() if flask_app else contextlib.nullcontext()
    try:
        with scope, ProgressBars("Importing", LABELS) as bars:
            report = runner.run_import(
                runner.Options(url=url, token=token, org_map=mapping, unmapped=unmapped,
                               dry_run=dry_run), progress=bars)
    except runner.ImportFailed as exc:
        raise click.ClickException(str(exc)) from None
    print_report(report)
    if report_file:
        Path(report_file).write_text(json.dumps(report, indent=2, ensure_ascii=False),
                                     encoding="utf-8")
    if report["datasets"]["counts"]["failed"]:
        raise SystemExit(1)


def cli_commands() -> list[click.Command]:
    return [import_]
