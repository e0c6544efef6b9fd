"""The local side of a run: which datasets go to a target, and the payload each would send."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.sync import crosswalk, planner, readiness

PAGE = 1000


def selection_query(selection: dict[str, Any]) -> str:
    """Solr-syntax filter for the target's selection; only datasets (not harvest sources or
    other package types) ever go; public and active is asked of package_search itself."""
    mode = selection.get("mode") or "all"
    values = [v for v in selection.get("values") or [] if v]
    if mode == "all":
        return "+dataset_type:dataset"
    if not values:
        return "id:__nothing__"
    field = {"organization": "organization", "tag": "tags"}[mode]
    quoted = " OR ".join('"{}"'.format(v.replace('"', "")) for v in values)
    return f"+dataset_type:dataset +{field}:({quoted})"


def iter_selected(selection: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Public, active datasets of the selection, a page at a time (validated dicts)."""
    search = tk.get_action("package_search")
    fq = selection_query(selection)
    start = 0
    while True:
        result = search(
            {"ignore_auth": True},
            {"q": "*:*", "fq": fq, "rows": PAGE, "start": start, "sort": "name asc",
             "include_private": False, "include_drafts": False},
        )
        rows = result["results"]
        yield from rows
        start += len(rows)
        if not rows or start >= result["count"]:
            return


@dataclass
class Prepared:
    """A local dataset with its target payload (payload kept only when it must be sent)."""

    state: planner.LocalDataset
    package: dict[str, Any] | None
    remote_org: str | None


class PayloadBuilder:
    """Builds and hashes the payload of one dataset for one target."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self.remote_wins = frozenset(
            k for k, v in (target.field_policy or {}).items() if v == "remote")

    def remote_org(self, pkg: dict[str, Any]) -> tuple[str | None, str | None]:
        """(remote organization, problem) for a ``ckan`` target."""
        org = (pkg.get("organization") or {}).get("name")
        if self.target.type != "ckan":
            return org, None
        if not org:
            return None, ("The dataset has no organization; a CKAN target needs one to map "
                          "it to a remote organization.")
        mapped = (self.target.org_map or {}).get(org)
        if not mapped:
            return None, (f"Organization '{org}' is not mapped for this target: add it to the "
                          "target's organization mapping.")
        return mapped, None

    def payload(self, pkg: dict[str, Any], name: str, remote_org: str | None) -> dict:
        if self.target.type == "jabar":
            return crosswalk.to_jabar(pkg, self.target.regional_id)
        return crosswalk.to_ckan(pkg, name=name, owner_org=remote_org or "",
                                 extras_mode=self.target.extras_mode)

    def hash(self, payload: dict[str, Any]) -> str:
        if self.remote_wins:
            payload = {k: v for k, v in payload.items() if k not in self.remote_wins}
        return crosswalk.content_hash(payload)

    def prepare(self, pkg: dict[str, Any], ledger: planner.LedgerState | None) -> Prepared:
        problems: list[str] = []
        remote_org, problem = self.remote_org(pkg)
        if problem:
            problems.append(problem)
        readiness_type = "ckan" if self.target.type == "ckan" else self.target.type
        missing = readiness.missing_fields(pkg, readiness_type)
        if missing:
            problems.append("Fill in the required fields before it can be sent: "
                            + ", ".join(missing))
        name = (ledger.remote_name if ledger and ledger.remote_name
                else planner.remote_name_for(pkg["name"], self.target.name_prefix))
        digest = "" if problems else self.hash(self.payload(pkg, name, remote_org))
        state = planner.LocalDataset(pkg["id"], pkg["name"], digest,
                                     (pkg.get("organization") or {}).get("name"),
                                     tuple(problems))
        keep = ledger is None or ledger.content_hash != digest or ledger.status != planner.SYNCED
        return Prepared(state, pkg if keep else None, remote_org)
