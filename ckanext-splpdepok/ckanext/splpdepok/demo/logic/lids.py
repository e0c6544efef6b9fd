"""Demo Katalog LID: the city's SPL IPPD, its LID entries and its connection plan with SPLP.

Idempotent: the IPPD by domain, an entry by its context (unique in the tenant), the plan by
IPPD; a second run changes nothing. Entries and the plan go through the LID actions, acting as
the demo walidata, so they carry the same checks and SOP events as the pages make.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, cast

import ckan.plugins.toolkit as tk
import yaml
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.ids import new_id

LIDS_FILE = Path(__file__).parent.parent / "data" / "lids.yaml"
FIELDS = ("name", "description", "endpoint_url", "output_format", "classification", "context",
          "version", "attributes")


def read(path: Path = LIDS_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _ippd(spec: dict[str, Any]) -> str:
    from ckanext.splpdepok.registration.model import Ippd

    if Ippd.by_domain(spec["domain"]) is not None:
        return "unchanged"
    org = model.Group.get(spec["organization"])
    admin = model.User.get(spec["admin"])
    if org is None or admin is None:
        raise ValueError(f"demo IPPD {spec['domain']}: organization or admin missing")
    stamp = now()
    model.Session.add(Ippd(id=new_id(), domain=spec["domain"], name=spec["name"],
                           organization_id=org.id, registration_id="demo",
                           admin_user_id=admin.id, tenant_domain=spec["domain"],
                           created=stamp, modified=stamp))
    model.repo.commit()
    return "created"


def _context(user: str) -> Context:
    return cast(Context, {"user": user, "ignore_auth": False})


def _entry(spec: dict[str, Any], domain: str, user: str) -> tuple[str, str]:
    from ckanext.splpdepok.lid.model import Lid

    existing = model.Session.query(Lid).filter(
        Lid.ippd_domain == domain, Lid.context == spec["context"]).one_or_none()
    data = {f: spec[f] for f in FIELDS if f in spec}
    data["version"] = str(data["version"])
    if existing is None:
        created = tk.get_action("splpdepok_lid_create")(_context(user), dict(
            data, ippd_domain=domain, datasets=spec.get("datasets") or [], ready=True))
        return created["id"], "created"
    changed = {f: v for f, v in data.items() if getattr(existing, f) != v}
    if not changed:
        return existing.id, "unchanged"
    tk.get_action("splpdepok_lid_update")(_context(user), dict(changed, id=existing.id))
    return existing.id, "updated"


def _plan(spec: dict[str, Any], domain: str, lid_ids: list[str], user: str) -> str:
    from ckanext.splpdepok.lid.model import Plan

    if Plan.get(domain) is not None:
        return "unchanged"
    plan = tk.get_action("splpdepok_lid_plan_create")(_context(user), {
        "ippd_domain": domain, "lid_ids": lid_ids})
    for step in spec.get("steps") or []:
        tk.get_action("splpdepok_lid_plan_advance")(_context(user), {
            "id": plan["id"], "transition": step, "note": spec.get("note") or ""})
    return "created"


def load(report: Any = lambda _msg: None, path: Path = LIDS_FILE) -> dict[str, Counter[str]]:
    """The IPPD, its LIDs and its plan (the plan needs ckanext.splpdepok.splp.base_url)."""
    from ckanext.splpdepok import config

    spec = read(path)
    summary: dict[str, Counter[str]] = {k: Counter() for k in ("ippd", "lid", "plan")}
    ippd = spec["ippd"]
    summary["ippd"][_ippd(ippd)] += 1
    user, ids = ippd["admin"], []
    for entry in spec["lids"]:
        lid_id, status = _entry(entry, ippd["domain"], user)
        ids.append(lid_id)
        summary["lid"][status] += 1
        report(f"LID {entry['name']}: {status}")
    if config.splp_base_url():
        status = _plan(spec["plan"], ippd["domain"], ids, user)
        summary["plan"][status] += 1
        report(f"connection plan {ippd['domain']}: {status}")
    else:
        report("connection plan: skipped (ckanext.splpdepok.splp.base_url is not set)")
    return summary
