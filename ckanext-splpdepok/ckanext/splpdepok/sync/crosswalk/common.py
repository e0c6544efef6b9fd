"""Reading values out of a local package dict, whatever shape it came in.

``package_show`` with the SDI schema puts national fields at the top level; without scheming
(or from an older export) they sit in ``extras``. Both are read the same way here so the
crosswalks do not care.
"""
from __future__ import annotations

from typing import Any

CITY_NAME = "Kota Depok"


def is_blank(value: Any) -> bool:
    """None, empty/whitespace strings and empty containers count as "not filled in"."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict | set):
        return not value
    return False


def extras_dict(pkg: dict[str, Any]) -> dict[str, Any]:
    """The package's free-form extras as a plain dict (later duplicates win)."""
    out: dict[str, Any] = {}
    for extra in pkg.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key"):
            out[str(extra["key"])] = extra.get("value")
    return out


def value(pkg: dict[str, Any], key: str) -> Any:
    """A field from the top level, falling back to ``extras``; None when blank."""
    found = pkg.get(key)
    if is_blank(found):
        found = extras_dict(pkg).get(key)
    return None if is_blank(found) else found


def tag_names(pkg: dict[str, Any]) -> list[str]:
    """Free tags (no vocabulary tags), de-duplicated and sorted so the payload is stable."""
    names: set[str] = set()
    for tag in pkg.get("tags") or []:
        if isinstance(tag, dict):
            if tag.get("vocabulary_id"):
                continue
            name = tag.get("name") or tag.get("display_name")
        else:
            name = tag
        if not is_blank(name):
            names.add(str(name).strip())
    tag_string = pkg.get("tag_string")
    if not names and isinstance(tag_string, str):
        names.update(t.strip() for t in tag_string.split(",") if t.strip())
    return sorted(names)


def group_names(pkg: dict[str, Any]) -> list[str]:
    names = {
        str(g.get("name") if isinstance(g, dict) else g).strip()
        for g in pkg.get("groups") or []
        if not is_blank(g.get("name") if isinstance(g, dict) else g)
    }
    return sorted(names)


def organization_title(pkg: dict[str, Any]) -> str | None:
    org = pkg.get("organization")
    if isinstance(org, dict):
        return org.get("title") or org.get("name") or None
    return None


def live_resources(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """Resources in display order, deleted ones dropped."""
    resources = [
        r for r in pkg.get("resources") or []
        if isinstance(r, dict) and r.get("state", "active") == "active"
    ]
    return sorted(resources, key=lambda r: (r.get("position") is None, r.get("position") or 0))
