"""``ckan splpdepok lid``: publish the Katalog LID to SPLP (step 15), check it (16), and mark
failed the publication runs whose worker died (``reap``, for the scheduler's cron)."""
from __future__ import annotations

import json
from typing import Any

import click
from ckan import model


def _plan(name: str) -> Any:
    from ckanext.splpdepok.lid.model import Plan

    plan = Plan.get(name)
    if plan is None:
        raise click.BadParameter(f"no connection plan for '{name}'", param_hint="--plan")
    return plan


def _plans(name: str | None) -> list[Any]:
    from ckanext.splpdepok.lid.model import Plan

    if name:
        return [_plan(name)]
    return model.Session.query(Plan).order_by(Plan.ippd_domain).all()


@click.group("lid", short_help="Katalog LID: publish to SPLP and check the connection.")
def lid() -> None:
    """Katalog LID and its connection to SPLP (SOP steps 11-18)."""


@lid.command("sync", short_help="Publish the LIDs of connection plans to SPLP.")
@click.option("--plan", "plan_name", help="IPPD domain (or plan id); default: every plan.")
@click.option("--dry-run", is_flag=True, help="Only read SPLP and show what would change.")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
def sync(plan_name: str | None, dry_run: bool, as_json: bool) -> None:
    """Run the publication now, in this process, with a progress bar."""
    from ckanext.splpdepok.common.progress import ProgressBars
    from ckanext.splpdepok.common.runs import AlreadyRunning
    from ckanext.splpdepok.lid.logic.publication import (
        PUBLICATION,
        create_publication_run,
        execute_publication,
    )
    from ckanext.splpdepok.lid.workflow import SYNC_FROM

    PUBLICATION.reap()
    failed = False
    outcomes = []
    for plan in _plans(plan_name):
        if not dry_run and plan.status not in SYNC_FROM:
            click.echo(f"{plan.ippd_domain}: skipped, plan is {plan.status} "
                       "(SPLP has not instructed the synchronisation)", err=True)
            continue
        try:
            run_id = create_publication_run({}, plan.id, dry_run=dry_run)
        except AlreadyRunning:
            click.echo(f"{plan.ippd_domain}: a sync is already queued or running", err=True)
            failed = True
            continue
        with ProgressBars(f"{plan.ippd_domain}{' (dry run)' if dry_run else ''}") as bars:
            outcome = execute_publication(run_id, progress=bars)
        outcomes.append(outcome)
        failed = failed or outcome["status"] != "succeeded"
        if not as_json:
            _print_run(plan.ippd_domain, outcome)
    if as_json:
        click.echo(json.dumps(outcomes, indent=2, default=str))
    if failed:
        raise SystemExit(1)


def _print_run(domain: str, outcome: dict[str, Any]) -> None:
    word = "would be " if outcome["dry_run"] else ""
    click.echo(f"{domain}: {outcome['status']} {outcome['counts']} {outcome['message']}".rstrip())
    for result in outcome["results"]:
        line = (f"  {result['name']} {result['context']} {result['version']}: "
                f"{word}{result['status']}")
        if result["actions"]:
            line += f" ({', '.join(result['actions'])})"
        if result["differences"]:
            line += " fields: " + ", ".join(d["field"] for d in result["differences"])
        if result["error"]:
            line += f" ERROR: {result['error']}"
        click.echo(line)


@lid.command("reap", short_help="Mark failed the publication runs whose worker died.")
def reap() -> None:
    """Runs that stopped heartbeating (or queued runs no worker took in time) become failed.
    ``ckan splpdepok sync schedule`` (cron) and the worker do it too; this runs it alone."""
    from ckanext.splpdepok.lid.logic.publication import PUBLICATION

    click.echo(f"{PUBLICATION.reap()} stale publication run(s) marked failed")


@lid.command("check", short_help="Check the connection of a plan's LIDs (SOP step 16).")
@click.option("--plan", "plan_name", required=True, help="IPPD domain (or plan id).")
def check(plan_name: str) -> None:
    """Check every synchronised LID; success notifies the IPPD admin and the operators."""
    import ckan.plugins.toolkit as tk
    from ckanext.splpdepok.lid.logic import checking

    plan = _plan(plan_name)
    try:
        result, outbox = checking.run_check(plan.id, None)
    except tk.ValidationError as error:
        raise click.ClickException(str(error.error_summary or error.error_dict)) from None
    model.repo.commit()
    checking.deliver(outbox)
    for row in result["results"]:
        state = "connected" if row["connected"] else "NOT connected"
        click.echo(f"{row['lid_name']}: {state} HTTP {row['status_code']} "
                   f"{row['latency_ms']} ms {'; '.join(row['problems'])}".rstrip())
    if not result["connected"]:
        raise SystemExit(1)
