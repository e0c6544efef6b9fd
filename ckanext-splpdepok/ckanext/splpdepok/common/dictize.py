"""Rows to API dicts: every column, datetimes as aware ISO 8601."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from ckanext.splpdepok.common.clock import iso


def dictize(obj: Any, columns: Iterable[sa.Column[Any]], skip: tuple[str, ...] = ()
            ) -> dict[str, Any]:
    """The row's columns (those not in ``skip``) with datetimes as ISO strings."""
    return {c.name: iso(getattr(obj, c.name)) for c in columns if c.name not in skip}
