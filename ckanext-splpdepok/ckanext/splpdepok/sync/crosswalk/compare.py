"""Content hash and field-by-field diff of crosswalk payloads (ledger and dry-run display)."""
from __future__ import annotations

import hashlib
import json
from typing import Any

# Lists of {"key": ..., "value": ...} rows compared as dicts ("extras.<key>", "metadata.<key>").
_KEY_VALUE_LISTS = ("extras", "metadata")
# Lists of {"name": ...} compared as sorted name lists.
_NAME_LISTS = ("tags", "groups")


def canonical_json(payload: Any) -> str:
    """Key-sorted, compact, UTF-8 JSON: equal payloads give equal text across runs."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def content_hash(payload: dict[str, Any]) -> str:
    """sha256 hex of the canonical JSON (dict key order does not matter, list order does)."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _rows_as_dict(rows: Any) -> dict[str, Any]:
    if not isinstance(rows, list):
        return {}
    return {
        str(r.get("key")): r.get("value") for r in rows if isinstance(r, dict) and "key" in r
    }


def _names(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    return sorted(str(i.get("name") if isinstance(i, dict) else i) for i in items)


def _resource_summary(resource: Any) -> str | None:
    if not isinstance(resource, dict):
        return None
    label = resource.get("name") or resource.get("url") or "?"
    fmt = resource.get("format")
    return f"{label} ({fmt})" if fmt else str(label)


def _diff_values(path: str, old: Any, new: Any, out: list[dict[str, Any]]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            _diff_values(f"{path}.{key}", old.get(key), new.get(key), out)
        return
    out.append({"field": path, "old": old, "new": new})


def _diff_resources(old: Any, new: Any, out: list[dict[str, Any]]) -> None:
    old_list = old if isinstance(old, list) else []
    new_list = new if isinstance(new, list) else []
    for index in range(max(len(old_list), len(new_list))):
        path = f"resources[{index}]"
        if index >= len(old_list):
            out.append({"field": path, "old": None, "new": _resource_summary(new_list[index])})
        elif index >= len(new_list):
            out.append({"field": path, "old": _resource_summary(old_list[index]), "new": None})
        else:
            _diff_values(path, old_list[index], new_list[index], out)


def field_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """[{"field", "old", "new"}] between two payloads, sorted by field path.

    ``old=None`` (never pushed) lists every field of ``new`` as added. Key/value lists compare
    per key, tag/group lists as sorted names, resources per position (an added or removed
    resource is summarised as "name (FORMAT)"), nested dicts per dotted path.
    """
    before: dict[str, Any] = old or {}
    out: list[dict[str, Any]] = []
    for key in sorted(set(before) | set(new)):
        a, b = before.get(key), new.get(key)
        if key in _KEY_VALUE_LISTS:
            _diff_values(key, _rows_as_dict(a), _rows_as_dict(b), out)
        elif key in _NAME_LISTS:
            if _names(a) != _names(b):
                out.append({"field": key, "old": _names(a) if a is not None else None,
                            "new": _names(b) if b is not None else None})
        elif key == "resources":
            _diff_resources(a, b, out)
        else:
            _diff_values(key, a, b, out)
    return out
