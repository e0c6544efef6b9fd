"""Hostile input for the no-500 property test: values, request bodies and the list of what to
drive (every registered ``splpdepok_*`` action, every page of the extension's blueprints and
the DCAT endpoints), found at run time so that what other capabilities add is covered too."""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, cast

from hypothesis import strategies as st

NASTY_TEXT = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "(", ")", "*:*", "title:(", '"', "%", "_",
    "' OR 1=1 --", "../../etc/passwd", "9" * 400, "-1", "0", "1e309", "NaN", "true", "null",
    "<script>alert(1)</script>", "a" * 5000, "http://127.0.0.1:9/", "javascript:alert(1)",
    "ünïcödé ✓", "{}", "[]", "{\"mode\": 5}", "k = v\nx", "t/ctx", "depok.go.id",
]
NASTY_NUMBERS = [0, 1, -1, 2**31, 2**63, 10**30, -(10**30), 10**400, 1.5, float("inf"),
                 float("-inf"), float("nan")]
COMMON_KEYS = ["id", "name", "q", "fq", "limit", "offset", "page", "mine", "dry_run",
               "background", "url", "type", "datasets", "attributes", "classification",
               "ippd_domain", "transition", "ids", "unread_only", "status", "items",
               "organization", "dataset", "kind", "work_unit", "email", "note", "lid_ids",
               "tenant_domain", "selection", "org_map", "concurrency", "modified_since"]


def scalar(refs: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(NASTY_TEXT), st.text(max_size=20), st.sampled_from(NASTY_NUMBERS),
        st.integers(min_value=-(10**20), max_value=10**20), st.booleans(), st.none(),
        st.sampled_from(refs or ["x"]))


def value(refs: list[str]) -> st.SearchStrategy[Any]:
    base = scalar(refs)
    return st.one_of(base, base, st.lists(base, max_size=3),
                     st.dictionaries(st.sampled_from(["name", "type", "mode", "values", "a"]),
                                     base, max_size=3),
                     st.lists(st.dictionaries(st.sampled_from(["name", "type"]), base,
                                              max_size=2), max_size=2))


def body(keys: list[str], refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), value(refs), max_size=6)


def query(keys: list[str], refs: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Query-string pairs (repeated keys allowed, as browsers and scripts send them)."""
    text = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=15),
                     st.integers(min_value=-(10**25), max_value=10**25).map(str),
                     st.sampled_from(refs or ["x"]))
    return st.lists(st.tuples(st.sampled_from(keys), text), max_size=5)


def action_params(function: Any) -> list[str]:
    """Parameter names an action documents (``:param a, b:``) plus the common ones."""
    doc = inspect.getdoc(inspect.unwrap(function)) or ""
    named: list[str] = []
    for group in re.findall(r":param ([\w ,]+?):", doc):
        named += [n.strip() for n in group.split(",") if n.strip()]
    for group in re.findall(r":param (\w+)", doc):
        named.append(group)
    return list(dict.fromkeys(named + COMMON_KEYS))


def splpdepok_actions() -> dict[str, Any]:
    """Every ``splpdepok_*`` action the portal's plugins register (read from the plugins)."""
    from ckan.plugins.interfaces import IActions
    from ckanext.splpdepok.plugin import SplpdepokPlugin
    from ckanext.splpdepok.search.plugin import SplpdepokSearchPlugin

    found: dict[str, Any] = {}
    for plugin in (SplpdepokPlugin, SplpdepokSearchPlugin):
        # tk.blanket types the class it decorates as a bare Plugin: IActions is added at run time
        found.update(cast(IActions, plugin()).get_actions())
    return {k: v for k, v in sorted(found.items()) if k.startswith("splpdepok_")}


@dataclass
class Page:
    rule: str
    methods: list[str]
    arguments: list[str] = field(default_factory=list)


def extension_pages() -> list[Page]:
    """Every route of the extension's blueprints (path arguments left as ``<name>``)."""
    from ckanext.splpdepok import registry
    from flask import Flask

    app = Flask("splpdepok-routes")
    for blueprint in registry.blueprints():
        app.register_blueprint(blueprint)
    pages = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        pages.append(Page(rule.rule, methods, sorted(rule.arguments)))
    return sorted(pages, key=lambda p: p.rule)


DCAT_PAGES = [Page("/catalog.<fmt>", ["GET"], ["fmt"]), Page("/dataset/<id>.<fmt>", ["GET"],
              ["fmt", "id"]), Page("/dcat.json", ["GET"]), Page("/dataset/", ["GET"]),
              Page("/api/3/action/package_search", ["GET"])]
PAGE_KEYS = ["q", "fq", "page", "modified_since", "profiles", "sort", "plan", "organization",
             "classification", "output_format", "status", "format", "kind", "id", "step",
             "note", "name", "datasets", "attributes", "ready", "url", "type", "dry_run"]
FORMATS = ["ttl", "jsonld", "xml", "rdf", "n3", "csv", "json", "exe", "", "\x00"]
