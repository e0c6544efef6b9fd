"""What a run has to do, decided from the ledger and the local catalog alone (pure code).

The planner never talks to CKAN or the network: the runner feeds it the selected local datasets
(with the content hash of the payload they would send) and the ledger rows of the target, and it
returns the steps. Because the ledger is written after every remote write, planning again after a
crash yields exactly the work that is left: this is how a run resumes.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ckanext.splpdepok.sync import messages

NAME_MAX = 100
# Ledger statuses.
SYNCED, PENDING, FAILED, CONFLICT, WITHDRAWN, BLOCKED = (
    "synced", "pending", "failed", "conflict", "withdrawn", "blocked")
# Plan actions.
CREATE, UPDATE, UNCHANGED, WITHDRAW, FORGET = "create", "update", "unchanged", "withdraw", "forget"
SKIP = "blocked"
RETRYABLE = frozenset({PENDING, FAILED, CONFLICT, BLOCKED})


@dataclass(frozen=True)
class LocalDataset:
    """A selected local dataset as the planner sees it."""

    id: str
    name: str
    content_hash: str
    organization: str | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class LedgerState:
    """One ledger row, reduced to what planning needs."""

    package_id: str
    remote_id: str | None
    remote_name: str | None
    content_hash: str | None
    status: str
    package_name: str = ""


@dataclass(frozen=True)
class Step:
    action: str
    package_id: str
    package_name: str
    remote_name: str | None
    remote_id: str | None = None
    reason: str = ""


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    live: int = 0
    needs_confirmation: bool = False
    message: str = ""

    def count(self, action: str) -> int:
        return sum(1 for s in self.steps if s.action == action)

    def counts(self) -> dict[str, int]:
        return dict(Counter(s.action for s in self.steps))

    def work(self) -> list[Step]:
        """Steps that need the remote (unchanged and blocked ones do not)."""
        return [s for s in self.steps if s.action in (CREATE, UPDATE, WITHDRAW)]

    @property
    def withdraw_share(self) -> float:
        return self.count(WITHDRAW) / self.live if self.live else 0.0


_NAME_RE = re.compile(r"[^a-z0-9_-]+")


def remote_name_for(local_name: str, prefix: str = "") -> str:
    """The wanted remote name: prefix + local name, cut to CKAN's 100 characters."""
    name = _NAME_RE.sub("-", f"{prefix}{local_name}".lower()).strip("-") or "dataset"
    return name[:NAME_MAX]


def allocate_name(local_name: str, prefix: str, taken: set[str] | frozenset[str]) -> str:
    """A remote name that no other dataset of ours uses: the wanted one, else ``-2``, ``-3``...

    ``taken`` holds the names already in this target's ledger. Names taken remotely by someone
    else are found only at push time; they are reported, never overwritten.
    """
    base = remote_name_for(local_name, prefix)
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: NAME_MAX - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def _local_step(ds: LocalDataset, entry: LedgerState | None, prefix: str,
                taken: set[str]) -> Step:
    """The step of one selected dataset (a new remote name is added to ``taken``)."""
    if ds.problems:
        return Step(SKIP, ds.id, ds.name, entry.remote_name if entry else None,
                    entry.remote_id if entry else None, "; ".join(ds.problems))
    if entry is None or not entry.remote_id:
        name = entry.remote_name if entry and entry.remote_name else None
        if name is None:
            name = allocate_name(ds.name, prefix, taken)
            taken.add(name)
        return Step(CREATE, ds.id, ds.name, name)
    if entry.status in (FAILED, WITHDRAWN, PENDING, BLOCKED, CONFLICT) or (
        entry.content_hash != ds.content_hash
    ):
        reason = "restore" if entry.status == WITHDRAWN else ""
        return Step(UPDATE, ds.id, ds.name, entry.remote_name, entry.remote_id, reason)
    return Step(UNCHANGED, ds.id, ds.name, entry.remote_name, entry.remote_id)


def plan(
    local: Iterable[LocalDataset],
    ledger: Mapping[str, LedgerState],
    *,
    prefix: str = "",
    only_failed: bool = False,
    max_withdraw_share: float = 1.0,
    confirmed: bool = False,
) -> Plan:
    """Steps that bring the remote in line with the local selection.

    - selected and not in the ledger (or never created) -> create, under a stable name;
    - selected with a different hash, a failed last attempt or withdrawn before -> update;
    - in the ledger (and live remotely) but no longer selected -> withdraw;
    - selected but not pushable (missing fields, unmapped organization) -> blocked;
    - never created remotely and no longer selected -> forget (drop the ledger row).
    A plan whose withdrawals exceed ``max_withdraw_share`` of the live remote datasets needs a
    confirmation: it is returned flagged and the runner does nothing.
    """
    result = Plan()
    taken = {e.remote_name for e in ledger.values() if e.remote_name}
    seen: set[str] = set()
    result.live = sum(1 for e in ledger.values() if e.remote_id and e.status != WITHDRAWN)

    for ds in local:
        seen.add(ds.id)
        entry = ledger.get(ds.id)
        if only_failed and (entry is None or entry.status not in RETRYABLE):
            continue
        result.steps.append(_local_step(ds, entry, prefix, taken))

    for package_id, entry in ledger.items():
        if package_id in seen or entry.status == WITHDRAWN:
            continue
        if only_failed and entry.status not in RETRYABLE:
            continue
        if entry.remote_id or (entry.status == PENDING and entry.remote_name):
            # A pending create may have reached the remote before a crash: withdraw it too.
            result.steps.append(Step(WITHDRAW, package_id, entry.package_name,
                                     entry.remote_name, entry.remote_id))
        else:
            result.steps.append(Step(FORGET, package_id, entry.package_name, entry.remote_name))

    withdrawals = result.count(WITHDRAW)
    if withdrawals and not confirmed and result.withdraw_share > max_withdraw_share:
        result.needs_confirmation = True
        result.message = messages.WITHDRAW_LIMIT % {
            "count": withdrawals, "live": result.live, "share": f"{result.withdraw_share:.0%}",
            "limit": f"{max_withdraw_share:.0%}"}
    return result
