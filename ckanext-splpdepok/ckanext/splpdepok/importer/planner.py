"""What an import has to do, decided from the old catalog, this portal and the import ledger.

Pure code (no CKAN, no network). The runner reads both sides and the ledger
(``splpdepok_import_record``: per imported object the hash of what was imported and the local
``metadata_modified`` right after the write) and executes the steps. Planning again after a run
(or a crash) yields only what is left, which is why a second run creates nothing.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

CREATE, UPDATE, UNCHANGED, CONFLICT, SKIP = "create", "update", "unchanged", "conflict", "skip"
MAP, EXISTS = "map", "exists"
# Reason codes (turned into messages by the runner).
NO_ORGANIZATION = "no_organization"
ORG_MISSING = "org_missing"
NOT_DATASET = "not_dataset"
NOT_ACTIVE = "not_active"
NAME_TAKEN = "name_taken"
DELETED_HERE = "deleted_here"
NOT_IMPORTED = "not_imported"
EDITED_HERE = "edited_here"
BAD_NAME = "bad_name"

_SLUG = re.compile(r"^[a-z0-9_-]{2,100}$")


@dataclass(frozen=True)
class Local:
    """A dataset, organization or group of this portal."""

    id: str
    name: str
    state: str = "active"
    modified: str | None = None


@dataclass(frozen=True)
class Record:
    """One row of the import ledger."""

    remote_id: str
    local_id: str
    content_hash: str
    local_modified: str | None = None


@dataclass(frozen=True)
class Candidate:
    """An old dataset, mapped and hashed; ``problem`` when it cannot be imported at all."""

    id: str
    name: str
    content_hash: str
    problem: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Step:
    action: str
    kind: str
    remote_id: str
    name: str
    local_name: str | None = None
    keep_id: bool = True
    reason: str | None = None
    detail: str = ""


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)

    def of(self, kind: str) -> list[Step]:
        return [s for s in self.steps if s.kind == kind]

    def counts(self, kind: str) -> dict[str, int]:
        return dict(Counter(s.action for s in self.of(kind)))

    def resolution(self, kind: str) -> dict[str, str | None]:
        """Old name -> the name here (None: not available, its datasets are skipped)."""
        return {s.name: s.local_name for s in self.of(kind)}


def valid_name(name: Any) -> bool:
    return isinstance(name, str) and bool(_SLUG.match(name))


def plan_groups(kind: str, remote: Iterable[Mapping[str, Any]], local: Mapping[str, Local],
                local_ids: set[str] | frozenset[str],
                org_map: Mapping[str, str] | None = None) -> list[Step]:
    """Organizations (``kind="organization"``, with the org map) or groups.

    - mapped in the org map -> map onto that organization here (conflict when it is missing);
    - a same-named one exists here -> use it;
    - otherwise -> create it, with the old id unless that id is used here already.
    """
    steps: list[Step] = []
    seen: set[str] = set()
    for item in remote:
        name, remote_id = item.get("name"), str(item.get("id") or "")
        if not isinstance(name, str) or name in seen:
            continue
        seen.add(name)
        target = (org_map or {}).get(name)
        if target is not None:
            if target in local:
                steps.append(Step(MAP, kind, remote_id, name, target))
            else:
                steps.append(Step(CONFLICT, kind, remote_id, name, None, reason=ORG_MISSING,
                                  detail=target))
        elif name in local:
            steps.append(Step(EXISTS, kind, remote_id, name, name))
        elif not valid_name(name):
            steps.append(Step(SKIP, kind, remote_id, name, None, reason=BAD_NAME,
                              detail=name))
        else:
            steps.append(Step(CREATE, kind, remote_id, name, name,
                              keep_id=bool(remote_id) and remote_id not in local_ids))
    return steps


def plan_datasets(candidates: Iterable[Candidate], local_by_id: Mapping[str, Local],
                  local_by_name: Mapping[str, Local],
                  records: Mapping[str, Record]) -> list[Step]:
    """Datasets, kept under their old id and name:

    - not here -> create (conflict when another dataset here has the name);
    - here and imported before, same content -> unchanged;
    - here, imported before, changed on the old portal, untouched here -> update;
    - edited here since the last import, deleted here, or here but never imported -> conflict
      (left untouched and reported, never overwritten).
    """
    steps: list[Step] = []
    for c in candidates:
        if c.problem:
            steps.append(Step(SKIP, "dataset", c.id, c.name, reason=c.problem, detail=c.detail))
            continue
        here = local_by_id.get(c.id)
        owner = local_by_name.get(c.name)
        if owner is not None and owner.id != c.id:
            steps.append(Step(CONFLICT, "dataset", c.id, c.name, reason=NAME_TAKEN,
                              detail=owner.id))
            continue
        if here is None:
            steps.append(Step(CREATE, "dataset", c.id, c.name, c.name))
            continue
        record = records.get(c.id)
        if here.state != "active":
            steps.append(Step(CONFLICT, "dataset", c.id, c.name, reason=DELETED_HERE))
        elif record is None:
            steps.append(Step(CONFLICT, "dataset", c.id, c.name, reason=NOT_IMPORTED))
        elif record.content_hash == c.content_hash:
            steps.append(Step(UNCHANGED, "dataset", c.id, c.name, here.name))
        elif record.local_modified and here.modified != record.local_modified:
            steps.append(Step(CONFLICT, "dataset", c.id, c.name, reason=EDITED_HERE,
                              detail=here.modified or ""))
        else:
            steps.append(Step(UPDATE, "dataset", c.id, c.name, c.name))
    return steps
