"""Fixtures of the LID tests: the SPLP double, a client bound to it, sample LID entries."""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from ckanext.splpdepok.lid.splp import ClientCredentials, PublisherClient, RetryPolicy, Timeouts

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
