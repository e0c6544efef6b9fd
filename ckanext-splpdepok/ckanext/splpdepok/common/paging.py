"""One paging rule for every list action: a default page size and one maximum.

Pure: no CKAN import. ``common.schema.paging`` turns this into validators.
"""
from __future__ import annotations

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def bounded(limit: int | None, offset: int | None = 0) -> tuple[int, int]:
    """(limit, offset) clamped to the rule, for callers that do not go through a schema."""
    size = DEFAULT_LIMIT if limit is None else max(1, min(int(limit), MAX_LIMIT))
    return size, max(0, int(offset or 0))
