"""Executes one run: plan from the ledger, push with bounded concurrency, record every outcome.

Worker threads only talk HTTP; the ledger and the run are written by the calling thread after
each remote write, so a crash loses at most the answer of calls in flight (a pending create is
adopted on the next run through the source marker, never duplicated).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any, cast

import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok import config
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.runs import QUEUED
from ckanext.splpdepok.sync import crosswalk, messages, planner
from ckanext.splpdepok.sync.client import (
    CkanClient,
    JabarClient,
    NameTaken,
    RateLimiter,
    RetryPolicy,
    SyncError,
    with_client,
)
from ckanext.splpdepok.sync.jobs import RUNS
from ckanext.splpdepok.sync.logic import credentials
from ckanext.splpdepok.sync.logic.source import PayloadBuilder, Prepared, iter_selected
from ckanext.splpdepok.sync.model import LedgerEntry, SyncRun, SyncRunItem, SyncTarget

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
COUNT_KEYS = ("created", "updated", "unchanged", "withdrawn", "failed")
_DONE = {planner.CREATE: "created", planner.UPDATE: "updated", planner.WITHDRAW: "withdrawn"}


def _advisory_lock(target_id: str) -> sa.engine.Connection | None:
    assert model.meta.engine is not None  # bound when CKAN loads
    conn = model.meta.engine.connect()
    got = conn.execute(sa.text("SELECT pg_try_advisory_lock(hashtext(:k))"),
                       {"k": f"splpdepok_sync:{target_id}"}).scalar()
    if got:
        return conn
    conn.close()
    return None


def build_client_factory(target: SyncTarget, token: str | None) -> Callable[[], Any]:
    attempts, backoff, max_wait = config.sync_retry_settings()
    retry = RetryPolicy(attempts, backoff, max_wait)
    limiter = RateLimiter(target.rate_per_second or 0)
    timeout = config.sync_timeout_seconds()
    cls = JabarClient if target.type == "jabar" else CkanClient
    return with_client(lambda: cls(target.url, token, timeout=timeout, retry=retry,
                                   limiter=limiter))


def load_ledger(target_id: str) -> dict[str, planner.LedgerState]:
    """The ledger for planning; hashes of another crosswalk version compare as changed."""
    t = LedgerEntry.__table__
    rows = model.Session.execute(
        sa.select(t.c.package_id, t.c.remote_id, t.c.remote_name, t.c.content_hash,
                  t.c.status, t.c.package_name, t.c.crosswalk_version)
        .where(t.c.target_id == target_id))
    current = crosswalk.CROSSWALK_VERSION
    return {r.package_id: planner.LedgerState(
                r.package_id, r.remote_id, r.remote_name,
                r.content_hash if r.crosswalk_version == current else None, r.status,
                r.package_name)
            for r in rows}


class Runner:
    """One run of one target (``execute`` is the whole life cycle)."""

    def __init__(self, run: SyncRun, target: SyncTarget, progress: Progress | None = None,
                 client_factory: Callable[[], Any] | None = None) -> None:
        self.run, self.target, self.progress = run, target, progress
        self.token = credentials.resolve(target.credential_ref)
        self.client = client_factory or build_client_factory(target, self.token)
        self.builder = PayloadBuilder(target)
        self.counts: dict[str, int] = dict.fromkeys(COUNT_KEYS, 0)
        # the ledger rows of the run's work, read in bulk once (the session keeps them
        # across commits): no query per answer
        self._entries: dict[str, LedgerEntry] = {}

    # -- helpers -------------------------------------------------------------------------

    def _safe(self, text: str) -> str:
        return credentials.redact(text, self.token)[:2000]

    def _finish(self, status: str, message: str = "") -> dict[str, Any]:
        self.run.counts = dict(self.counts)
        model.Session.flush()
        RUNS.finish(self.run.id, status, self._safe(message))
        model.Session.commit()
        model.Session.refresh(self.run)
        return self.run.dictize()

    def _item(self, step: planner.Step, outcome: str, error: str | None = None,
              diff: list | None = None) -> None:
        model.Session.add(SyncRunItem(run_id=self.run.id, package_id=step.package_id,
                                      package_name=step.package_name, action=step.action,
                                      outcome=outcome, remote_name=step.remote_name,
                                      error=self._safe(error) if error else None, diff=diff))

    def _ledger(self, package_id: str) -> LedgerEntry | None:
        entry = self._entries.get(package_id)
        if entry is not None:
            return entry
        return model.Session.query(LedgerEntry).filter_by(
            target_id=self.target.id, package_id=package_id).one_or_none()

    def _load_entries(self, work: list[planner.Step]) -> None:
        """Read the ledger rows of ``work`` in a few queries instead of one per dataset."""
        t = LedgerEntry.__table__
        ids = [step.package_id for step in work]
        for start in range(0, len(ids), 1000):
            for entry in model.Session.query(LedgerEntry).filter(
                    t.c.target_id == self.target.id, t.c.package_id.in_(ids[start:start + 1000])):
                self._entries[entry.package_id] = entry

    # -- life cycle ----------------------------------------------------------------------

    def execute(self) -> dict[str, Any]:
        lock = _advisory_lock(self.target.id)
        if lock is None:
            return self._finish("failed", "Another run of this target is in progress.")
        try:
            RUNS.start(self.run.id)
            model.Session.commit()
            model.Session.refresh(self.run)
            with RUNS.heartbeat(self.run.id, config.sync_heartbeat_seconds()):
                return self._execute()
        except Exception as exc:
            log.exception("sync run %s failed", self.run.id)
            model.Session.rollback()
            return self._finish("failed", f"The run stopped: {exc}")
        finally:
            lock.execute(sa.text("SELECT pg_advisory_unlock_all()"))
            lock.close()

    def _execute(self) -> dict[str, Any]:
        if self.target.credential_ref and not self.token:
            return self._finish("failed", f"The credential '{self.target.credential_ref}' is "
                                "not set on the server: define it before running.")
        ledger = load_ledger(self.target.id)
        prepared: dict[str, Prepared] = {}
        for pkg in iter_selected(self.target.selection or {}):
            item = self.builder.prepare(pkg, ledger.get(pkg["id"]))
            prepared[pkg["id"]] = item
        if self.target.type == "harvest" or (
                self.target.type == "jabar" and self.target.jabar_mode == "export"):
            return self._readiness_only(prepared)
        self._check_remote_orgs(prepared)
        plan = planner.plan(
            (p.state for p in prepared.values()), ledger, prefix=self.target.name_prefix,
            only_failed=self.run.only_failed, max_withdraw_share=self.target.withdraw_max_share,
            confirmed=self.run.confirm_withdrawal)
        self.counts["unchanged"] = plan.count(planner.UNCHANGED)
        if plan.needs_confirmation:
            return self._finish("needs_confirmation", plan.message)
        work = plan.work()
        self.run.total = len(work)
        if self.run.dry_run:
            return self._dry_run(plan, prepared)
        for step in plan.steps:
            if step.action == planner.SKIP:
                self._fail(step, step.reason, planner.BLOCKED)
            elif step.action == planner.FORGET:
                model.Session.query(LedgerEntry).filter_by(
                    target_id=self.target.id, package_id=step.package_id).delete()
        self._load_entries(work)
        self._write_ahead([s for s in work if s.action == planner.CREATE])
        model.Session.commit()
        self._push(work, prepared)
        failed = self.counts["failed"]
        status = "succeeded" if not failed else "partial"
        msg = f"{failed} dataset(s) failed; see the errors below." if failed else ""
        return self._finish(status, msg)

    def _check_remote_orgs(self, prepared: dict[str, Prepared]) -> None:
        """Organization mapping checked before any push: unknown remote orgs block datasets."""
        if self.target.type != "ckan":
            return
        wanted = sorted({p.remote_org for p in prepared.values()
                         if p.remote_org and not p.state.problems and p.package is not None})
        if not wanted:
            return
        present = self.client().organization_names(wanted)
        for pid, item in prepared.items():
            if item.remote_org and not present.get(item.remote_org, True):
                problem = (f"Remote organization '{item.remote_org}' does not exist on the "
                           "target: create it there or fix the organization mapping.")
                item.state = planner.LocalDataset(
                    item.state.id, item.state.name, item.state.content_hash,
                    item.state.organization, (*item.state.problems, problem))
                prepared[pid] = item

    def _readiness_only(self, prepared: dict[str, Prepared]) -> dict[str, Any]:
        """A harvester pulls (and an export is downloaded): a run reports who is ready."""
        for item in prepared.values():
            step = planner.Step(planner.SKIP, item.state.id, item.state.name, None)
            if item.state.problems:
                self._fail(step, "; ".join(item.state.problems), planner.BLOCKED)
            else:
                self.counts["unchanged"] += 1
        return self._finish("succeeded" if not self.counts["failed"] else "partial")

    def _dry_run(self, plan: planner.Plan, prepared: dict[str, Prepared]) -> dict[str, Any]:
        t = LedgerEntry.__table__
        rows = model.Session.execute(
            sa.select(t.c.package_id, t.c.payload).where(t.c.target_id == self.target.id)).all()
        old = dict(cast("list[tuple[str, dict[str, Any]]]", rows))  # 2-column rows
        for step in plan.steps:
            if step.action in (planner.CREATE, planner.UPDATE):
                item = prepared[step.package_id]
                assert item.package is not None
                new = self.builder.payload(item.package, step.remote_name or "", item.remote_org)
                diff = crosswalk.field_diff(old.get(step.package_id) if step.action ==
                                            planner.UPDATE else None, new)
                self._item(step, "planned", diff=diff)
                self.counts[_DONE[step.action]] += 1
            elif step.action == planner.WITHDRAW:
                self._item(step, "planned")
                self.counts["withdrawn"] += 1
            elif step.action == planner.SKIP:
                self._item(step, "blocked", step.reason)
                self.counts["failed"] += 1
        return self._finish("succeeded", "Dry run: nothing was sent.")

    def _write_ahead(self, creates: list[planner.Step]) -> None:
        """Reserve the remote name in the ledger before the create is sent."""
        for step in creates:
            entry = self._ledger(step.package_id)
            if entry is None:
                entry = LedgerEntry(target_id=self.target.id, package_id=step.package_id)
                model.Session.add(entry)
                self._entries[step.package_id] = entry
            entry.package_name, entry.remote_name = step.package_name, step.remote_name
            if entry.status != planner.CONFLICT:
                entry.status = planner.PENDING
            entry.last_run_id = self.run.id

    # -- pushing -------------------------------------------------------------------------

    def _call(self, step: planner.Step,
              prepared: dict[str, Prepared]) -> tuple[dict | None, str | None, dict | None]:
        """One remote write (in a worker thread): (remote dataset, hash, payload sent)."""
        client = self.client()
        if step.action == planner.WITHDRAW:
            if self.target.type == "jabar":
                client.withdraw(step.remote_name)
            else:
                client.withdraw(step.remote_id, step.remote_name, step.package_id,
                                self.target.withdraw_mode)
            return None, None, None
        item = prepared[step.package_id]
        assert item.package is not None
        payload = self.builder.payload(item.package, step.remote_name or "", item.remote_org)
        digest = self.builder.hash(payload)
        if self.target.type == "jabar":
            return client.push(step.remote_name, payload), digest, payload
        body = {**payload, "private": False, "state": "active"}
        if step.action == planner.CREATE:
            return client.create(body, step.package_id), digest, payload
        return client.update(step.remote_id, body, step.package_id,
                             self.builder.remote_wins), digest, payload

    def _push(self, work: list[planner.Step], prepared: dict[str, Prepared]) -> None:
        done = 0
        workers = max(1, min(self.target.concurrency or 1, 32))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync") as pool:
            futures: dict[Future, planner.Step] = {
                pool.submit(self._call, step, prepared): step for step in work}
            for future in as_completed(futures):
                step = futures[future]
                try:
                    result, digest, payload = future.result()
                    self._succeed(step, result, digest, payload, prepared)
                except NameTaken as exc:
                    self._fail(step, str(exc), planner.CONFLICT)
                except SyncError as exc:
                    self._fail(step, str(exc), planner.FAILED)
                except Exception as exc:
                    log.exception("sync of %s failed", step.package_name)
                    self._fail(step, messages.UNEXPECTED % {"kind": type(exc).__name__},
                               planner.FAILED)
                done += 1
                self.run.done, self.run.heartbeat = done, now()
                self.run.counts = dict(self.counts)
                model.Session.commit()
                if self.progress:
                    self.progress(done, len(work))

    def _succeed(self, step: planner.Step, result: dict | None, digest: str | None,
                 payload: dict | None, prepared: dict[str, Prepared]) -> None:
        entry = self._ledger(step.package_id)
        if entry is None:
            entry = LedgerEntry(target_id=self.target.id, package_id=step.package_id)
            model.Session.add(entry)
        entry.package_name = step.package_name or entry.package_name
        entry.last_pushed, entry.last_error, entry.last_run_id = now(), None, self.run.id
        if step.action == planner.WITHDRAW:
            entry.status = planner.WITHDRAWN
        else:
            assert result is not None
            item = prepared[step.package_id]
            entry.remote_id, entry.remote_name = result["id"], result.get("name", step.remote_name)
            entry.content_hash, entry.status = digest, planner.SYNCED
            entry.crosswalk_version = crosswalk.CROSSWALK_VERSION
            entry.payload = payload  # what the dry run diffs against next time
            item.package = None  # free memory as we go
        self.counts[_DONE[step.action]] += 1
        self._item(step, "ok")

    def _fail(self, step: planner.Step, error: str, status: str) -> None:
        entry = self._ledger(step.package_id)
        if entry is None:
            entry = LedgerEntry(target_id=self.target.id, package_id=step.package_id,
                                package_name=step.package_name)
            model.Session.add(entry)
        entry.status, entry.last_error = status, self._safe(error)
        entry.last_run_id = self.run.id
        self.counts["failed"] += 1
        self._item(step, "failed", error)


def execute_run(run_id: str, progress: Progress | None = None) -> dict[str, Any]:
    run = SyncRun.get(run_id)
    if run is None:
        raise ValueError(f"no sync run {run_id}")
    if run.status != QUEUED:  # reaped (never taken in time) or already executed
        return run.dictize()
    target = model.Session.get(SyncTarget, run.target_id)
    assert target is not None
    return Runner(run, target, progress).execute()
