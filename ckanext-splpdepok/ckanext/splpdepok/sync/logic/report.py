"""Read models for pages and downloads: target summaries, CSV of runs and items, Jabar export."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok.sync import crosswalk, drift, readiness
from ckanext.splpdepok.sync.logic.source import iter_selected
from ckanext.splpdepok.sync.model import LedgerEntry, SyncCheck, SyncRun, SyncRunItem, SyncTarget

RUN_COLUMNS = ("id", "status", "dry_run", "created", "started", "finished", "triggered_by",
               "created_n", "updated_n", "unchanged_n", "withdrawn_n", "failed_n", "message")
ITEM_COLUMNS = ("package_name", "package_id", "action", "outcome", "remote_name", "error")


def ledger_counts(target_id: str) -> dict[str, int]:
    t = LedgerEntry.__table__
    rows = model.Session.execute(sa.select(t.c.status, sa.func.count())
                                 .where(t.c.target_id == target_id).group_by(t.c.status))
    return {status: count for status, count in rows}


def target_summary(target: SyncTarget) -> dict[str, Any]:
    data = target.dictize()
    last_run = (model.Session.query(SyncRun).filter_by(target_id=target.id)
                .order_by(SyncRun.created.desc()).first())
    last_check = (model.Session.query(SyncCheck).filter_by(target_id=target.id)
                  .order_by(SyncCheck.created.desc()).first())
    data["ledger"] = ledger_counts(target.id)
    data["last_run"] = last_run.dictize() if last_run else None
    data["last_check"] = last_check.dictize() if last_check else None
    return data


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        # Cells starting with =, +, - or @ would run as formulas in a spreadsheet.
        writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    return buf.getvalue()


def runs_csv(target: SyncTarget) -> str:
    runs = (model.Session.query(SyncRun).filter_by(target_id=target.id)
            .order_by(SyncRun.created.desc()))

    def row(run: SyncRun) -> list[Any]:
        d, c = run.dictize(), run.counts or {}
        return [d["id"], d["status"], d["dry_run"], d["created"], d["started"], d["finished"],
                d["triggered_by"], c.get("created", 0), c.get("updated", 0),
                c.get("unchanged", 0), c.get("withdrawn", 0), c.get("failed", 0), d["message"]]

    return _csv(RUN_COLUMNS, (row(r) for r in runs))


def items_csv(run: SyncRun) -> str:
    items = (model.Session.query(SyncRunItem).filter_by(run_id=run.id)
             .order_by(SyncRunItem.outcome, SyncRunItem.package_name))
    header = (*ITEM_COLUMNS, "diff")
    return _csv(header, ([i.package_name, i.package_id, i.action, i.outcome, i.remote_name,
                          i.error or "", json.dumps(i.diff, ensure_ascii=False) if i.diff else ""]
                         for i in items))


def jabar_export(target: SyncTarget) -> list[dict[str, Any]]:
    """Records of every selected dataset that has what the province needs."""
    return [crosswalk.to_jabar(pkg, target.regional_id)
            for pkg in iter_selected(target.selection or {})
            if not readiness.missing_fields(pkg, "jabar")]


CATALOG_ROW = {"harvest": "drift", "jabar": "jabar_catalog"}
DRIFT_COLUMNS = ("finding", "label", "request", "id", "name", "title", "state_here",
                 "remote_name", "detail")
JABAR_COLUMNS = ("finding", "label", "id", "name", "title", "jabar_name", "jabar_skpd")


def finding_label(finding: str) -> str:
    labels = {
        "withdrawn_still_public": tk._("Withdrawn here, still public there"),
        "private_still_public": tk._("Private here, still public there"),
        "missing_remote": tk._("Public here, missing there"),
        "unknown": tk._("Unknown (the catalog did not answer)"),
        "present": tk._("The province has it"),
        "missing": tk._("The province lacks it"),
        "only_there": tk._("Only in the province's catalog"),
    }
    return labels.get(finding, finding)


def finding_request(finding: str) -> str:
    """What the request to the national team asks for (translated)."""
    return tk._(drift.FINDINGS[finding]) if finding in drift.FINDINGS else ""


def catalog_report(target: SyncTarget) -> tuple[SyncCheck | None, dict[str, Any] | None]:
    """The newest check of ``target`` that read its remote catalog, and that row."""
    wanted = CATALOG_ROW.get(target.type)
    if wanted is None:
        return None, None
    recent = (model.Session.query(SyncCheck).filter_by(target_id=target.id)
              .order_by(SyncCheck.created.desc()).limit(20))
    for check in recent:
        row = next((r for r in check.results or [] if r.get("check") == wanted), None)
        if row is not None:
            return check, row
    return None, None


def catalog_csv(target: SyncTarget, row: dict[str, Any]) -> str:
    items = row.get("items") or []
    if target.type == "harvest":
        return _csv(DRIFT_COLUMNS, ([i["finding"], finding_label(i["finding"]),
                                     finding_request(i["finding"]), i["id"], i["name"],
                                     i["title"], i["state_here"], i["remote_name"], i["detail"]]
                                    for i in items))
    return _csv(JABAR_COLUMNS, ([i["finding"], finding_label(i["finding"]), i["id"], i["name"],
                                 i["title"], i["jabar_name"], i["jabar_skpd"]] for i in items))
