"""Runs an import: read the old portal, plan, and (unless a dry run) write here.

Writes go through this portal's own actions as the site user (a sysadmin: only sysadmins may
give ``package_create`` an id), each dataset in its own transaction together with its ledger row,
so a crash never leaves a dataset the next run would not recognise. A dataset the SDI schema
rejects is **skipped** (not created, not even as a draft), reported with CKAN's validation
message, and retried by the next run.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok import config
from ckanext.splpdepok.common.context import site_context
from ckanext.splpdepok.importer import mapping, planner
from ckanext.splpdepok.importer import model as ledger
from ckanext.splpdepok.importer.logic import messages
from ckanext.splpdepok.importer.source import OldPortal, SourceError
from ckanext.splpdepok.sync.client import RetryPolicy
from ckanext.splpdepok.sync.crosswalk import content_hash

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]  # (done, total, phase), as common.progress
FAILED = "failed"
DATASET_ACTIONS = (planner.CREATE, planner.UPDATE, planner.UNCHANGED, planner.CONFLICT,
                   planner.SKIP, FAILED)
GROUP_ACTIONS = (planner.CREATE, planner.MAP, planner.EXISTS, planner.CONFLICT, planner.SKIP,
                 FAILED)


class ImportFailed(Exception):
    """The import cannot start (old portal unreadable); the message is for the walidata."""


@dataclass
class Options:
    url: str
    token: str | None = None
    org_map: dict[str, str] = field(default_factory=dict)
    unmapped: str = mapping.KEEP
    dry_run: bool = False
    # False: leave the transaction open for the caller (an action called with defer_commit).
    commit: bool = True


def _local_groups() -> tuple[dict[str, planner.Local], dict[str, planner.Local], set[str]]:
    orgs: dict[str, planner.Local] = {}
    groups: dict[str, planner.Local] = {}
    ids: set[str] = set()
    for row in model.Session.query(model.Group.id, model.Group.name, model.Group.state,
                                   model.Group.is_organization):
        ids.add(row.id)
        if row.state == "active":
            (orgs if row.is_organization else groups)[row.name] = planner.Local(row.id, row.name)
    return orgs, groups, ids


def _local_datasets(ids: list[str], names: list[str]
                    ) -> tuple[dict[str, planner.Local], dict[str, planner.Local]]:
    by_id: dict[str, planner.Local] = {}
    by_name: dict[str, planner.Local] = {}
    query = model.Session.query(model.Package).filter(
        model.Package.id.in_(ids) | model.Package.name.in_(names))
    for pkg in query:
        modified = pkg.metadata_modified.isoformat() if pkg.metadata_modified else None
        local = planner.Local(pkg.id, pkg.name, pkg.state, modified)
        by_id[pkg.id] = local
        by_name[pkg.name] = local
    return by_id, by_name


def _candidate(pkg: dict[str, Any], orgs: dict[str, str | None], groups: dict[str, str | None],
               unmapped: str) -> tuple[planner.Candidate, mapping.Mapped]:
    old_org = mapping.organization_name(pkg)
    owner = orgs.get(old_org) if old_org else None
    mapped = mapping.map_dataset(pkg, owner_org=owner, unmapped=unmapped)
    mapped.payload["groups"] = [{"name": groups[g["name"]]} for g in mapped.payload["groups"]
                                if groups.get(g["name"])]
    problem, detail = None, ""
    if (pkg.get("type") or "dataset") != "dataset":
        problem, detail = planner.NOT_DATASET, str(pkg.get("type"))
    elif (pkg.get("state") or "active") != "active":
        problem = planner.NOT_ACTIVE
    elif not old_org:
        problem = planner.NO_ORGANIZATION
    elif not owner:
        problem, detail = planner.ORG_MISSING, old_org
    candidate = planner.Candidate(mapped.id, mapped.name, content_hash(mapped.payload),
                                  problem, detail)
    return candidate, mapped


class Importer:
    def __init__(self, options: Options, progress: Progress | None = None) -> None:
        self.options = options
        self.progress = progress or (lambda done, total, phase: None)
        attempts, backoff, max_wait = config.sync_retry_settings()
        self.portal = OldPortal(options.url, options.token,
                                timeout=config.sync_timeout_seconds(),
                                retry=RetryPolicy(attempts, backoff, max_wait))
        self.items: dict[str, list[dict[str, Any]]] = {
            "organization": [], "group": [], "dataset": []}
        self.unmapped: dict[tuple[str, str, str | None], dict[str, Any]] = {}
        self.uploads = 0
        self.upload_datasets: list[str] = []
        self.resources = 0

    # -- reading and planning -------------------------------------------------------------

    def read_and_plan(self) -> tuple[planner.Plan, dict[str, Any], dict[str, mapping.Mapped]]:
        try:
            version = self.portal.version()
            remote_orgs = self.portal.groups("organization")
            remote_groups = self.portal.groups("group")
            packages = self.portal.datasets(lambda d, t: self.progress(d, t, "read"))
        except SourceError as exc:
            raise ImportFailed(messages.source_error(str(exc))) from exc
        local_orgs, local_groups, group_ids = _local_groups()
        plan = planner.Plan()
        plan.steps += planner.plan_groups("organization", remote_orgs, local_orgs, group_ids,
                                          self.options.org_map)
        plan.steps += planner.plan_groups("group", remote_groups, local_groups, group_ids)
        orgs, groups = plan.resolution("organization"), plan.resolution("group")
        candidates: list[planner.Candidate] = []
        mapped: dict[str, mapping.Mapped] = {}
        for pkg in packages:
            candidate, result = _candidate(pkg, orgs, groups, self.options.unmapped)
            candidates.append(candidate)
            mapped[candidate.id] = result
            self._note(result)
        by_id, by_name = _local_datasets([c.id for c in candidates],
                                         [c.name for c in candidates])
        plan.steps += planner.plan_datasets(candidates, by_id, by_name,
                                            ledger.records("dataset"))
        originals = {"organization": {o.get("name"): o for o in remote_orgs},
                     "group": {g.get("name"): g for g in remote_groups}}
        self.version = version
        return plan, originals, mapped

    def _note(self, result: mapping.Mapped) -> None:
        self.resources += len(result.payload["resources"])
        if "upload" in result.notes:
            self.uploads += result.notes.count("upload")
            self.upload_datasets.append(result.name)
        for row in result.unmapped:
            key = (row.field, row.reason, row.kept_as)
            entry = self.unmapped.setdefault(key, {
                "field": row.field, "reason": row.reason, "kept_as": row.kept_as,
                "resource_field": row.resource_id is not None, "count": 0, "samples": [],
                "datasets": [], "message": messages.unmapped(row)})
            entry["count"] += 1
            if row.value not in entry["samples"] and len(entry["samples"]) < 5:
                entry["samples"].append(row.value[:200])
            if result.name not in entry["datasets"] and len(entry["datasets"]) < 20:
                entry["datasets"].append(result.name)

    # -- writing --------------------------------------------------------------------------

    def _item(self, kind: str, step: planner.Step, action: str | None = None,
              message: str = "", **extra: Any) -> None:
        self.items[kind].append({"id": step.remote_id, "name": step.name,
                                 "local_name": step.local_name, "action": action or step.action,
                                 "message": message or messages.reason(step.reason, step.detail),
                                 **extra})

    def _create_group(self, kind: str, step: planner.Step, item: dict[str, Any]) -> None:
        data: dict[str, Any] = {"name": step.name, "title": item.get("title") or step.name,
                                "description": item.get("description") or ""}
        for key in ("image_url", "image_display_url"):
            url = item.get(key)
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                data["image_url"] = url
                break
        if step.keep_id:
            data["id"] = step.remote_id
        savepoint = model.Session.begin_nested()
        try:
            result = tk.get_action(f"{kind}_create")(site_context(defer_commit=True), data)
            ledger.remember(kind, step.remote_id, result["id"], step.name, self.portal.url)
            savepoint.commit()
        except tk.ValidationError as exc:
            if savepoint.is_active:
                savepoint.rollback()
            self._item(kind, step, FAILED, messages.invalid(exc.error_summary))
            return
        self._commit()
        self._item(kind, step)

    def _commit(self) -> None:
        if self.options.commit:
            model.Session.commit()

    def _write_dataset(self, step: planner.Step, mapped: mapping.Mapped, digest: str) -> None:
        action = "package_create" if step.action == planner.CREATE else "package_update"
        problem = self._schema_errors(step, mapped)
        if problem:
            self._item("dataset", step, FAILED, problem)
            return
        # One savepoint per dataset: its ledger row commits with it, a failure undoes both.
        savepoint = model.Session.begin_nested()
        try:
            result = tk.get_action(action)(site_context(defer_commit=True), dict(mapped.payload))
            ledger.remember("dataset", mapped.id, result["id"], result["name"], self.portal.url,
                            digest, result.get("metadata_modified"))
            savepoint.commit()
        except tk.ValidationError as exc:
            if savepoint.is_active:
                savepoint.rollback()
            self._item("dataset", step, FAILED, messages.invalid(exc.error_summary))
            return
        except Exception as exc:  # one bad dataset must not stop the others
            if savepoint.is_active:
                savepoint.rollback()
            log.exception("import of dataset %s failed", mapped.id)
            self._item("dataset", step, FAILED, messages.failed(type(exc).__name__))
            return
        self._commit()
        self._item("dataset", step)

    def _schema_errors(self, step: planner.Step, mapped: mapping.Mapped,
                       new_orgs: frozenset[str] = frozenset(),
                       new_themes: dict[str, str] | None = None) -> str | None:
        """Validate like package_create/update would, without writing (CKAN's own actions
        roll the whole session back on a validation error, so they are called only for
        datasets that pass)."""
        from ckan.lib import plugins as lib_plugins

        plugin = lib_plugins.lookup_package_plugin("dataset")
        context = site_context(defer_commit=True, model=model, session=model.Session)
        # theme groups a real run creates before the datasets (Kategori names them)
        cast("dict[str, Any]", context)["splpdepok_planned_themes"] = dict(new_themes or {})
        if step.action == planner.CREATE:
            schema, action = plugin.create_package_schema(), "package_create"
        else:
            schema, action = plugin.update_package_schema(), "package_update"
        _data, errors = lib_plugins.plugin_validate(plugin, context, dict(mapped.payload),
                                                    schema, action)
        if mapped.payload.get("owner_org") in new_orgs:
            errors.pop("owner_org", None)  # created before the datasets in a real run
        return messages.invalid(tk.ValidationError(errors).error_summary) if errors else None

    def run(self) -> dict[str, Any]:
        plan, originals, mapped = self.read_and_plan()
        dry = self.options.dry_run
        for kind in ("organization", "group"):
            for step in plan.of(kind):
                if step.action == planner.CREATE and not dry:
                    self._create_group(kind, step, originals[kind].get(step.name) or {})
                else:
                    self._item(kind, step)
        steps = plan.of("dataset")
        new_orgs = {s.name for s in plan.of("organization") if s.action == planner.CREATE}
        new_themes = {s.name: str((originals["group"].get(s.name) or {}).get("title") or s.name)
                      for s in plan.of("group") if s.action == planner.CREATE}
        for done, step in enumerate(steps, 1):
            writes = step.action in (planner.CREATE, planner.UPDATE)
            problem = (self._schema_errors(step, mapped[step.remote_id], frozenset(new_orgs),
                                           new_themes)
                       if writes and dry else None)
            if problem:
                self._item("dataset", step, FAILED, problem)
            elif writes and not dry:
                self._write_dataset(step, mapped[step.remote_id],
                                    content_hash(mapped[step.remote_id].payload))
            else:
                self._item("dataset", step)
            self.progress(done, len(steps), "write")
        return self.report()

    def report(self) -> dict[str, Any]:
        def counts(kind: str, actions: tuple[str, ...]) -> dict[str, int]:
            found = Counter(i["action"] for i in self.items[kind])
            return {a: found.get(a, 0) for a in actions}

        datasets = counts("dataset", DATASET_ACTIONS)
        return {
            "source": self.portal.url, "remote_version": self.version,
            "method": self.portal.method, "include_private": bool(self.portal.token),
            "dry_run": self.options.dry_run, "unmapped_mode": self.options.unmapped,
            "organizations": {"counts": counts("organization", GROUP_ACTIONS),
                              "items": self.items["organization"]},
            "groups": {"counts": counts("group", GROUP_ACTIONS), "items": self.items["group"]},
            "datasets": {"counts": datasets, "items": self.items["dataset"]},
            "created": datasets[planner.CREATE], "updated": datasets[planner.UPDATE],
            "resources": self.resources, "uploads": self.uploads,
            "upload_datasets": self.upload_datasets,
            "uploads_message": messages.uploads(self.uploads) if self.uploads else "",
            "unmapped": sorted(self.unmapped.values(),
                               key=lambda e: (e["resource_field"], e["field"], e["reason"])),
        }


def run_import(options: Options, progress: Progress | None = None) -> dict[str, Any]:
    """Import (or with ``dry_run`` only plan) and return the report."""
    return Importer(options, progress).run()
