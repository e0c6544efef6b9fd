"""Registrations name their organization (controlled list) instead of a free-text work unit;
one approved IPPD registration per domain.

``work_unit`` becomes ``requested_organization_id`` where it equals an active organization's
name or title exactly (never the walidata organization's), else ``new_organization_title``
(a new organization requested by name, created only when a reviewer approves). Admin and LID
registrations point at their IPPD's organization.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEX = "splpdepok_registrations_one_ippd_per_domain"


def _walidata_name() -> str:
    """The configured walidata organization (CKAN runs migrations with its config loaded)."""
    try:
        from ckan.common import config

        return str(config.get("ckanext.splpdepok.walidata_organization") or "diskominfo")
    except (ImportError, RuntimeError, AttributeError):  # alembic run without CKAN's config
        return "diskominfo"


def upgrade() -> None:
    op.add_column("splpdepok_registrations",
                  sa.Column("requested_organization_id", sa.UnicodeText))
    op.add_column("splpdepok_registrations",
                  sa.Column("new_organization_title", sa.UnicodeText))
    if not context.is_offline_mode():
        bind = op.get_bind()
        walidata = _walidata_name()
        # IPPD registrations: an exact name or title match, never the walidata organization
        bind.execute(sa.text("""
            UPDATE splpdepok_registrations r SET requested_organization_id = (
                SELECT g.id FROM "group" g
                WHERE g.is_organization AND g.state = 'active' AND g.name <> :walidata
                  AND (g.name = r.work_unit OR g.title = r.work_unit)
                ORDER BY (g.name = r.work_unit) DESC, g.created LIMIT 1)
            WHERE r.kind = 'ippd'"""), {"walidata": walidata})
        # admin and LID registrations are bound to their IPPD's organization
        bind.execute(sa.text("""
            UPDATE splpdepok_registrations r SET requested_organization_id = i.organization_id
            FROM splpdepok_ippds i
            WHERE r.kind IN ('ippd_admin', 'lid') AND i.domain = r.ippd_domain"""))
        bind.execute(sa.text("""
            UPDATE splpdepok_registrations SET new_organization_title = work_unit
            WHERE requested_organization_id IS NULL"""))
    op.drop_column("splpdepok_registrations", "work_unit")
    op.create_index(INDEX, "splpdepok_registrations", ["ippd_domain"], unique=True,
                    postgresql_where=sa.text("kind = 'ippd' AND status = 'approved'"))


def downgrade() -> None:
    op.drop_index(INDEX, table_name="splpdepok_registrations")
    op.add_column("splpdepok_registrations",
                  sa.Column("work_unit", sa.UnicodeText, nullable=False, server_default=""))
    if not context.is_offline_mode():
        op.get_bind().execute(sa.text("""
            UPDATE splpdepok_registrations r SET work_unit = COALESCE(
                (SELECT g.title FROM "group" g WHERE g.id = r.requested_organization_id),
                r.new_organization_title, '')"""))
    op.drop_column("splpdepok_registrations", "new_organization_title")
    op.drop_column("splpdepok_registrations", "requested_organization_id")
