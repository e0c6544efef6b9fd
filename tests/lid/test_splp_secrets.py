"""Client id, secret and access tokens never reach logs, exceptions or the double's log."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from ckanext.splpdepok.lid.splp import (
    ClientCredentials,
    PublisherClient,
    RetryPolicy,
    SplpError,
    Timeouts,
    sync_lids,
)

from tests.support.splp_double import SplpDouble

MakeClient = Callable[..., PublisherClient]


def test_credentials_are_masked_in_repr() -> None:
    credentials = ClientCredentials("client-id-1234", "secret-5678")
    for text in (repr(credentials), str(credentials)):
        assert "client-id-1234" not in text and "secret-5678" not in text
    with pytest.raises(SplpError, match="required"):
        ClientCredentials("id", "")


def test_no_secret_leaks_anywhere_during_a_rough_sync(
    make_client: MakeClient, splp_double: SplpDouble, lids: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(retry=RetryPolicy(attempts=3, backoff_initial=0.0),
                         timeouts=Timeouts(connect=1.0, read=0.3))
    texts: list[str] = [repr(client), str(client.tokens)]
    splp_double.inject("expired_token", operation="getAPI")
    splp_double.inject("server_error", times=2)
    splp_double.inject("duplicate_context")
    results = sync_lids(client, lids)
    sync_lids(client, lids)
    texts += [str(r.as_dict()) for r in results]
    splp_double.inject("slow", times=3, delay=0.5)
    splp_double.inject("expired_token", times=2, operation="getAllAPIs")
    for _ in range(2):
        try:
            client.search_apis("x")
        except SplpError as exc:
            texts += [str(exc), repr(exc)]
    wrong = make_client(credentials=ClientCredentials(splp_double.client_id, "wrong-secret-99"))
    with pytest.raises(SplpError) as caught:
        wrong.search_apis("x")
    texts += [str(caught.value), repr(caught.value), repr(wrong)]
    texts += [caplog.text, repr(splp_double.requests), repr(splp_double)]
    everything = "\n".join(texts)
    secrets = [splp_double.client_id, splp_double.client_secret, "wrong-secret-99",
               *splp_double.tokens]
    assert len(splp_double.tokens) >= 3
    leaked = [s for s in secrets if s in everything]
    assert leaked == []
    assert "SPLP" in caplog.text  # the adapter did log, only without secrets
