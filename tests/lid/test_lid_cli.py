"""``ckan splpdepok lid sync [--dry-run]`` and ``ckan splpdepok lid check``."""
from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.lid.model import Lid, Plan, PublicationRun
from ckanext.splpdepok.notify import model as notices

from tests.lid.conftest import call, lid_fields, pdf_upload, present
from tests.support.splp_double import SplpDouble

pytestmark = pytest.mark.usefixtures("lid_db")


def test_cli_dry_run_then_sync_then_check(
    cli: Any, lid_people: SimpleNamespace, splp_portal: SplpDouble,
) -> None:
    lids = [call("lid_create", lid_people.operator, ready=True, **lid_fields()),
            call("lid_create", lid_people.operator, **lid_fields(name="Draf", context="draf"))]
    plan = call("lid_plan_create", lid_people.admin, lid_ids=[x["id"] for x in lids])
    skipped = cli.invoke(ckan, ["splpdepok", "lid", "sync"])
    assert "skipped, plan is draft" in skipped.output and splp_portal.requests == []

    dry = cli.invoke(ckan, ["splpdepok", "lid", "sync", "--plan", "depok.go.id", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would be created (create, deploy, publish)" in dry.output
    assert "'skipped_drafts': 1" in dry.output and splp_portal.writes() == []

    call("lid_plan_update", lid_people.operator, id=plan["id"], lid_ids=[lids[0]["id"]])
    call("lid_plan_advance", lid_people.admin, id=plan["id"], transition="send")
    call("lid_plan_advance", lid_people.admin, id=plan["id"], transition="receive_guide",
         guide_upload=pdf_upload())
    call("lid_plan_advance", lid_people.admin, id=plan["id"], transition="instruct_sync")
    real = cli.invoke(ckan, ["splpdepok", "lid", "sync", "--plan", "depok.go.id"])
    assert real.exit_code == 0, real.output
    assert ": created (create, deploy, publish)" in real.output
    model.Session.remove()
    assert present(Plan.get("depok.go.id")).status == "synced"
    assert present(present(Lid.get(lids[0]["id"])).ledger()).api_id in splp_portal.apis

    again = cli.invoke(ckan, ["splpdepok", "lid", "sync", "--plan", "depok.go.id", "--json"])
    assert again.exit_code == 0 and '"unchanged": 1' in again.output

    checked = cli.invoke(ckan, ["splpdepok", "lid", "check", "--plan", "depok.go.id"])
    assert checked.exit_code == 0, checked.output
    assert "Data Penduduk per Kecamatan: connected HTTP 200" in checked.output
    # (the CLI reloads test.ini, so its mails go to the ini's SMTP; notices prove the send)
    model.Session.remove()
    assert any("SPLP" in n.subject for n in notices.for_user(lid_people.admin["id"]))


def test_cli_reports_missing_credentials_without_crashing(
    cli: Any, lid_people: SimpleNamespace, splp_portal: SplpDouble,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SPLPDEPOK_SPLP_CLIENT_SECRET")
    lid = call("lid_create", lid_people.operator, ready=True, **lid_fields())
    call("lid_plan_create", lid_people.admin, lid_ids=[lid["id"]])
    result = cli.invoke(ckan, ["splpdepok", "lid", "sync", "--dry-run"])
    assert result.exit_code == 1
    assert "SPLPDEPOK_SPLP_CLIENT_SECRET" in result.output
    assert splp_portal.client_secret not in result.output


@pytest.mark.parametrize("command", [["sync", "schedule"], ["lid", "reap"]])
def test_the_scheduler_reaps_dead_publication_runs(
    cli: Any, lid_people: SimpleNamespace, splp_portal: SplpDouble, command: list[str],
) -> None:
    """A killed ``splpdepok_lid`` worker leaves a ``running`` row; cron's scheduler (or
    ``lid reap``) marks it failed so the plan can be synchronised again."""
    lid = call("lid_create", lid_people.operator, ready=True, **lid_fields())
    plan = call("lid_plan_create", lid_people.admin, lid_ids=[lid["id"]])
    long_ago = now() - dt.timedelta(hours=2)
    run_id = str(uuid.uuid4())
    model.Session.add(PublicationRun(
        id=run_id, plan_id=plan["id"], dry_run=False, status="running", triggered_by="test",
        counts={}, results=[], message="", created=long_ago, started=long_ago,
        heartbeat=long_ago))
    model.Session.commit()
    done = cli.invoke(ckan, ["splpdepok", *command])
    assert done.exit_code == 0, done.output
    assert "1 stale publication run(s) marked failed" in done.output
    model.Session.remove()
    run = present(model.Session.get(PublicationRun, run_id))
    assert run.status == "failed" and run.finished is not None
    assert splp_portal.requests == []  # reaping never calls SPLP
