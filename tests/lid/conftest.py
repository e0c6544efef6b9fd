"""Fixtures of the LID tests: the SPLP double, a client bound to it, sample LID entries."""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from ckanext.splpdepok.lid.splp import (
    ClientCredentials,
    LidSyncResult,
    PublisherClient,
    RetryPolicy,
    Timeouts,
)

from tests.support.splp_double import SplpDouble, splp_double

__all__ = ["splp_double"]

SAMPLE_LIDS: list[dict[str, Any]] = [
    {
        "id": "lid-penduduk",
        "name": "Data Penduduk (Disdukcapil)",
        "description": "Jumlah penduduk per kecamatan dan kelurahan.",
        "endpoint_url": "https://api.depok.go.id/penduduk/v1",
        "attributes": [
            {"name": "kecamatan", "type": "string", "description": "Nama kecamatan"},
            {"name": "jumlah", "type": "integer", "description": "Jumlah penduduk"},
        ],
        "output_format": "JSON",
        "classification": "terbatas",
        "context": "kependudukan",
        "version": "1.0.0",
        "tenant_domain": "depok.go.id",
        "owner": "Disdukcapil Kota Depok",
    },
    {
        "id": "lid-sekolah",
        "name": "Daftar Sekolah",
        "description": "Sekolah negeri dan swasta di Kota Depok.",
        "endpoint_url": "https://api.depok.go.id/pendidikan/sekolah",
        "attributes": [{"name": "npsn", "type": "string", "description": "NPSN"}],
        "output_format": "csv",
        "classification": "terbuka",
        "context": "/pendidikan/sekolah/",
        "version": "v1",
        "tenant_domain": "depok.go.id",
        "owner": "Dinas Pendidikan",
    },
    {
        "id": "lid-puskesmas",
        "name": "Lokasi Puskesmas",
        "description": "Titik lokasi puskesmas.",
        "endpoint_url": "https://api.depok.go.id/kesehatan/puskesmas",
        "sandbox_url": "https://sandbox.depok.go.id/kesehatan/puskesmas",
        "attributes": [],
        "output_format": "XML",
        "classification": "terbuka",
        "context": "kesehatan-puskesmas",
        "version": "2.1",
        "tenant_domain": "depok.go.id",
        "owner": "Dinas Kesehatan",
    },
]

FAST_RETRY = RetryPolicy(attempts=4, backoff_initial=0.0, total_seconds=20.0)
T = TypeVar("T")


def present(value: T | None) -> T:
    """``value``, which the test expects to exist."""
    assert value is not None
    return value


def api_id_of(result: LidSyncResult) -> str:
    """The national API id a sync result names (it must name one)."""
    assert result.api_id, result
    return result.api_id


@pytest.fixture
def lids() -> list[dict[str, Any]]:
    """Fresh copies of three LID entries (terbatas JSON, terbuka CSV, terbuka XML)."""
    return copy.deepcopy(SAMPLE_LIDS)


@pytest.fixture
def make_client(splp_double: SplpDouble) -> Callable[..., PublisherClient]:
    """Build a client for the double; keyword arguments override the defaults."""

    def make(**overrides: Any) -> PublisherClient:
        options: dict[str, Any] = {
            "retry": FAST_RETRY,
            "timeouts": Timeouts(connect=2.0, read=5.0),
        }
        options.update(overrides)
        credentials = options.pop(
            "credentials",
            ClientCredentials(splp_double.client_id, splp_double.client_secret),
        )
        return PublisherClient(splp_double.base_url, credentials, **options)

    return make


@pytest.fixture
def client(make_client: Callable[..., PublisherClient]) -> PublisherClient:
    return make_client()


# -- Katalog LID (CKAN side): people reached through the real registration workflow -------------

import io  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from werkzeug.datastructures import FileStorage  # noqa: E402

from tests.support.smtp import mail_to_test_smtp, smtp_server  # noqa: E402,F401

LID_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
           b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
DOMAIN = "depok.go.id"


def pdf_upload(name: str = "dokumen.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(LID_PDF), filename=name)


def _registration(kind: str, by: dict[str, Any], username: str, email: str,
                  work_unit: str, approver: dict[str, Any], domain: str) -> dict[str, Any]:
    from ckan.tests import helpers

    def act(action: str, user: dict[str, Any], **data: Any) -> Any:
        return helpers.call_action(f"splpdepok_registration_{action}",
                                   context={"user": user["name"], "ignore_auth": False}, **data)

    # only an IPPD application names its organization (a new one here); admin and LID
    # registrations are bound to their IPPD's organization
    named = {"new_organization": work_unit} if kind == "ippd" else {}
    reg = act("create", by, kind=kind, ippd_domain=domain, ippd_name="Pemerintah Kota Depok",
              username=username, full_name=username.replace("-", " ").title(), email=email,
              phone="0812-3456-7890", **named,
              letter_upload=pdf_upload("surat.pdf"), kajian_upload=pdf_upload("kajian.pdf"))
    act("submit", by, id=reg["id"])
    return act("approve", approver, id=reg["id"])


@pytest.fixture
def lid_db(with_plugins: Any, clean_db: Any) -> None:
    """Clean database with our plugins and their migrations (see tests/pytest_splpdepok.py).

    The migrations' alembic env.py runs ``logging.config.fileConfig``, which disables every
    logger that existed before; they are enabled again so that caplog sees the adapter's logs.
    """
    import logging

    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if name.startswith("ckanext") and isinstance(logger, logging.Logger):
            logger.disabled = False


@pytest.fixture
def lid_people(lid_db: None) -> SimpleNamespace:
    """An approved IPPD with an active admin and an approved LID operator (SOP steps 1-10),
    a second operator of the same IPPD, the walidata, and a signed-in outsider."""
    from ckan import model
    from ckan.tests import factories

    sysadmin = factories.Sysadmin(name="root-admin", email="root@depok.go.id")
    walidata = factories.User(name="walidata", email="walidata@depok.go.id")
    org = model.Group(name="diskominfo", title="Diskominfo Kota Depok", is_organization=True,
                      type="organization")
    model.Session.add(org)
    model.Session.flush()
    member = model.Member(group=org, table_name="user", table_id=walidata["id"],
                          capacity="admin")
    model.Session.add(member)
    model.repo.commit()
    applicant = factories.User(name="pemohon", email="pemohon@depok.go.id")
    admin = factories.User(name="admin-ippd", email="admin.ippd@depok.go.id",
                           fullname="Admin IPPD Depok")
    operator = factories.User(name="operator-lid", email="operator@depok.go.id",
                              fullname="Operator Disdukcapil")
    operator2 = factories.User(name="operator-dua", email="operator2@depok.go.id")
    outsider = factories.User(name="warga", email="warga@example.com")
    _registration("ippd", applicant, "admin-ippd", "admin.ippd@depok.go.id",
                  "Dinas Komunikasi dan Informatika", sysadmin, DOMAIN)
    _registration("ippd_admin", applicant, "admin-ippd", "admin.ippd@depok.go.id",
                  "Dinas Komunikasi dan Informatika", sysadmin, DOMAIN)
    _registration("lid", operator, "operator-lid", "operator@depok.go.id",
                  "Dinas Kependudukan dan Pencatatan Sipil", admin, DOMAIN)
    _registration("lid", operator2, "operator-dua", "operator2@depok.go.id",
                  "Dinas Pendidikan", admin, DOMAIN)
    return SimpleNamespace(sysadmin=sysadmin, walidata=walidata, applicant=applicant,
                           admin=admin, operator=operator, operator2=operator2,
                           outsider=outsider, domain=DOMAIN)


def operator_dataset(people: SimpleNamespace, name: str, **fields: Any) -> dict[str, Any]:
    """A dataset of the organization the operator's LIDs belong to (the only datasets an LID
    may serve)."""
    from ckan import model
    from ckan.tests import factories
    from ckanext.splpdepok.lid.logic import auth

    registration = auth.operator_registration(model.User.get(people.operator["id"]))
    assert registration is not None and registration.organization_id
    return factories.Dataset(name=name, owner_org=registration.organization_id, **fields)


def lid_fields(**overrides: Any) -> dict[str, Any]:
    """A valid LID entry for the CKAN actions."""
    data: dict[str, Any] = {
        "name": "Data Penduduk per Kecamatan",
        "description": "Jumlah penduduk per kecamatan dan kelurahan.",
        "endpoint_url": "https://api.depok.go.id/penduduk/v1",
        "attributes": [
            {"name": "kecamatan", "type": "string", "description": "Nama kecamatan"},
            {"name": "jumlah", "type": "integer", "description": "Jumlah penduduk"},
        ],
        "output_format": "json",
        "classification": "terbuka",
        "context": "kependudukan/penduduk",
        "version": "1.0.0",
    }
    data.update(overrides)
    return data


def call(action: str, user: dict[str, Any] | None, **data: Any) -> Any:
    """Call ``splpdepok_<action>`` as ``user`` (anonymous when None), auth checked."""
    import ckan.plugins.toolkit as tk

    context: Any = {"user": user["name"] if user else "", "ignore_auth": False}
    return tk.get_action(f"splpdepok_{action}")(context, data)


@pytest.fixture
def splp_portal(splp_double: SplpDouble, monkeypatch: pytest.MonkeyPatch) -> SplpDouble:
    """The portal's SPLP settings point at the double; credentials only in the environment."""
    from ckan.common import config

    monkeypatch.setitem(config, "ckanext.splpdepok.splp.base_url", splp_double.base_url)
    monkeypatch.setitem(config, "ckanext.splpdepok.splp.gateway_url", splp_double.gateway_url)
    monkeypatch.setitem(config, "ckanext.splpdepok.splp.backoff_seconds", "0")
    monkeypatch.setitem(config, "ckanext.splpdepok.splp.timeout_seconds", "5")
    monkeypatch.setitem(config, "ckanext.splpdepok.splp.check_resource_path", "/data")
    monkeypatch.setenv("SPLPDEPOK_SPLP_CLIENT_ID", splp_double.client_id)
    monkeypatch.setenv("SPLPDEPOK_SPLP_CLIENT_SECRET", splp_double.client_secret)
    return splp_double


def run_lid_jobs() -> None:
    """Work off the ``splpdepok_lid`` RQ queue in this process (as ``ckan jobs worker``)."""
    from ckan import model
    from ckan.lib import jobs as ckan_jobs
    from ckanext.splpdepok.lid import jobs
    from rq import SimpleWorker

    queue = ckan_jobs.get_queue(jobs.QUEUE)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    model.Session.remove()
