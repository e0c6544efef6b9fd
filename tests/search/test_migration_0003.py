"""Migration 0003 keeps a live index working: rows written by the old layout get their facets,
rank vector and new terms from the document each one stores, no rebuild needed."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories, helpers

from tests.pytest_splpdepok import migrate

TABLE = "splpdepok_search_index"


def _migrate(version: str, *, down: bool = False) -> None:
    migrate("splpdepok_search", version, down=down)


@pytest.fixture
def old_layout_row(clean_db: Any) -> Iterator[dict[str, Any]]:
    org = factories.Organization(name="dinas-air")
    dataset = factories.Dataset(owner_org=org["id"], title="Kualitas Air Sungai",
                                tags=[{"name": "air-bersih"}], extras=[
                                    {"key": "frekuensi", "value": "tahunan"}])
    _migrate("0002", down=True)
    # what 0002's rows held: exact-value lexemes only (no numbers, presence or hashes)
    model.Session.execute(sa.text(
        f"UPDATE {TABLE} SET terms = array_to_tsvector(ARRAY(SELECT t FROM unnest("
        "tsvector_to_array(terms)) t WHERE t LIKE '%=%'))"))
    model.Session.commit()
    try:
        yield dataset
    finally:
        _migrate("head")


def _row(name: str) -> Any:
    return model.Session.execute(sa.text(
        f"SELECT facets, rank_vector::text AS rank, tsvector_to_array(terms) AS terms "
        f"FROM {TABLE} WHERE name = :name"), {"name": name}).one()


def test_old_rows_are_recomputed_in_place(old_layout_row: dict[str, Any]) -> None:
    _migrate("head")
    row = _row(old_layout_row["name"])
    assert {"organization=dinas-air", "tags=air-bersih"} <= set(row.facets)
    assert "kualita" in row.rank or "kualitas" in row.rank
    assert "extras_frekuensi?" in row.terms
    indexes = {r[0] for r in model.Session.execute(sa.text(
        "SELECT indexname FROM pg_indexes WHERE tablename = :t"), {"t": TABLE})}
    assert f"{TABLE}_modified_sort_idx" in indexes and f"{TABLE}_fields_idx" not in indexes
    found = helpers.call_action("package_search", q="extras_frekuensi:*",
                                **{"facet.field": ["tags"]})
    assert [d["name"] for d in found["results"]] == [old_layout_row["name"]]
    assert found["search_facets"]["tags"]["items"][0]["name"] == "air-bersih"
