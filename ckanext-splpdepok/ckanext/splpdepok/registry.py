"""Collects what each capability folder contributes, so plugin.py stays lean.

Every capability (``registration``, ``lid``, ``sync``, ...) has a ``capability.py`` module that
may define any of: ``actions()``, ``auth_functions()``, ``validators()``, ``helpers()``,
``blueprints()``, ``cli_commands()`` and ``admin_tabs()``. Adding a capability means adding its
name to ``CAPABILITIES``; nothing else in plugin.py changes.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any, cast

import yaml

CAPABILITIES: tuple[str, ...] = ("demo", "security", "sop", "notify", "registration", "lid",
                                 "sync", "importer", "schemas")


def _collect_dict(hook: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in CAPABILITIES:
        module = import_module(f"ckanext.splpdepok.{name}.capability")
        items: dict[str, Any] = getattr(module, hook, dict)()
        clash = merged.keys() & items.keys()
        if clash:
            raise RuntimeError(f"{name} redefines {sorted(clash)} ({hook})")
        merged.update(items)
    return merged


def _collect_list(hook: str) -> list[Any]:
    collected: list[Any] = []
    for name in CAPABILITIES:
        module = import_module(f"ckanext.splpdepok.{name}.capability")
        collected.extend(getattr(module, hook, list)())
    return collected


def actions() -> dict[str, Callable[..., Any]]:
    return _collect_dict("actions")


def auth_functions() -> dict[str, Callable[..., Any]]:
    return _collect_dict("auth_functions")


def validators() -> dict[str, Callable[..., Any]]:
    return _collect_dict("validators")


def helpers() -> dict[str, Callable[..., Any]]:
    collected = _collect_dict("helpers")
    collected["splpdepok_admin_tabs"] = admin_tabs
    from ckanext.splpdepok.common import helpers as common_helpers

    collected.update(common_helpers.all_helpers())
    return collected


def blueprints() -> list[Any]:
    return _collect_list("blueprints")


def cli_commands() -> list[Any]:
    """Subcommands of ``ckan splpdepok`` (the group itself is built in cli.py)."""
    return _collect_list("cli_commands")


def config_declarations(declaration: Any, key: Any) -> None:
    """IConfigDeclaration: config_declaration.yaml, then each capability's
    ``declare_config_options(declaration, key)`` (settings declared in code)."""
    path = Path(__file__).with_name("config_declaration.yaml")
    declaration.load_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
    for name in CAPABILITIES:
        module = import_module(f"ckanext.splpdepok.{name}.capability")
        hook = getattr(module, "declare_config_options", None)
        if hook is not None:
            hook(declaration, key)


# For ``tk.blanket.config_declarations``: CKAN calls a function subject with (declaration, key)
# (ckan.plugins.blanket._declaration_implementation) but types subjects as factories of a dict.
config_declarations_subject = cast("Callable[..., dict[str, Any]]", config_declarations)


def admin_tabs() -> list[tuple[str, str, str]]:
    """(endpoint, label, icon) for the tabs each capability adds to /ckan-admin.

    CKAN 2.11 has no config-driven admin tabs any more: templates/admin/base.html renders these.
    """
    return _collect_list("admin_tabs")
