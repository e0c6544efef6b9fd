"""Validated settings of the search backend (read through ckanext.splpdepok.config)."""
from __future__ import annotations

import re

_CONFIG_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def text_config() -> str:
    """The text search configuration, checked so it can be spliced as a regconfig literal."""
    from ckanext.splpdepok import config

    name = config.search_text_config().strip().lower()
    if not _CONFIG_NAME_RE.match(name):
        raise ValueError(f"invalid ckanext.splpdepok.search.text_config: {name!r}")
    return name
