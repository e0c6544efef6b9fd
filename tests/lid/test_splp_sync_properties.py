"""Property: whatever is edited in the catalogue, one sync makes SPLP match it and a second
sync writes nothing."""
from __future__ import annotations

import copy
from typing import Any

from ckanext.splpdepok.lid.splp import (
    ClientCredentials,
    PublisherClient,
    RetryPolicy,
    compare_lid,
    sync_lids,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.lid.conftest import SAMPLE_LIDS
from tests.support.splp_double import SplpDouble

EDITS: dict[str, Any] = {
    "name": st.sampled_from(["Data Baru", "Statistik (Sektoral)", "Peta & Lokasi"]),
    "description": st.text(max_size=80),
    "endpoint_url": st.sampled_from(["https://a.depok.go.id/x", "http://b.depok.go.id:8080/y"]),
    "sandbox_url": st.sampled_from([None, "https://sandbox.depok.go.id/z"]),
    "output_format": st.sampled_from(["JSON", "XML", "CSV"]),
    "classification": st.sampled_from(["terbuka", "terbatas"]),
    "owner": st.sampled_from(["Diskominfo", "Bappeda", ""]),
    "tags": st.lists(st.sampled_from(["kesehatan", "Pendidikan", "peta"]), max_size=3),
    "attributes": st.lists(
        st.fixed_dictionaries({"name": st.sampled_from(["a", "b", "kode"]),
                               "type": st.sampled_from(["string", "integer"])}),
        max_size=3),
    "methods": st.sampled_from([["GET"], ["GET", "POST"]]),
}

edit_lists = st.lists(
    st.tuples(st.integers(0, len(SAMPLE_LIDS) - 1),
              st.sampled_from(sorted(EDITS)).flatmap(
                  lambda k: st.tuples(st.just(k), EDITS[k]))),
    min_size=1, max_size=4,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=edit_lists)
def test_sync_converges_after_any_edits(edits: list[tuple[int, tuple[str, Any]]]) -> None:
    double = SplpDouble().start()
    try:
        client = PublisherClient(double.base_url,
                                 ClientCredentials(double.client_id, double.client_secret),
                                 retry=RetryPolicy(attempts=2, backoff_initial=0.0))
        lids = copy.deepcopy(SAMPLE_LIDS)
        first = sync_lids(client, lids)
        for index, (key, value) in edits:
            lids[index][key] = value
        after_edit = sync_lids(client, lids)
        assert all(r.status in ("updated", "unchanged") for r in after_edit), after_edit
        mark = len(double.requests)
        again = sync_lids(client, lids)
        assert [r.status for r in again] == ["unchanged"] * 3
        assert [r for r in double.requests[mark:] if r.is_write] == []
        for lid, result in zip(lids, first, strict=True):
            assert compare_lid(lid, client.get_api(str(result.api_id))).same
        assert double.violations == []
    finally:
        double.stop()
