"""One framework for background runs: catalog sync of a target, SPLP publication of a plan.

A run is a row (``queued`` → ``running`` → ``done``/``failed``) of a table with the columns
``id``, the owner column (``target_id``, ``plan_id``), ``status``, ``dry_run``, ``job_id``,
``message``, ``created``, ``started``, ``heartbeat`` and ``finished``. A :class:`RunKind`
describes one such table and its RQ queue, and gives every user the same life cycle:

* :meth:`RunKind.create` takes a transaction-scoped advisory lock on the owner (two requests
  arriving together serialise; no row lock is held across HTTP), refuses while another run is
  alive, and commits only when the caller did not ask for ``defer_commit``;
* :meth:`RunKind.enqueue` hands a committed run to ``ckan jobs worker <queue>`` (under
  ``defer_commit`` it waits for the caller's commit, so the worker never looks for a row that
  does not exist yet);
* :class:`Heartbeat` stamps a running run alive on its own connection;
* :meth:`RunKind.reap` marks failed the runs whose worker died. The scheduler
  (``ckan splpdepok sync schedule``) and the worker call it; pages never write.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.common.clock import aware, now
from ckanext.splpdepok.common.ids import new_id
from sqlalchemy import event, exc, orm
from sqlalchemy.engine import CursorResult

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
STALE_MESSAGE = ("The run stopped answering (worker killed or crashed); the next run resumes "
                 "from the ledger.")


class AlreadyRunning(Exception):
    """Another run of the same owner is queued or running."""


@dataclass(frozen=True)
class RunKind:
    """One kind of background run: its table, owner column, queue and time limits."""

    name: str
    table: sa.Table
    owner: str
    queue: str
    job: Callable[[str], Any]
    timeout_seconds: Callable[[], int]
    stale_after_seconds: Callable[[], int]
    dry_runs_exclusive: bool = True

    @property
    def _owner(self) -> sa.Column[Any]:
        return self.table.c[self.owner]

    def lock(self, owner_id: str) -> None:
        """Serialise run creation for one owner until the transaction ends."""
        model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                              {"key": f"{self.name}:{owner_id}"})

    def active(self, owner_id: str, *, real_only: bool = False) -> dict[str, Any] | None:
        """The owner's newest live run (only real ones with ``real_only``)."""
        t = self.table
        query = sa.select(t).where(self._owner == owner_id, t.c.status.in_(ACTIVE))
        if real_only:
            query = query.where(t.c.dry_run.is_(False))
        row = model.Session.execute(query.order_by(t.c.created.desc()).limit(1)).first()
        return dict(row._mapping) if row is not None else None

    def blocking(self, owner_id: str, *, dry_run: bool) -> dict[str, Any] | None:
        """The live run that forbids a new one. With ``dry_runs_exclusive`` any live run does;
        otherwise dry runs are always allowed and a real run waits only for real ones."""
        if self.dry_runs_exclusive:
            return self.active(owner_id)
        return None if dry_run else self.active(owner_id, real_only=True)

    def create(self, context: Context, owner_id: str, values: dict[str, Any]) -> str:
        """Insert a queued run and return its id; ``AlreadyRunning`` when one is alive.

        ``values`` are the kind's own columns (``dry_run``, ``triggered_by``, counts...).
        """
        self.lock(owner_id)
        self.reap(owner_id=owner_id, commit=False)
        if self.blocking(owner_id, dry_run=bool(values.get("dry_run"))) is not None:
            if not context.get("defer_commit"):  # the caller's batch is the caller's to end
                model.Session.rollback()
            raise AlreadyRunning(owner_id)
        run_id = new_id()
        model.Session.execute(self.table.insert().values(
            id=run_id, status=QUEUED, created=now(), **{self.owner: owner_id}, **values))
        if not context.get("defer_commit"):
            model.repo.commit()
        return run_id

    def enqueue(self, context: Context, run_id: str, *, title: str) -> None:
        """Hand the run to the worker, now or right after the caller's commit."""
        if context.get("defer_commit"):
            after_commit(lambda: self._enqueue(run_id, title))
        else:
            self._enqueue(run_id, title)

    def _enqueue(self, run_id: str, title: str) -> None:
        job = tk.enqueue_job(self.job, [run_id], title=title, queue=self.queue,
                             rq_kwargs={"timeout": self.timeout_seconds()})
        assert model.meta.engine is not None  # bound when CKAN loads
        with model.meta.engine.begin() as conn:
            conn.execute(self.table.update().where(self.table.c.id == run_id)
                         .values(job_id=job.id))

    def start(self, run_id: str) -> None:
        """Mark the run running (in the caller's session; the caller commits)."""
        stamp = now()
        model.Session.execute(self.table.update().where(self.table.c.id == run_id)
                              .values(status=RUNNING, started=stamp, heartbeat=stamp))

    def finish(self, run_id: str, status: str, message: str = "") -> None:
        """Mark the run finished (in the caller's session; the caller commits)."""
        model.Session.execute(self.table.update().where(self.table.c.id == run_id)
                              .values(status=status, message=message, finished=now()))

    def heartbeat(self, run_id: str, every: float) -> Heartbeat:
        return Heartbeat(self.table, run_id, every)

    def _limits(self, at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """(heartbeat older than this: dead, queued before this: never taken)."""
        return (at - dt.timedelta(seconds=self.stale_after_seconds()),
                at - dt.timedelta(seconds=self.timeout_seconds()))

    def stale(self, run: Mapping[str, Any], at: dt.datetime | None = None) -> bool:
        """Whether ``reap`` would mark this run (a row or its API dict) failed: read-only, for
        pages, which show such a run as not answering instead of writing."""
        stale, queued_limit = self._limits(at or now())
        if run.get("status") == RUNNING:
            last, limit = run.get("heartbeat") or run.get("started") or run.get("created"), stale
        elif run.get("status") == QUEUED:
            last, limit = run.get("created"), queued_limit
        else:
            return False
        if isinstance(last, str):
            last = dt.datetime.fromisoformat(last)
        return isinstance(last, dt.datetime) and aware(last) < limit

    def reap(self, at: dt.datetime | None = None, *, owner_id: str | None = None,
             commit: bool = True) -> int:
        """Mark failed the runs that stopped heartbeating, and queued runs no worker took
        within the job time-out. Returns how many."""
        at = at or now()
        t = self.table
        stale, queued_limit = self._limits(at)
        where = sa.or_(
            sa.and_(t.c.status == RUNNING,
                    sa.func.coalesce(t.c.heartbeat, t.c.started, t.c.created) < stale),
            sa.and_(t.c.status == QUEUED, t.c.created < queued_limit))
        if owner_id is not None:
            where = sa.and_(where, self._owner == owner_id)
        result = cast(CursorResult, model.Session.execute(
            t.update().where(where).values(status=FAILED, finished=at, message=STALE_MESSAGE)))
        if commit:
            model.Session.commit()
            model.Session.expire_all()  # CKAN's session does not expire on commit
        if result.rowcount:
            log.warning("marked %s stale %s run(s) failed", result.rowcount, self.name)
        return result.rowcount


class Heartbeat(threading.Thread):
    """Stamps a run alive on its own connection; it dies with the process, which is what the
    reaper detects. Use as a context manager around the run's work."""

    def __init__(self, table: sa.Table, run_id: str, every: float) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{run_id[:8]}")
        self.table, self.run_id, self.every = table, run_id, every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                assert model.meta.engine is not None  # bound when CKAN loads
                with model.meta.engine.begin() as conn:
                    conn.execute(self.table.update().where(self.table.c.id == self.run_id)
                                 .values(heartbeat=now()))
            except exc.SQLAlchemyError:  # a missed beat is harmless; a dead process is not
                log.warning("heartbeat of run %s failed", self.run_id, exc_info=True)

    def __enter__(self) -> Heartbeat:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.join(timeout=self.every + 1)


_AFTER_COMMIT = "splpdepok_after_commit"


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current session commits; drop it if the session rolls back."""
    model.Session().info.setdefault(_AFTER_COMMIT, []).append(callback)


@event.listens_for(orm.Session, "after_commit")
def _run_after_commit(session: orm.Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        callback()


@event.listens_for(orm.Session, "after_soft_rollback")
def _drop_after_commit(session: orm.Session, _previous: Any) -> None:
    session.info.pop(_AFTER_COMMIT, None)

