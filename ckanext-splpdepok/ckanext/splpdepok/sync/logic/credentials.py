"""Credentials by reference: targets name an environment variable or a setting, never a secret.

Only names under our own namespaces resolve, so a target cannot be pointed at ``SECRET_KEY`` or
the database URL and leak it to a remote server.
"""
from __future__ import annotations

import os
import re

import ckan.plugins.toolkit as tk

ENV_PREFIX = "SPLPDEPOK_SYNC_"
_REF_RE = re.compile(r"^(SPLPDEPOK_SYNC_[A-Z0-9_]+|ckanext\.splpdepok\.sync\.credential\.[\w.-]+)$")


def valid_reference(ref: str) -> bool:
    return ref == "" or bool(_REF_RE.match(ref))


def resolve(ref: str) -> str | None:
    """The secret the reference names, read at run time (None when unset)."""
    if not ref or not valid_reference(ref):
        return None
    if ref.startswith(ENV_PREFIX):
        return os.environ.get(ref) or None
    return tk.config.get(ref) or None


def redact(text: str, secret: str | None) -> str:
    """Belt and braces: errors echoed by a remote never carry the secret into logs or reports."""
    if secret and text:
        return text.replace(secret, "***")
    return text
