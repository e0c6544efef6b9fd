"""Fixtures of the registration suite: people in every role, documents, registration helpers."""
from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from ckan import logic, model
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from tests.support.smtp import mail_to_test_smtp, smtp_server  # noqa: F401

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


T = TypeVar("T")


def found(value: T | None) -> T:
    """The object a lookup returned, failing the test when there is none (it narrows the type:
    ``model.User.get`` and friends return ``... | None``)."""
    assert value is not None
    return value


def first_error(error: logic.ValidationError, field: str) -> str:
    """The first message of ``field`` in a refusal."""
    messages = error.error_dict[field]
    assert isinstance(messages, list) and messages, error.error_dict
    return str(messages[0])


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def upload(content: bytes = PDF, filename: str = "surat.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=filename)


def make_org(name: str, members: dict[str, str] | None = None, title: str = "") -> model.Group:
    """An organization written through the model (independent of the search backend)."""
    org = model.Group(name=name, title=title or name.title(), is_organization=True,
                      type="organization")
    org.state = "active"
    model.Session.add(org)
    model.Session.flush()
    for user_id, capacity in (members or {}).items():
        member = model.Member(group=org, table_name="user", table_id=user_id,
                              capacity=capacity)
        member.state = "active"
        model.Session.add(member)
    model.repo.commit()
    return org


@pytest.fixture
def reg_db(with_plugins: Any, clean_db: Any) -> None:
    """Clean database with our plugins and their migrations (see tests/pytest_splpdepok.py)."""


@pytest.fixture
def people(reg_db: None) -> SimpleNamespace:
    sysadmin = factories.Sysadmin(name="root-admin", email="root@depok.go.id")
    walidata = factories.User(name="walidata", email="walidata@depok.go.id", fullname="Wali Data")
    applicant = factories.User(name="pemohon", email="pemohon@depok.go.id", fullname="Pemohon")
    other = factories.User(name="lain", email="lain@depok.go.id")
    editor = factories.User(name="editor-opd", email="editor@depok.go.id")
    make_org("diskominfo", {walidata["id"]: "admin"}, "Diskominfo Kota Depok")
    make_org("dinas-lain", {editor["id"]: "editor"}, "Dinas Lain")
    return SimpleNamespace(sysadmin=sysadmin, walidata=walidata, applicant=applicant,
                           other=other, editor=editor)


def fields(kind: str = "ippd", **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": kind,
        "ippd_domain": "depok.go.id",
        "ippd_name": "Pemerintah Kota Depok",
        "username": "admin-ippd",
        "full_name": "Admin IPPD Depok",
        "email": "admin.ippd@depok.go.id",
        "phone": "0812-3456-7890",
        "letter_upload": upload(PDF, "surat.pdf"),
        "kajian_upload": upload(docx_bytes(), "kajian.docx"),
    }
    if kind == "ippd" and "organization" not in overrides:
        data["new_organization"] = "Dinas Komunikasi dan Informatika"
    data.update(overrides)
    return data


def act(action: str, user: dict[str, Any] | None, **data: Any) -> Any:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(f"splpdepok_registration_{action}", context=context, **data)


@pytest.fixture
def submitted(people: SimpleNamespace) -> Callable[..., dict[str, Any]]:
    """Creates and submits a registration as ``people.applicant`` (or ``by``)."""

    def make(kind: str = "ippd", by: dict[str, Any] | None = None, **overrides: Any) -> Any:
        reg = act("create", by or people.applicant, **fields(kind, **overrides))
        return act("submit", by or people.applicant, id=reg["id"])

    return make


def unique_domain() -> str:
    return f"d{uuid.uuid4().hex[:8]}.depok.go.id"
