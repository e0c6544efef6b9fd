"""Drift between this portal and the national copy (pure code, no CKAN import).

ckanext-harvest's CKAN harvester never deletes: a dataset withdrawn or made private here stays
public in the national catalog until the national team removes it. ``compare`` lists, per local
dataset, what the national catalog shows for the same id and what to ask for.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ckanext.splpdepok.sync.remote_read import RemoteDataset

# finding -> what the request to the national team asks for
FINDINGS = {
    "withdrawn_still_public": "remove the dataset from the national catalog",
    "private_still_public": "remove or hide the dataset in the national catalog",
    "missing_remote": "harvest the dataset (it is public here)",
    "unknown": "check again later (the national catalog did not answer)",
}


@dataclass(frozen=True)
class LocalDataset:
    id: str
    name: str
    title: str
    state: str  # active, deleted or draft
    private: bool

    @property
    def public(self) -> bool:
        return self.state == "active" and not self.private


@dataclass(frozen=True)
class Finding:
    finding: str
    id: str
    name: str
    title: str
    state_here: str  # public, private, draft or deleted
    remote_name: str
    detail: str  # why nothing is known (``unknown`` only)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def state_here(pkg: LocalDataset) -> str:
    if pkg.state == "deleted":
        return "deleted"
    if pkg.state != "active":
        return "draft"
    return "private" if pkg.private else "public"


def compare(local: Iterable[LocalDataset],
            remote: Mapping[str, RemoteDataset]) -> tuple[list[Finding], Counter[str]]:
    """Findings for every local dataset whose national state is wrong (or unknown), and the
    counts of every outcome, ``in_step`` included. A local dataset without a remote lookup is
    ``unknown``, never in step."""
    findings: list[Finding] = []
    counts: Counter[str] = Counter()
    for pkg in local:
        seen = remote.get(pkg.id) or RemoteDataset(pkg.id, False, error="not looked up")
        here = state_here(pkg)
        if seen.error:
            kind = "unknown"
        elif pkg.public:
            kind = "in_step" if seen.public else "missing_remote"
        elif seen.public:
            kind = "withdrawn_still_public" if here == "deleted" else "private_still_public"
        else:
            kind = "in_step"
        counts[kind] += 1
        if kind != "in_step":
            findings.append(Finding(kind, pkg.id, pkg.name, pkg.title, here, seen.name,
                                    seen.error))
    order = list(FINDINGS)
    findings.sort(key=lambda f: (order.index(f.finding), f.name))
    return findings, counts
