"""A thin guard in front of CKAN's ``package_search``.

CKAN's own schema crashes (TypeError -> HTTP 500) on blank numeric parameters such as
``rows=`` because ``int_validator`` turns them into None before a ``< 0`` check. Blank numeric
parameters are treated as not given; everything else is CKAN's action unchanged.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

_NUMERIC = ("rows", "start", "facet.limit", "facet.mincount")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@tk.chained_action
@tk.side_effect_free
def package_search(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    cleaned = {k: v for k, v in data_dict.items() if not (k in _NUMERIC and _blank(v))}
    return up_func(context, cleaned)
