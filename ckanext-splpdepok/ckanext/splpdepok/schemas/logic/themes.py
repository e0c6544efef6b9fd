"""Kategori (``theme``) and the portal's theme groups.

The choices of Kategori are the portal's groups (the themes, ``/group``); the stored value is
the group title, as the national catalog and Satu Data Jabar read it. Saving a dataset puts it
in the groups its Kategori names (and takes it out of those its previous Kategori named), so a
dataset with Kategori "Kesehatan" is listed under ``/group/kesehatan``. Memberships are written
directly: choosing a Kategori is the dataset editor's call, while CKAN's ``member_create`` would
ask for rights in the group.
"""
from __future__ import annotations

from typing import Any

from ckan import model
from ckanext.splpdepok.schemas import rules

# The Kategori stored before an update, kept on the Package instance being updated (the
# validators get a copy of the action's context, so it cannot carry it to the after-save hook).
PREVIOUS_THEME = "_splpdepok_previous_theme"


def remember_previous_theme(package: model.Package) -> None:
    """Called by the theme validator during ``package_update`` (before anything is saved)."""
    if not hasattr(package, PREVIOUS_THEME):
        setattr(package, PREVIOUS_THEME, package.extras.get("theme"))


def _groups() -> list[model.Group]:
    query = model.Session.query(model.Group).filter(
        model.Group.state == "active", model.Group.is_organization.is_(False),
        model.Group.type == "group")
    return sorted(query, key=lambda g: (g.title or g.name).casefold())


def theme_titles() -> dict[str, str]:
    """Group name -> title of every active theme group, by title."""
    return {g.name: (g.title or g.name) for g in _groups()}


def match_title(value: str, known: dict[str, str]) -> str | None:
    """The theme title ``value`` names (a title or a group name, any case)."""
    options = {title: [name] for name, title in known.items()}
    return rules.choice(value, options)


def choices() -> list[dict[str, str]]:
    """scheming ``choices_helper`` answer: one option per theme group."""
    return [{"value": title, "label": title} for title in theme_titles().values()]


def _group_ids(theme: Any) -> set[str]:
    if not isinstance(theme, str) or not theme.strip():
        return set()
    by_title = {(g.title or g.name).casefold(): g.id for g in _groups()}
    by_name = {g.name.casefold(): g.id for g in _groups()}
    ids = set()
    for part in rules.categories(theme):
        key = part.casefold()
        found = by_title.get(key) or by_name.get(key)
        if found:
            ids.add(found)
    return ids


def join_theme_groups(context: Any, package_id: str, theme: str | None) -> None:
    """After a dataset is saved: membership in the groups its Kategori (``theme``) names."""
    package = model.Package.get(package_id)
    if package is None or package.type != "dataset":
        return
    previous = package.__dict__.pop(PREVIOUS_THEME, None)
    wanted = _group_ids(theme)
    leaving = _group_ids(previous) - wanted
    members = {m.group_id: m for m in model.Session.query(model.Member).filter(
        model.Member.table_name == "package", model.Member.table_id == package.id)}
    for group_id in wanted:
        member = members.get(group_id)
        if member is None:
            # Member(group_id=...) is overwritten by its group=None default: pass the group
            model.Session.add(model.Member(group=model.Group.get(group_id),
                                           table_name="package", table_id=package.id,
                                           capacity="public", state="active"))
        elif member.state != "active":
            member.state = "active"
    for group_id in leaving:
        member = members.get(group_id)
        if member is not None and member.state == "active":
            member.state = "deleted"
