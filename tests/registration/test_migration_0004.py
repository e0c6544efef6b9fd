"""Migration 0004 keeps existing registrations: a free-text work unit becomes a reference to the
organization with exactly that name or title (never the walidata's), else a new organization
requested by that name; admin and LID registrations point at their IPPD's organization."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from ckan import model

from tests.pytest_splpdepok import MIGRATIONS, migrate
from tests.registration.conftest import found, make_org


def _before_0004() -> str:
    """The revision 0004 follows (the chain may be reordered when branches merge)."""
    import importlib.util

    path = MIGRATIONS / "splpdepok" / "versions" / "0004_registration_trust.py"
    spec = importlib.util.spec_from_file_location("splpdepok_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.down_revision)


def _migrate(version: str, *, down: bool = False) -> None:
    migrate("splpdepok", version, down=down)


@pytest.fixture
def before_0004(people: SimpleNamespace) -> Iterator[None]:
    _migrate(_before_0004(), down=True)
    try:
        yield
    finally:
        _migrate("head")


def _insert(kind: str, work_unit: str, domain: str = "depok.go.id") -> str:
    reg_id = str(uuid.uuid4())
    model.Session.execute(sa.text(
        "INSERT INTO splpdepok_registrations (id, kind, status, version, ippd_domain, ippd_name, "
        "username, full_name, email, work_unit, phone, creator_user_id, created, modified) "
        "VALUES (:id, :kind, 'submitted', 1, :domain, 'IPPD', 'u', 'U', 'u@depok.go.id', :unit, "
        "'+62812', 'x', now(), now())"),
        {"id": reg_id, "kind": kind, "unit": work_unit, "domain": domain})
    return reg_id


def test_work_units_become_organization_references(people: SimpleNamespace,
                                                   before_0004: None) -> None:
    lain, walidata = found(model.Group.get("dinas-lain")), found(model.Group.get("diskominfo"))
    ippd_org = make_org("pemkot", title="Pemerintah Kota")
    model.Session.execute(sa.text(
        "INSERT INTO splpdepok_ippds (id, domain, name, organization_id, registration_id, "
        "created, modified) VALUES ('i1', 'depok.go.id', 'IPPD', :org, 'r', now(), now())"),
        {"org": ippd_org.id})
    ids = {
        "by_title": _insert("ippd", "Dinas Lain", "a.go.id"),
        "by_name": _insert("ippd", "dinas-lain", "b.go.id"),
        "walidata": _insert("ippd", found(walidata.title), "c.go.id"),
        "case_differs": _insert("ippd", "dinas lain", "d.go.id"),
        "unknown": _insert("ippd", "Dinas Baru", "e.go.id"),
        "lid": _insert("lid", "Dinas Kesehatan"),
    }
    model.Session.commit()
    _migrate("head")
    rows = {r.id: r for r in model.Session.execute(sa.text(
        "SELECT id, requested_organization_id AS org, new_organization_title AS title "
        "FROM splpdepok_registrations"))}
    assert (rows[ids["by_title"]].org, rows[ids["by_title"]].title) == (lain.id, None)
    assert rows[ids["by_name"]].org == lain.id
    assert (rows[ids["walidata"]].org, rows[ids["walidata"]].title) == (None, walidata.title)
    assert (rows[ids["case_differs"]].org, rows[ids["case_differs"]].title) == (
        None, "dinas lain")  # exact matches only
    assert (rows[ids["unknown"]].org, rows[ids["unknown"]].title) == (None, "Dinas Baru")
    assert rows[ids["lid"]].org == ippd_org.id
    columns = {c["name"] for c in sa.inspect(found(model.meta.engine)).get_columns(
        "splpdepok_registrations")}
    assert "work_unit" not in columns

    _migrate(_before_0004(), down=True)  # and back: the work unit is written again
    units = {r.id: r.work_unit for r in model.Session.execute(sa.text(
        "SELECT id, work_unit FROM splpdepok_registrations"))}
    assert units[ids["by_title"]] == "Dinas Lain" and units[ids["unknown"]] == "Dinas Baru"
    model.Session.commit()
