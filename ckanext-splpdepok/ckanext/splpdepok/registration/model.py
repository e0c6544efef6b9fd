"""Registration records, their uploaded documents and the IPPDs that approvals create.

Tables come from migrations 0001 and 0004 only; ids are text and there are no foreign keys
into CKAN core tables (user and organization ids are stored as text).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

KINDS = ("ippd", "ippd_admin", "lid")

registrations_table = sa.Table(
    "splpdepok_registrations",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("kind", sa.UnicodeText, nullable=False),
    sa.Column("status", sa.UnicodeText, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("ippd_domain", sa.UnicodeText, nullable=False),
    sa.Column("ippd_name", sa.UnicodeText, nullable=False, default=""),
    sa.Column("username", sa.UnicodeText, nullable=False),
    sa.Column("full_name", sa.UnicodeText, nullable=False),
    sa.Column("email", sa.UnicodeText, nullable=False),
    sa.Column("phone", sa.UnicodeText, nullable=False),
    sa.Column("creator_user_id", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted", sa.DateTime(timezone=True)),
    sa.Column("decided", sa.DateTime(timezone=True)),
    sa.Column("user_id", sa.UnicodeText),
    sa.Column("organization_id", sa.UnicodeText),
    sa.Column("ippd_id", sa.UnicodeText),
    sa.Column("last_note", sa.UnicodeText),
    # The OPD the application names: an existing organization (chosen from the portal's list,
    # or the IPPD's own for admin and LID registrations) or the title of one to create.
    sa.Column("requested_organization_id", sa.UnicodeText),
    sa.Column("new_organization_title", sa.UnicodeText),
    # One approved IPPD registration per domain, even when two approvals race (SOP step 4).
    sa.Index("splpdepok_registrations_one_ippd_per_domain", "ippd_domain", unique=True,
             postgresql_where=sa.text("kind = 'ippd' AND status = 'approved'")),
)

documents_table = sa.Table(
    "splpdepok_registration_documents",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("registration_id", sa.UnicodeText,
              sa.ForeignKey("splpdepok_registrations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.UnicodeText, nullable=False),
    sa.Column("filename", sa.UnicodeText, nullable=False),
    sa.Column("mimetype", sa.UnicodeText, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.UnicodeText, nullable=False),
    sa.Column("uploaded_by", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    # a replaced document stays as evidence (migration 0008): the one that replaced it, and when
    sa.Column("superseded_by", sa.UnicodeText),
    sa.Column("superseded_at", sa.DateTime(timezone=True)),
    sa.Index("splpdepok_registration_documents_current", "registration_id", "kind",
             unique=True, postgresql_where=sa.text("superseded_by IS NULL")),
)

ippds_table = sa.Table(
    "splpdepok_ippds",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("domain", sa.UnicodeText, nullable=False, unique=True),
    sa.Column("name", sa.UnicodeText, nullable=False),
    sa.Column("organization_id", sa.UnicodeText, nullable=False),
    sa.Column("registration_id", sa.UnicodeText, nullable=False),
    sa.Column("admin_user_id", sa.UnicodeText),
    sa.Column("admin_registration_id", sa.UnicodeText),
    sa.Column("tenant_domain", sa.UnicodeText),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
)


class Registration(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = registrations_table

    id: str
    kind: str
    status: str
    version: int
    ippd_domain: str
    ippd_name: str
    username: str
    full_name: str
    email: str
    phone: str
    creator_user_id: str
    created: dt.datetime
    modified: dt.datetime
    submitted: dt.datetime | None
    decided: dt.datetime | None
    user_id: str | None
    organization_id: str | None
    ippd_id: str | None
    last_note: str | None
    requested_organization_id: str | None
    new_organization_title: str | None

    @classmethod
    def get(cls, id_: str, *, for_update: bool = False) -> Registration | None:
        """``for_update`` takes the row lock that serialises concurrent transitions."""
        query = model.Session.query(cls).filter(cls.id == id_)
        if for_update:
            query = query.with_for_update().populate_existing()
        return query.one_or_none()

    def organization_title(self) -> str:
        """The OPD as people read it: the named organization's title, or the requested one."""
        if self.requested_organization_id:
            org = model.Group.get(self.requested_organization_id)
            if org is not None:
                return org.title or org.name
        return self.new_organization_title or ""

    def documents(self) -> list[Document]:
        return (model.Session.query(Document).filter(Document.registration_id == self.id)
                .order_by(Document.created).all())

    def current_documents(self) -> dict[str, Document]:
        """The current document of each kind (replaced ones stay, marked superseded)."""
        return {doc.kind: doc for doc in self.documents() if doc.superseded_by is None}

    def superseded_documents(self) -> list[Document]:
        """Replaced documents, oldest first: still part of the record and downloadable."""
        return [doc for doc in self.documents() if doc.superseded_by is not None]

    def dictize(self, *, personal: bool, reviewer: bool = False) -> dict[str, Any]:
        """``personal``: the applicant and reviewers; ``reviewer``: also which account approval
        linked (the applicant never learns which account an e-mail belongs to)."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "version": self.version,
            "ippd_domain": self.ippd_domain,
            "ippd_name": self.ippd_name,
            "username": self.username,
            "full_name": self.full_name,
            "organization": self.requested_organization_id,
            "organization_title": self.organization_title(),
            "new_organization": self.new_organization_title or "",
            "creator_user_id": self.creator_user_id,
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
            "submitted": self.submitted.isoformat() if self.submitted else None,
            "decided": self.decided.isoformat() if self.decided else None,
            "ippd_id": self.ippd_id,
            "last_note": self.last_note or "",
        }
        if personal:
            data["organization_id"] = self.organization_id
            data["email"] = self.email
            data["phone"] = self.phone
            data["documents"] = [d.dictize() for d in self.current_documents().values()]
            data["superseded_documents"] = [d.dictize() for d in self.superseded_documents()]
        if reviewer:
            data["user_id"] = self.user_id
        return data


class Document(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = documents_table

    id: str
    registration_id: str
    kind: str
    filename: str
    mimetype: str
    size: int
    sha256: str
    uploaded_by: str
    created: dt.datetime
    superseded_by: str | None
    superseded_at: dt.datetime | None

    @classmethod
    def get(cls, id_: str) -> Document | None:
        return model.Session.get(cls, id_)

    def dictize(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "filename": self.filename,
            "mimetype": self.mimetype,
            "size": self.size,
            "sha256": self.sha256,
            "created": self.created.isoformat(),
            "superseded_by": self.superseded_by,
            "superseded_at": self.superseded_at.isoformat() if self.superseded_at else None,
        }


class Ippd(tk.BaseModel):  # type: ignore[misc, valid-type]
    """An approved SPL IPPD: its domain, organization, admin and SPLP tenant domain."""

    __table__ = ippds_table

    id: str
    domain: str
    name: str
    organization_id: str
    registration_id: str
    admin_user_id: str | None
    admin_registration_id: str | None
    tenant_domain: str | None
    created: dt.datetime
    modified: dt.datetime

    @classmethod
    def by_domain(cls, domain: str, *, for_update: bool = False) -> Ippd | None:
        query = model.Session.query(cls).filter(cls.domain == domain)
        if for_update:
            query = query.with_for_update()
        return query.one_or_none()

    @classmethod
    def query_all(cls) -> list[Ippd]:
        return model.Session.query(cls).order_by(cls.domain).all()

    def has_active_admin(self) -> bool:
        if not self.admin_user_id:
            return False
        user = model.User.get(self.admin_user_id)
        return bool(user and user.state == model.State.ACTIVE)

    def dictize(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "domain": self.domain,
            "name": self.name,
            "organization_id": self.organization_id,
            "registration_id": self.registration_id,
            "admin_user_id": self.admin_user_id,
            "tenant_domain": self.tenant_domain,
            "created": self.created.isoformat(),
        }
