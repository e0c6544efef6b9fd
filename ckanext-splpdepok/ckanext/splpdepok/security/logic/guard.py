"""What the request guard refuses with 400 before a view runs (views.py calls ``problem``).

- a path part, or any query or form parameter, holding a NUL byte or a lone surrogate, or a
  path part or query parameter longer than ``MAX_ARG``;
- a ``page`` number beyond ``MAX_PAGE`` (every page; the views answer other wrong pages);
- on the DCAT endpoints (``/catalog.*``, ``/dataset/<id>.<format>``, ``/dcat.json``), a
  ``modified_since`` that is not a date and a ``q``/``fq`` the search backend cannot parse:
  an unknown format: ckanext-dcat does not catch those and would answer 500.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.security.logic.validators import bad_text

if TYPE_CHECKING:
    from ckan.types import Context

MAX_ARG = 4000
MAX_PAGE = 100_000
DCAT_ENDPOINTS = ("dcat.read_catalog", "dcat.read_dataset", "dcat.read_dataset_series",
                  "dcat_json_interface.dcat_json")


def _values(multi: Any) -> list[tuple[str, str]]:
    return list(multi.items(multi=True)) if hasattr(multi, "items") else []


def _bad_date(text: str) -> bool:
    from dateutil.parser import parse

    try:
        parsed = parse(text)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return True
    return not 1 <= parsed.year <= 9999


def _bad_query(q: str | None, fq: str | None) -> str | None:
    from ckan.lib.search import SearchError

    params: dict[str, Any] = {"rows": 0}
    if q:
        params["q"] = q
    if fq:
        params["fq"] = fq
    user = tk.current_user
    context: Context = {
        "user": user.name if getattr(user, "is_authenticated", False) else ""}
    try:
        tk.get_action("package_search")(context, params)
    except (SearchError, tk.ValidationError) as error:
        return tk._("The search query cannot be read: %(error)s") % {"error": str(error)[:200]}
    return None


def _path_problem(view_args: Mapping[str, Any]) -> str | None:
    for value in view_args.values():
        if isinstance(value, str) and (bad_text(value) or len(value) > MAX_ARG):
            return tk._("The address holds invalid characters")
    return None


def _parameter_problem(args: Mapping[str, Any], form: Mapping[str, Any]) -> str | None:
    for key, value in _values(args) + _values(form):
        if bad_text(key) or (isinstance(value, str) and bad_text(value)):
            return tk._("Request parameters must not contain NUL bytes or invalid characters")
    for key, value in _values(args):
        if len(value) > MAX_ARG:
            return tk._("The request parameter %(key)s is too long") % {"key": key[:50]}
    page = (args.get("page") or "").strip()
    if re.fullmatch(r"[+-]?[0-9]+", page) and abs(int(page)) > MAX_PAGE:
        # a huge page overflows the database's OFFSET; smaller wrong ones the views answer
        return tk._("The page must be a whole number between 1 and %(max)s") % {"max": MAX_PAGE}
    return None


def _dcat_problem(args: Mapping[str, Any], view_args: Mapping[str, Any]) -> str | None:
    from ckanext.dcat.utils import CONTENT_TYPES

    fmt = view_args.get("_format")
    if fmt is not None and fmt not in CONTENT_TYPES:
        return tk._("Unknown format; use one of: %(formats)s") % {
            "formats": ", ".join(sorted(CONTENT_TYPES))}
    since = args.get("modified_since")
    if since and _bad_date(since):
        return tk._("modified_since must be a date in ISO-8601 format")
    if args.get("q") or args.get("fq"):
        return _bad_query(args.get("q"), args.get("fq"))
    return None


def problem(endpoint: str, args: Mapping[str, Any], form: Mapping[str, Any],
            view_args: Mapping[str, Any] | None = None) -> str | None:
    """A message saying what is wrong with the request's parameters, or None."""
    view_args = view_args or {}
    found = _path_problem(view_args) or _parameter_problem(args, form)
    if found is None and endpoint in DCAT_ENDPOINTS:
        found = _dcat_problem(args, view_args)
    return found
