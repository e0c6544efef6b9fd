"""Jobs, schedule, CLI, connection checks, secrets and the Jabar push, against real peers."""
from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers
from ckan.types import Context
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.runs import AlreadyRunning
from ckanext.splpdepok.sync import jobs
from ckanext.splpdepok.sync.model import SyncRun, SyncTarget
from rq import SimpleWorker

from tests.support.live_server import free_port
from tests.sync.support import (
    FAST,
    TOKEN_ENV,
    assert_converged,
    ledger,
    national_dataset,
    national_fields,
    sync_table_text,
)

pytestmark = [pytest.mark.interop,
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              *[pytest.mark.ckan_config(k, v) for k, v in FAST.items()]]


@pytest.fixture
def org(remote_ckan):
    remote_ckan.ensure_org("pemkot-depok")
    return factories.Organization(name="bappeda")


def test_run_as_rq_job_on_the_sync_queue(remote_ckan, make_target, org, prefix, sysadmin):
    national_dataset(org, "rpjmd")
    target = make_target(org_map={org["name"]: "pemkot-depok"})
    queued = tk.get_action("splpdepok_sync_run")({"user": sysadmin["name"]},
                                                 {"id": target["name"]})
    assert queued["status"] == "queued" and queued["job_id"]
    with pytest.raises(tk.ValidationError, match="already queued"):
        tk.get_action("splpdepok_sync_run")({"user": sysadmin["name"]}, {"id": target["id"]})
    queue = ckan_jobs.get_queue(jobs.QUEUE)
    assert queue.name.endswith(":splpdepok_sync") and queue.count == 1
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    model.Session.remove()
    done = SyncRun.get(queued["id"])
    assert done is not None
    assert done.status == "succeeded" and done.counts["created"] == 1
    assert_converged(remote_ckan, target, prefix)


def test_schedule_enqueues_due_targets_only(make_target, org):
    target = make_target(org_map={org["name"]: "pemkot-depok"}, schedule_minutes=60)
    make_target(name="tanpa-jadwal", org_map={})
    due = jobs.enqueue_due()
    assert [r.target_id for r in due] == [target["id"]]
    run = SyncRun.get(due[0].id)
    assert run is not None
    run.status, run.finished = "succeeded", now()
    model.Session.commit()
    assert jobs.enqueue_due() == []
    later = now() + dt.timedelta(minutes=61)
    assert [t.id for t in jobs.due_targets(later)] == [target["id"]]
    ckan_jobs.get_queue(jobs.QUEUE).empty()


def _running_run(target_id: str, heartbeat: dt.datetime) -> SyncRun:
    """A run its worker took, last heard of at ``heartbeat``."""
    target = model.Session.get(SyncTarget, target_id)
    assert target is not None
    run = SyncRun.get(jobs.new_run({}, target, triggered_by="test"))
    assert run is not None
    run.status, run.started, run.heartbeat = "running", heartbeat, heartbeat
    model.Session.commit()
    return run


@pytest.mark.ckan_config("ckanext.splpdepok.sync.stale_after_seconds", "60")
def test_watchdog_fails_runs_without_heartbeat(make_target, org):
    alive, dead = _running_run(make_target(org_map={})["id"], now()), None
    assert jobs.RUNS.reap() == 0
    alive.heartbeat = now() - dt.timedelta(minutes=5)
    model.Session.commit()
    assert jobs.RUNS.reap() == 1
    dead = SyncRun.get(alive.id)
    assert dead is not None
    assert dead.status == "failed" and dead.finished is not None


def _row(run_id: str) -> dict:
    table = SyncRun.__table__
    row = model.Session.execute(table.select().where(table.c.id == run_id)).one()
    return dict(row._mapping)


@pytest.mark.ckan_config("ckanext.splpdepok.sync.stale_after_seconds", "60")
def test_pages_show_a_dead_run_as_not_answering_without_writing(app, make_target, org,
                                                                 sysadmin):
    target = make_target(org_map={})
    dead = _running_run(target["id"], now() - dt.timedelta(minutes=5))
    before = _row(dead.id)
    headers = {"Authorization": helpers.call_action(
        "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"],
        name="pages")["token"]}
    for url in ("/ckan-admin/sinkronisasi/", f"/ckan-admin/sinkronisasi/{target['name']}",
                f"/ckan-admin/sinkronisasi/{target['name']}/run/{dead.id}"):
        page = app.get(url, headers=headers)
        assert page.status_code == 200, url
        assert "splpdepok-sync-stale" in page.body, url
    model.Session.remove()
    assert _row(dead.id) == before  # GET pages never write: still "running", untouched
    assert _row(dead.id)["status"] == "running"


@pytest.mark.ckan_config("ckanext.splpdepok.sync.stale_after_seconds", "60")
def test_the_scheduler_reaps_dead_runs(cli, make_target, org):
    dead = _running_run(make_target(org_map={})["id"], now() - dt.timedelta(minutes=5))
    scheduled = cli.invoke(ckan_cli, ["splpdepok", "sync", "schedule"])
    assert scheduled.exit_code == 0, scheduled.output
    model.Session.remove()
    row = _row(dead.id)
    assert row["status"] == "failed" and "resumes from the ledger" in row["message"]


def test_a_run_created_under_defer_commit_waits_for_the_callers_commit(make_target, org):
    target = model.Session.get(SyncTarget, make_target(org_map={})["id"])
    assert target is not None
    run_id = jobs.new_run({"defer_commit": True}, target, triggered_by="test")
    jobs.enqueue({"defer_commit": True}, target, run_id)
    assert SyncRun.get(run_id) is not None  # visible in the caller's transaction
    model.Session.rollback()
    model.Session.remove()
    assert SyncRun.get(run_id) is None  # nothing was committed: the rollback removed the run
    assert ckan_jobs.get_queue(jobs.QUEUE).count == 0  # and nothing was queued


def test_cli_dry_run_and_run_with_progress(remote_ckan, make_target, org, prefix, cli):
    national_dataset(org, "apbd")
    target = make_target(org_map={org["name"]: "pemkot-depok"})
    dry = cli.invoke(ckan_cli, ["splpdepok", "sync", "--target", target["name"], "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "created 1" in dry.output and f"create    apbd -> {prefix}apbd" in dry.output
    assert "title: null -> \"Dataset apbd\"" in dry.output
    real = cli.invoke(ckan_cli, ["splpdepok", "sync", "--target", target["name"]])
    assert real.exit_code == 0, real.output
    assert "succeeded" in real.output and "Syncing" in real.output
    again = cli.invoke(ckan_cli, ["splpdepok", "sync", "--target", target["name"],
                                  "--only-failed"])
    assert "unchanged 0" in again.output and "created 0" in again.output
    assert_converged(remote_ckan, target, prefix)
    bad = cli.invoke(ckan_cli, ["splpdepok", "sync", "--target", "nope"])
    assert bad.exit_code != 0 and "no sync target" in bad.output
    check = cli.invoke(ckan_cli, ["splpdepok", "sync", "check", "--target", target["name"]])
    assert check.exit_code == 0, check.output
    assert "ok  credentials" in check.output and remote_ckan.token not in check.output
    tk.get_action("splpdepok_target_update")({"ignore_auth": True},
                                             {"id": target["id"], "schedule_minutes": 5})
    scheduled = cli.invoke(ckan_cli, ["splpdepok", "sync", "schedule"])
    assert scheduled.exit_code == 0 and target["id"] not in scheduled.output  # ran just now
    ckan_jobs.get_queue(jobs.QUEUE).empty()


def test_connection_check_reports_each_layer(remote_ckan, make_target, org, sysadmin,
                                             monkeypatch):
    context: Context = {"user": sysadmin["name"]}
    good = make_target(org_map={org["name"]: "pemkot-depok"})
    report = tk.get_action("splpdepok_target_check")(context, {"id": good["id"]})
    checks = {r["check"]: r for r in report["results"]}
    assert list(checks) == ["dns", "tcp", "tls", "http", "credentials", "organizations"]
    assert report["ok"] and report["api_version"] == "2.11.6"
    assert report["latency_ms"] > 0

    closed = make_target(name="tutup", url=f"http://127.0.0.1:{free_port()}")
    report = tk.get_action("splpdepok_target_check")(context, {"id": closed["id"]})
    assert not report["ok"] and report["results"][-1]["check"] == "tcp"

    monkeypatch.setenv("SPLPDEPOK_SYNC_WRONG", "not-a-token")
    wrong = make_target(name="salah", credential_ref="SPLPDEPOK_SYNC_WRONG",
                        org_map={org["name"]: "tidak-ada"})
    report = tk.get_action("splpdepok_target_check")(context, {"id": wrong["id"]})
    rows = {r["check"]: r for r in report["results"]}
    assert rows["http"]["ok"] and not rows["credentials"]["ok"]
    assert "missing: tidak-ada" in rows["organizations"]["detail"]
    listed = tk.get_action("splpdepok_sync_check_list")(context, {"id": wrong["id"]})
    assert [c["id"] for c in listed] == [report["id"]]


def test_secrets_never_reach_rows_reports_pages_or_logs(remote_ckan, make_target, org,
                                                        sysadmin, app, caplog):
    caplog.set_level(logging.DEBUG)
    national_dataset(org, "rahasia")
    target = make_target(org_map={org["name"]: "pemkot-depok", "x": "tidak-ada"})
    context: Context = {"user": sysadmin["name"]}
    tk.get_action("splpdepok_sync_run")(context, {"id": target["id"], "background": False})
    tk.get_action("splpdepok_target_check")(context, {"id": target["id"]})
    token = remote_ckan.token
    assert token not in sync_table_text()
    shown = json.dumps(tk.get_action("splpdepok_target_show")(context, {"id": target["id"]}))
    assert token not in shown and TOKEN_ENV in shown
    env = {"Authorization": helpers.call_action("api_token_create", context,
                                                user=sysadmin["name"], name="t")["token"]}
    for url in ("/ckan-admin/sinkronisasi", f"/ckan-admin/sinkronisasi/{target['name']}",
                f"/ckan-admin/sinkronisasi/{target['name']}/riwayat.csv"):
        assert token not in app.get(url, headers=env).body
    assert token not in caplog.text
    for ref in ("SECRET_KEY", "sqlalchemy.url", "CKAN_SQLALCHEMY_URL", "beaker.session.secret"):
        with pytest.raises(tk.ValidationError, match="credential_ref"):
            tk.get_action("splpdepok_target_create")(context, {
                "name": f"x{abs(hash(ref))}", "type": "ckan", "url": "http://x.test",
                "credential_ref": ref})


class _JabarStore(BaseHTTPRequestHandler):
    records: dict[str, dict] = {}
    token = "jabar-rahasia"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            return self._reply(401)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.records[self.path.rsplit("/", 1)[-1]] = json.loads(body)
        self._reply(200)

    def do_DELETE(self) -> None:
        self._reply(200 if self.records.pop(self.path.rsplit("/", 1)[-1], None) else 404)

    def do_GET(self) -> None:
        self._reply(200 if self.headers.get("Authorization") == f"Bearer {self.token}" else 401)


JABAR_FIELDS = {"ukuran": "Jiwa", "satuan": "Orang", "tingkat_penyajian": "Kecamatan",
                "accrualPeriodicity": "Tahunan", "temporal_start": "2020-01-01",
                "temporal_end": "2024-12-31"}


def test_jabar_push_and_withdraw(make_target, run_sync, org, monkeypatch, sysadmin):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JabarStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _JabarStore.records = {}
    monkeypatch.setenv("SPLPDEPOK_SYNC_JABAR", _JabarStore.token)
    try:
        fields = national_fields(JABAR_FIELDS)
        ready = [national_dataset(org, f"jabar-{i}", **fields) for i in range(3)]
        national_dataset(org, "jabar-kurang")
        target = make_target(type="jabar", url=f"http://127.0.0.1:{server.server_port}/dataset",
                             credential_ref="SPLPDEPOK_SYNC_JABAR", name_prefix="depok-")
        result = run_sync(target)
        assert result["counts"]["created"] == 3 and result["counts"]["failed"] == 1
        assert set(_JabarStore.records) == {"depok-jabar-0", "depok-jabar-1", "depok-jabar-2"}
        keys = {m["key"] for m in _JabarStore.records["depok-jabar-0"]["metadata"]}
        assert keys and all(isinstance(k, str) for k in keys)
        blocked = next(r for r in ledger(target["id"]).values() if r.status == "blocked")
        assert "satuan" in blocked.last_error
        helpers.call_action("package_delete", id=ready[0]["id"])
        assert run_sync(target)["counts"]["withdrawn"] == 1
        assert set(_JabarStore.records) == {"depok-jabar-1", "depok-jabar-2"}
        exported = tk.get_action("splpdepok_sync_export")({"user": sysadmin["name"]},
                                                          {"id": target["id"]})
        assert len(exported) == 2
        report = tk.get_action("splpdepok_target_check")({"user": sysadmin["name"]},
                                                         {"id": target["id"]})
        assert report["ok"], report
        tk.get_action("splpdepok_target_update")({"user": sysadmin["name"]},
                                                 {"id": target["id"], "jabar_mode": "export"})
        before = dict(_JabarStore.records)
        export_run = run_sync(target)
        assert _JabarStore.records == before
        assert (export_run["counts"]["unchanged"], export_run["counts"]["failed"]) == (2, 1)
    finally:
        server.shutdown()
        server.server_close()


def test_remote_wins_fields_are_kept(remote_ckan, make_target, run_sync, org, prefix):
    ds = national_dataset(org, "kebijakan")
    target = make_target(org_map={org["name"]: "pemkot-depok"}, field_policy={"notes": "remote"})
    run_sync(target)
    name = f"{prefix}kebijakan"
    remote_ckan.action("package_patch", {"id": name, "notes": "Diedit di portal nasional"})
    helpers.call_action("package_patch", id=ds["id"], title="Kebijakan baru",
                        notes="Local change that loses")
    assert run_sync(target)["counts"]["updated"] == 1
    pushed = remote_ckan.datasets()[name]
    assert pushed["title"] == "Kebijakan baru"
    assert pushed["notes"] == "Diedit di portal nasional"


def test_a_refused_run_under_defer_commit_leaves_the_callers_batch_alone(make_target, org):
    target = model.Session.get(SyncTarget, make_target(org_map={})["id"])
    assert target is not None
    jobs.new_run({}, target, triggered_by="test")  # alive: the next one is refused
    target.title = "Judul dalam batch"
    model.Session.flush()
    with pytest.raises(AlreadyRunning):
        jobs.new_run({"defer_commit": True}, target, triggered_by="test")
    model.Session.commit()  # the caller ends its batch: its change is still there
    model.Session.remove()
    stored = SyncTarget.get(target.id)
    assert stored is not None and stored.title == "Judul dalam batch"
