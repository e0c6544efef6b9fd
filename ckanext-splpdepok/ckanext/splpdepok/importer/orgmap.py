"""The ``--org-map`` file: which old organization becomes which organization here (pure code).

Two shapes, chosen by the file name:

- YAML (``.yaml``/``.yml``): a mapping ``old-name: new-name``;
- CSV (``.csv``): a header row ``old,new`` then one pair per row.

Names are CKAN organization names (a-z, 0-9, ``-``, ``_``). Old organizations that are not
listed keep their name: used when such an organization exists here, created otherwise.
"""
from __future__ import annotations

import csv
import io
from typing import Any

import yaml

from .planner import valid_name


class OrgMapError(ValueError):
    """The file cannot be used; the message says what to fix."""


def parse_pairs(pairs: dict[Any, Any]) -> dict[str, str]:
    """Check a ready-made {old: new} mapping (from JSON)."""
    out: dict[str, str] = {}
    for old, new in pairs.items():
        if not valid_name(old) or not valid_name(new):
            raise OrgMapError(
                f"'{old}: {new}': organization names use 2-100 characters a-z, 0-9, - and _")
        out[old] = new
    return out


def parse(text: str, filename: str = "map.yaml") -> dict[str, str]:
    """{old name: new name} from the file's text."""
    if "\x00" in text:
        raise OrgMapError("the file contains a NUL character")
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != ["old", "new"]:
            raise OrgMapError("a CSV organization map starts with the header row 'old,new'")
        pairs: dict[str, str] = {}
        for row in reader:
            old, new = (row.get("old") or "").strip(), (row.get("new") or "").strip()
            if not old and not new:
                continue
            if old in pairs:
                raise OrgMapError(f"'{old}' is mapped twice")
            pairs[old] = new
        return parse_pairs(pairs)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise OrgMapError(f"not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise OrgMapError("a YAML organization map is a mapping 'old-name: new-name'")
    return parse_pairs(data)
