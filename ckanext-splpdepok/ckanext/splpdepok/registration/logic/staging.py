"""Uploads kept across a failed form: a file chosen in the registration form is staged on the
server when the form does not validate, so the applicant fixes the field and posts again
without choosing the file again.

A staged file lives under ``ckan.storage_path``/splpdepok/staged/<token>/ (the content and a
small JSON record: owner, document kind, file name, when). The token goes into a hidden field
of the re-rendered form; it is unguessable (256 bits) and bound to the user who uploaded it, so
it is worth nothing to anyone else. Staged files are deleted once the registration stores them,
and any left behind are removed after :data:`LIFETIME` by the next staging.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common import clock

LIFETIME = dt.timedelta(hours=24)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class Staged:
    token: str
    kind: str
    filename: str
    size: int
    content: bytes


def _root() -> str:
    root = tk.config.get("ckan.storage_path")
    if not root:
        raise RuntimeError("ckan.storage_path is not set: registration documents need it")
    return os.path.join(root, "splpdepok", "staged")


def _directory(token: str) -> str | None:
    return os.path.join(_root(), token) if _TOKEN.match(token or "") else None


def stage(user_id: str, kind: str, filename: str, content: bytes) -> str:
    """Keeps one checked upload for ``user_id``; returns its token."""
    reap()
    token = secrets.token_urlsafe(32)
    directory = os.path.join(_root(), token)
    os.makedirs(directory, mode=0o750)
    with open(os.path.join(directory, "content"), "wb") as handle:
        handle.write(content)
    with open(os.path.join(directory, "meta.json"), "w", encoding="utf-8") as handle:
        json.dump({"user_id": user_id, "kind": kind, "filename": filename,
                   "created": clock.now().isoformat()}, handle)
    return token


def load(user_id: str, token: str, kind: str) -> Staged | None:
    """The staged file of ``token`` when it belongs to ``user_id``, is of ``kind`` and is not
    expired; None otherwise (a stale or foreign token is simply ignored)."""
    directory = _directory(token)
    if directory is None or not os.path.isdir(directory):
        return None
    try:
        with open(os.path.join(directory, "meta.json"), encoding="utf-8") as handle:
            meta = json.load(handle)
        created = dt.datetime.fromisoformat(meta["created"])
        if (meta.get("user_id") != user_id or meta.get("kind") != kind
                or clock.now() - clock.aware(created) > LIFETIME):
            return None
        with open(os.path.join(directory, "content"), "rb") as handle:
            content = handle.read()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Staged(token, kind, str(meta["filename"]), len(content), content)


def discard(user_id: str, tokens: list[str]) -> None:
    """Deletes staged files of ``user_id`` (after the registration stored them)."""
    for token in tokens:
        directory = _directory(token)
        if directory is None or not os.path.isdir(directory):
            continue
        try:
            with open(os.path.join(directory, "meta.json"), encoding="utf-8") as handle:
                owner = json.load(handle).get("user_id")
        except (OSError, ValueError):
            owner = None
        if owner == user_id:
            shutil.rmtree(directory, ignore_errors=True)


def reap(now: dt.datetime | None = None) -> int:
    """Removes staged files older than :data:`LIFETIME`; returns how many."""
    root = _root()
    if not os.path.isdir(root):
        return 0
    limit = ((now or clock.now()) - LIFETIME).timestamp()
    removed = 0
    for name in os.listdir(root):
        path = os.path.join(root, name)
        try:
            old = os.path.getmtime(path) < limit
        except OSError:
            continue
        if old and _TOKEN.match(name):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
