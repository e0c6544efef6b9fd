"""Schema fragments every list action shares, so paging has one rule."""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common.paging import DEFAULT_LIMIT, MAX_LIMIT


def between(low: int, high: int) -> Any:
    """A validator: an integer from ``low`` to ``high`` (a clear message otherwise)."""
    def check(value: Any) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise tk.Invalid(tk._("Must be a whole number")) from None
        if not low <= number <= high:
            raise tk.Invalid(tk._("Must be between %(low)s and %(high)s")
                             % {"low": low, "high": high})
        return number
    return check


def paging(default_limit: int = DEFAULT_LIMIT) -> dict[str, list[Any]]:
    """``limit`` (1..MAX_LIMIT, default ``default_limit``) and ``offset`` (0 or more)."""
    default = cast(Any, tk.get_validator("default"))
    return {
        "limit": [default(default_limit), between(1, MAX_LIMIT)],
        "offset": [default(0), between(0, 10**9)],
    }
