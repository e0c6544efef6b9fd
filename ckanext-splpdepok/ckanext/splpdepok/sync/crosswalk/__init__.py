"""Crosswalks from this portal's dataset dicts to what each sync target accepts.

Pure functions (no CKAN, no database). The ledger stores ``CROSSWALK_VERSION`` next to each
content hash: bump it whenever the output of ``to_ckan`` or ``to_jabar`` changes for the same
input, so the sync engine knows old hashes are not comparable.
"""
from __future__ import annotations

from .ckan import EXTRAS_MODES, to_ckan
from .compare import canonical_json, content_hash, field_diff
from .jabar import JABAR_REGIONAL_ID, to_jabar

CROSSWALK_VERSION = "1"

__all__ = [
    "CROSSWALK_VERSION",
    "EXTRAS_MODES",
    "JABAR_REGIONAL_ID",
    "canonical_json",
    "content_hash",
    "field_diff",
    "to_ckan",
    "to_jabar",
]
