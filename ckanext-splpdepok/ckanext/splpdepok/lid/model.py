"""Katalog LID entries, the datasets they serve and the ledger of their national API ids.

Tables come only from migration ``0003_lid``. User, organization and dataset ids are text (no
foreign keys into CKAN core tables).
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import JSONB

DRAFT, READY, SYNCED, CONNECTED, CHECK_FAILED = (
    "draft", "ready", "synced", "connected", "check_failed")
STATUSES = (DRAFT, READY, SYNCED, CONNECTED, CHECK_FAILED)
# States in which the entry has been handed to SPLP (a sync may pick it up).
SYNCABLE = (READY, SYNCED, CONNECTED, CHECK_FAILED)
# Fields that SPLP carries: changing one sends a synced entry back to "ready".
SPLP_FIELDS = ("name", "description", "endpoint_url", "attributes", "output_format",
               "classification", "context", "version")


def make_id() -> str:
    return str(uuid.uuid4())


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


lid_table = sa.Table(
    "splpdepok_lid",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("name", sa.UnicodeText, nullable=False),
    sa.Column("description", sa.UnicodeText, nullable=False, default=""),
    sa.Column("endpoint_url", sa.UnicodeText, nullable=False),
    sa.Column("attributes", JSONB, nullable=False, default=list),
    sa.Column("output_format", sa.UnicodeText, nullable=False),
    sa.Column("classification", sa.UnicodeText, nullable=False),
    sa.Column("context", sa.UnicodeText, nullable=False),
    sa.Column("version", sa.UnicodeText, nullable=False),
    sa.Column("ippd_domain", sa.UnicodeText, nullable=False),
    sa.Column("tenant_domain", sa.UnicodeText, nullable=False),
    sa.Column("organization_id", sa.UnicodeText),
    sa.Column("owner_user_id", sa.UnicodeText, nullable=False),
    sa.Column("status", sa.UnicodeText, nullable=False, default=DRAFT),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
)

lid_dataset_table = sa.Table(
    "splpdepok_lid_dataset",
    tk.BaseModel.metadata,
    sa.Column("lid_id", sa.UnicodeText, sa.ForeignKey("splpdepok_lid.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
)

ledger_table = sa.Table(
    "splpdepok_lid_publication_ledger",
    tk.BaseModel.metadata,
    sa.Column("lid_id", sa.UnicodeText, sa.ForeignKey("splpdepok_lid.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("api_id", sa.UnicodeText),
    sa.Column("context", sa.UnicodeText, nullable=False),
    sa.Column("version", sa.UnicodeText, nullable=False),
    sa.Column("lifecycle", sa.UnicodeText),
    sa.Column("last_status", sa.UnicodeText),
    sa.Column("last_error", sa.UnicodeText),
    sa.Column("synced", sa.DateTime(timezone=True)),
    sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
)


class LidDataset(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = lid_dataset_table

    lid_id: str
    package_id: str


class LedgerEntry(tk.BaseModel):  # type: ignore[misc, valid-type]
    """One LID's API in the national catalogue (SPLP): id, context/version, last outcome."""

    __table__ = ledger_table

    lid_id: str
    api_id: str | None
    context: str
    version: str
    lifecycle: str | None
    last_status: str | None
    last_error: str | None
    synced: dt.datetime | None
    modified: dt.datetime

    def dictize(self) -> dict[str, Any]:
        return {"api_id": self.api_id, "context": self.context, "version": self.version,
                "lifecycle": self.lifecycle, "last_status": self.last_status,
                "last_error": self.last_error, "synced": iso(self.synced)}


class Lid(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = lid_table

    id: str
    name: str
    description: str
    endpoint_url: str
    attributes: list[dict[str, str]]
    output_format: str
    classification: str
    context: str
    version: str
    ippd_domain: str
    tenant_domain: str
    organization_id: str | None
    owner_user_id: str
    status: str
    created: dt.datetime
    modified: dt.datetime

    @classmethod
    def get(cls, id_: str, *, for_update: bool = False) -> Lid | None:
        query = model.Session.query(cls).filter(cls.id == id_)
        if for_update:
            query = query.with_for_update().populate_existing()
        return query.one_or_none()

    @classmethod
    def by_context(cls, tenant_domain: str, context: str) -> Lid | None:
        return (model.Session.query(cls)
                .filter(cls.tenant_domain == tenant_domain,
                        sa.func.lower(cls.context) == context.lower()).first())

    def dataset_ids(self) -> list[str]:
        return [d for (d,) in model.Session.query(LidDataset.package_id)
                .filter(LidDataset.lid_id == self.id).order_by(LidDataset.package_id)]

    def set_datasets(self, package_ids: list[str]) -> None:
        model.Session.query(LidDataset).filter(LidDataset.lid_id == self.id).delete(
            synchronize_session=False)
        for package_id in dict.fromkeys(package_ids):
            model.Session.add(LidDataset(lid_id=self.id, package_id=package_id))
        model.Session.flush()  # CKAN's session does not autoflush

    def ledger(self) -> LedgerEntry | None:
        return model.Session.get(LedgerEntry, self.id)

    def as_splp_entry(self, owner: str = "") -> dict[str, Any]:
        """The plain dict the SPLP adapter maps (``lid.splp.mapping``)."""
        return {
            "id": self.id, "name": self.name, "description": self.description,
            "endpoint_url": self.endpoint_url, "attributes": list(self.attributes or []),
            "output_format": self.output_format, "classification": self.classification,
            "context": self.context, "version": self.version,
            "tenant_domain": self.tenant_domain, "owner": owner,
        }

    def dictize(self) -> dict[str, Any]:
        ledger = self.ledger()
        return {
            "id": self.id, "name": self.name, "description": self.description,
            "endpoint_url": self.endpoint_url, "attributes": list(self.attributes or []),
            "output_format": self.output_format, "classification": self.classification,
            "context": self.context, "version": self.version,
            "ippd_domain": self.ippd_domain, "tenant_domain": self.tenant_domain,
            "organization_id": self.organization_id, "owner_user_id": self.owner_user_id,
            "status": self.status, "created": iso(self.created), "modified": iso(self.modified),
            "datasets": self.dataset_ids(),
            "national_api_id": ledger.api_id if ledger else None,
            "ledger": ledger.dictize() if ledger else None,
        }


def lids_for_dataset(package_id: str) -> list[Lid]:
    return (model.Session.query(Lid).join(LidDataset, LidDataset.lid_id == Lid.id)
            .filter(LidDataset.package_id == package_id).order_by(Lid.name).all())
