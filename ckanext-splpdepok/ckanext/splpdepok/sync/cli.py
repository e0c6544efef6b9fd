"""``ckan splpdepok sync``: run a target now (progress bar), run the schedule, check a target."""
from __future__ import annotations

import json
from typing import Any

import click
from ckanext.splpdepok.common.progress import ProgressBars
from ckanext.splpdepok.sync.model import SyncTarget


def _target(name: str) -> SyncTarget:
    target = SyncTarget.get(name)
    if target is None:
        raise click.BadParameter(f"no sync target '{name}'", param_hint="--target")
    return target


@click.group("sync", invoke_without_command=True,
             short_help="Push datasets to a sync target (or run the schedule).")
@click.option("--target", "target_name", help="Name of the sync target.")
@click.option("--dry-run", is_flag=True, help="Show what would change, send nothing.")
@click.option("--only-failed", is_flag=True, help="Retry only the datasets that failed.")
@click.option("--confirm-withdrawal", is_flag=True,
              help="Go on although more than the target's share would be withdrawn.")
@click.pass_context
def sync(ctx: click.Context, target_name: str | None, dry_run: bool, only_failed: bool,
         confirm_withdrawal: bool) -> None:
    """Run the sync of one target now, in this process."""
    if ctx.invoked_subcommand:
        return
    if not target_name:
        raise click.UsageError("give --target NAME (or a subcommand: schedule, check)")
    from ckanext.splpdepok.common.context import site_context
    from ckanext.splpdepok.common.runs import AlreadyRunning
    from ckanext.splpdepok.sync import jobs
    from ckanext.splpdepok.sync.logic.runner import execute_run

    target = _target(target_name)
    try:
        run_id = jobs.new_run(site_context(), target, triggered_by="cli", dry_run=dry_run,
                              only_failed=only_failed, confirm_withdrawal=confirm_withdrawal)
    except AlreadyRunning:
        raise click.ClickException(f"a run of '{target.name}' is already queued or running"
                                   ) from None
    with ProgressBars("Syncing") as bars:
        result = execute_run(run_id, progress=bars)
    _print_run(result, dry_run)
    if result["status"] in ("failed", "needs_confirmation"):
        raise SystemExit(1)


def _print_run(result: dict[str, Any], dry_run: bool) -> None:
    from ckan import model
    from ckanext.splpdepok.sync.model import SyncRunItem

    counts = result.get("counts") or {}
    click.echo(f"run {result['id']}: {result['status']}")
    click.echo("  " + ", ".join(f"{k} {counts.get(k, 0)}" for k in
                                ("created", "updated", "unchanged", "withdrawn", "failed")))
    if result.get("message"):
        click.echo(f"  {result['message']}")
    items = (model.Session.query(SyncRunItem).filter_by(run_id=result["id"])
             .order_by(SyncRunItem.package_name))
    for item in items:
        if dry_run:
            click.echo(f"  {item.action:9} {item.package_name} -> {item.remote_name or ''}")
            for change in item.diff or []:
                click.echo(f"      {change['field']}: {json.dumps(change['old'])} -> "
                           f"{json.dumps(change['new'])}")
            if item.error:
                click.echo(f"      {item.error}")
        elif item.outcome == "failed":
            click.echo(f"  FAILED {item.package_name}: {item.error}")


@sync.command("schedule")
def schedule() -> None:
    """Enqueue every target whose interval has passed (run from cron every few minutes).

    The one scheduler of the portal: it also marks dead SPLP publication runs failed, so a
    killed ``splpdepok_lid`` worker never leaves a plan blocked.
    """
    from ckanext.splpdepok.lid.logic.publication import PUBLICATION
    from ckanext.splpdepok.sync import jobs

    for run in jobs.enqueue_due():
        click.echo(f"queued run {run.id} of target {run.target_id}")
    reaped = PUBLICATION.reap()
    if reaped:
        click.echo(f"{reaped} stale publication run(s) marked failed")


@sync.command("check")
@click.option("--target", "target_name", required=True)
def check(target_name: str) -> None:
    """Connection check of one target."""
    from ckanext.splpdepok.sync.logic import checks

    report = checks.check_target(_target(target_name))
    for row in report.results:
        click.echo(f"  {'ok ' if row['ok'] else 'BAD'} {row['check']:13} {row['detail']} "
                   f"({row['ms']} ms)")
        for item in row.get("items") or []:  # catalog checks: one line per finding
            if item["finding"] != "present":
                what = item.get("name") or item.get("jabar_name", "")
                click.echo(f"      {item['finding']:24} {what}")
    if not report.ok:
        raise SystemExit(1)


def cli_commands() -> list[click.Command]:
    return [sync]
