"""Validators of the import actions: hostile input gives a 409 and a message, no 500."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.importer import orgmap
from ckanext.splpdepok.sync.logic import validators as sync_validators

Invalid = tk.Invalid
MAX_URL = 500
MAX_MAP_ENTRIES = 1000
one_of = sync_validators.one_of


def _clean_text(value: Any, max_length: int) -> str:
    if not isinstance(value, str):
        raise Invalid(tk._("Must be text"))
    if "\x00" in value:
        raise Invalid(tk._("Must not contain a NUL character"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Invalid(tk._("Must be valid UTF-8 text")) from exc
    if len(value) > max_length:
        raise Invalid(tk._("Must be at most {n} characters").format(n=max_length))
    return value.strip()


def source_url(value: Any, context: Any) -> str:
    """The old portal's base address: http(s), printable ASCII (punycode for IDN hosts)."""
    text = _clean_text(value, MAX_URL)
    if not text.isascii() or any(c.isspace() or ord(c) < 32 for c in text):
        raise Invalid(tk._("Enter an http(s) address"))
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise Invalid(tk._("Enter an http(s) address"))
    return text.rstrip("/")


def credential_ref(value: Any, context: Any) -> str:
    """The name of the setting holding the old portal's token: the sync capability's rule."""
    return sync_validators.credential_ref(_clean_text(value, 200), context)


def org_map(value: Any, context: Any) -> dict[str, str]:
    """A JSON object {old: new}, or the text of a YAML/CSV organization map."""
    try:
        if isinstance(value, dict):
            if len(value) > MAX_MAP_ENTRIES:
                raise Invalid(tk._("Too many entries"))
            pairs = {_clean_text(k, 100): _clean_text(v, 100) for k, v in value.items()}
            return orgmap.parse_pairs(pairs)
        text = _clean_text(value, 200_000)
        csv_shaped = text.splitlines()[0].strip() == "old,new" if text else False
        return orgmap.parse(text, "map.csv" if csv_shaped else "map.yaml")
    except orgmap.OrgMapError as exc:
        raise Invalid(tk._("Organization map: {error}").format(error=str(exc))) from exc
