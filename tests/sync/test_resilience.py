"""Faults on the way (429, 500, slow, resets), a target killed mid-run, a runner killed mid-run:
every case ends with the remote catalog equal to the ledger, no duplicates, nothing lost."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import threading
import time

import pytest
from ckan import model
from ckan.tests import factories, helpers
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.sync import jobs
from ckanext.splpdepok.sync.model import SyncRun, SyncTarget

from tests.sync.faults import FaultProxy
from tests.sync.support import FAST, assert_converged, ledger, national_dataset

pytestmark = [pytest.mark.interop,
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              *[pytest.mark.ckan_config(k, v) for k, v in FAST.items()]]
CREATE = "/api/action/package_create"


@pytest.fixture
def org(remote_ckan):
    remote_ckan.ensure_org("pemkot-depok")
    return factories.Organization(name="dinas-pendidikan")


@pytest.fixture
def proxy(remote_ckan):
    proxy = FaultProxy(remote_ckan.url).start()
    yield proxy
    proxy.stop()


def test_run_converges_through_injected_faults(remote_ckan, make_target, run_sync, org, prefix,
                                               proxy):
    datasets = [national_dataset(org, f"sekolah-{i}") for i in range(12)]
    target = make_target(url=proxy.url, org_map={org["name"]: "pemkot-depok"},
                         concurrency=4)
    proxy.share = 0.3
    first = run_sync(target)
    assert first["status"] == "succeeded", first
    assert first["counts"]["created"] == 12
    assert set(proxy.injected) == {"429", "500", "slow", "reset", "reset_after"}, proxy.injected
    assert_converged(remote_ckan, target, prefix)

    for ds in datasets[:4]:
        helpers.call_action("package_patch", id=ds["id"], title=ds["title"] + " (2025)")
    helpers.call_action("package_delete", id=datasets[5]["id"])
    second = run_sync(target)
    assert second["status"] == "succeeded", second
    assert (second["counts"]["updated"], second["counts"]["withdrawn"]) == (4, 1)
    remote = assert_converged(remote_ckan, target, prefix)
    assert remote[f"{prefix}sekolah-0"]["title"].endswith("(2025)")


def test_target_killed_mid_run_then_resumed(remote_ckan, make_target, run_sync, org, prefix,
                                            proxy):
    for i in range(16):
        national_dataset(org, f"puskesmas-{i}")
    target = make_target(url=proxy.url, org_map={org["name"]: "pemkot-depok"}, concurrency=2)

    def kill_when_half_done() -> None:
        while proxy.forwarded[CREATE] < 6:
            time.sleep(0.01)
        remote_ckan.server.stop()

    killer = threading.Thread(target=kill_when_half_done, daemon=True)
    killer.start()
    broken = run_sync(target)
    killer.join(timeout=60)
    assert broken["status"] == "partial"
    assert broken["counts"]["failed"] > 0
    assert "did not answer" in next(
        r.last_error for r in ledger(target["id"]).values() if r.status == "failed")

    remote_ckan.start()
    resumed = run_sync(target)
    assert resumed["status"] == "succeeded", resumed
    assert broken["counts"]["created"] + resumed["counts"]["created"] >= 16 - \
        resumed["counts"]["updated"]
    remote = assert_converged(remote_ckan, target, prefix)
    assert len(remote) == 16


def _run_in_child(run_id: str) -> None:
    engine = model.meta.engine
    assert engine is not None
    # the child keeps the parent's pooled connections open (SQLAlchemy 1.4.33+: ``close``);
    # the installed SQLAlchemy stubs predate the parameter
    engine.dispose(close=False)  # pyright: ignore[reportCallIssue]
    from ckanext.splpdepok.sync.logic.runner import execute_run

    execute_run(run_id)
    os._exit(0)


@pytest.mark.ckan_config("ckanext.splpdepok.sync.heartbeat_seconds", "1")
@pytest.mark.ckan_config("ckanext.splpdepok.sync.stale_after_seconds", "3")
def test_runner_killed_mid_run_is_marked_failed_and_resumes(remote_ckan, make_target, run_sync,
                                                            org, prefix, proxy):
    for i in range(12):
        national_dataset(org, f"jalan-{i}")
    target = make_target(url=proxy.url, org_map={org["name"]: "pemkot-depok"}, concurrency=1)
    proxy.slow_seconds, proxy.faults, proxy.share = 0.2, ("slow",), 1.0
    run_id = jobs.new_run({}, model.Session.get(SyncTarget, target["id"]), triggered_by="test")
    child = multiprocessing.get_context("fork").Process(target=_run_in_child, args=(run_id,))
    child.start()
    deadline = time.monotonic() + 60
    while proxy.forwarded[CREATE] < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    proxy.share = 0
    model.Session.remove()
    alive = SyncRun.get(run_id)
    assert alive is not None and alive.status == "running"

    # 4 s on (stale_after is 3 s), without waiting for them: the reaper takes the clock
    assert jobs.RUNS.reap(at=now() + dt.timedelta(seconds=4)) == 1
    dead = SyncRun.get(run_id)
    assert dead is not None
    assert dead.status == "failed" and "resumes from the ledger" in dead.message

    resumed = run_sync(target)
    assert resumed["status"] == "succeeded", resumed
    remote = assert_converged(remote_ckan, target, prefix)
    assert len(remote) == 12
