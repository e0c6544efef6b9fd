"""The package_search contract on the PostgreSQL backend: q, fq, facets, sort, paging, fl."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ckan.tests import factories, helpers


def search(**params: Any) -> dict[str, Any]:
    return helpers.call_action("package_search", context={"ignore_auth": False, "user": ""},
                               **params)


def names(result: dict[str, Any]) -> list[str]:
    return [r["name"] for r in result["results"]]


@pytest.fixture
def catalog() -> dict[str, Any]:
    dinkes = factories.Organization(name="dinkes", title="Dinas Kesehatan")
    disdik = factories.Organization(name="disdik", title="Dinas Pendidikan")
    group = factories.Group(name="sosial")
    made = {
        "puskesmas": factories.Dataset(
            name="puskesmas", title="Daftar Puskesmas Sehat", owner_org=dinkes["id"],
            notes="Layanan kesehatan masyarakat di setiap kecamatan.",
            tags=[{"name": "kesehatan"}, {"name": "layanan"}], license_id="cc-by",
            groups=[{"name": group["name"]}],
            extras=[{"key": "frekuensi", "value": "tahunan"}, {"key": "jumlah", "value": "42"}],
            resources=[{"url": "http://x/a.csv", "format": "CSV", "name": "tabel puskesmas"}],
        ),
        "imunisasi": factories.Dataset(
            name="imunisasi", title="Cakupan Imunisasi Anak", owner_org=dinkes["id"],
            notes="Menyehatkan anak melalui imunisasi dasar lengkap.",
            tags=[{"name": "kesehatan"}, {"name": "anak"}], license_id="odc-odbl",
            extras=[{"key": "frekuensi", "value": "bulanan"}, {"key": "jumlah", "value": "7"}],
            resources=[{"url": "http://x/b.xlsx", "format": "XLSX", "name": "rekap"}],
        ),
        "sekolah": factories.Dataset(
            name="sekolah", title="Jumlah Sekolah Dasar", owner_org=disdik["id"],
            notes="Sekolah dasar negeri dan swasta.", tags=[{"name": "pendidikan"}],
            license_id="cc-by", groups=[{"name": group["name"]}],
            extras=[{"key": "frekuensi", "value": "tahunan"}, {"key": "jumlah", "value": "300"}],
            resources=[{"url": "http://x/c.csv", "format": "CSV", "name": "sekolah"}],
        ),
    }
    return made


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestText:
    def test_indonesian_stemming(self, catalog: Any) -> None:
        # "kesehatan", "sehat" and "menyehatkan" share the stem "sehat"
        assert set(names(search(q="sehat"))) == {"puskesmas", "imunisasi"}
        assert set(names(search(q="kesehatan"))) == {"puskesmas", "imunisasi"}

    def test_title_ranks_above_description(self, catalog: Any) -> None:
        assert names(search(q="imunisasi"))[0] == "imunisasi"
        assert names(search(q="puskesmas sehat"))[0] == "puskesmas"

    def test_phrase_and_boolean_operators(self, catalog: Any) -> None:
        assert names(search(q='"sekolah dasar"')) == ["sekolah"]
        assert set(names(search(q="imunisasi OR sekolah"))) == {"imunisasi", "sekolah"}
        assert names(search(q="kesehatan -imunisasi")) == ["puskesmas"]
        assert names(search(q="kesehatan AND NOT tags:layanan")) == ["imunisasi"]
        assert set(names(search(q="(anak OR sekolah) AND dasar"))) == {"imunisasi", "sekolah"}

    def test_fielded_queries(self, catalog: Any) -> None:
        assert names(search(q="tags:layanan")) == ["puskesmas"]
        assert names(search(q="title:imunisasi")) == ["imunisasi"]
        assert search(q="title:lengkap")["count"] == 0  # only in the notes
        assert names(search(q="notes:lengkap")) == ["imunisasi"]
        assert names(search(q="title:menyehatkan")) == ["puskesmas"]  # stem "sehat"
        assert set(names(search(q="organization:dinkes"))) == {"puskesmas", "imunisasi"}
        assert names(search(q="res_format:XLSX")) == ["imunisasi"]
        assert names(search(q="res_name:rekap")) == ["imunisasi"]
        assert set(names(search(q="frekuensi:tahunan"))) == {"puskesmas", "sekolah"}
        assert names(search(q="extras_frekuensi:bulanan")) == ["imunisasi"]

    def test_match_all_exists_and_wildcards(self, catalog: Any) -> None:
        assert search(q="*:*")["count"] == 3
        assert set(names(search(q="groups:*"))) == {"puskesmas", "sekolah"}
        assert set(names(search(q="name:*s*"))) == {"puskesmas", "imunisasi", "sekolah"}
        assert names(search(q="name:sek*")) == ["sekolah"]
        assert names(search(q="imun*")) == ["imunisasi"]

    def test_ranges(self, catalog: Any) -> None:
        assert search(q="metadata_modified:[NOW-1DAY TO NOW+1DAY]")["count"] == 3
        assert search(q="metadata_created:[* TO 2000-01-01T00:00:00Z]")["count"] == 0
        assert set(names(search(q="jumlah:[10 TO 400]"))) == {"puskesmas", "sekolah"}
        assert names(search(q="jumlah:{42 TO *]")) == ["sekolah"]

    def test_autocomplete_substring(self, catalog: Any) -> None:
        found = helpers.call_action("package_autocomplete", q="munis")
        assert [f["name"] for f in found] == ["imunisasi"]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestFilters:
    def test_several_fq_clauses_and_fq_list(self, catalog: Any) -> None:
        result = search(fq='organization:dinkes +license_id:"cc-by"')
        assert names(result) == ["puskesmas"]
        result = search(fq="organization:dinkes", fq_list=["tags:anak"])
        assert names(result) == ["imunisasi"]

    def test_local_params_lucene_are_accepted_others_rejected(self, catalog: Any) -> None:
        from ckan.lib.search import SearchError

        with pytest.raises(SearchError):
            search(fq="{!knn f=vector topK=3}[1,2]")


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestFacets:
    def test_counts_honour_q_and_fq(self, catalog: Any) -> None:
        facets = ["tags", "organization", "res_format", "license_id", "groups", "frekuensi"]
        result = search(q="kesehatan", **{"facet.field": facets})
        by = {k: {i["name"]: i["count"] for i in v["items"]}
              for k, v in result["search_facets"].items()}
        assert by["tags"] == {"kesehatan": 2, "layanan": 1, "anak": 1}
        assert by["organization"] == {"dinkes": 2}
        assert by["res_format"] == {"CSV": 1, "XLSX": 1}
        assert by["license_id"] == {"cc-by": 1, "odc-odbl": 1}
        assert by["groups"] == {"sosial": 1}
        assert by["frekuensi"] == {"tahunan": 1, "bulanan": 1}
        result = search(fq="res_format:CSV", **{"facet.field": ["organization"]})
        orgs = {i["name"]: i["count"] for i in result["search_facets"]["organization"]["items"]}
        assert orgs == {"dinkes": 1, "disdik": 1}

    def test_limit_and_mincount(self, catalog: Any) -> None:
        result = search(**{"facet.field": ["tags"], "facet.limit": 1})
        assert result["facets"]["tags"] == {"kesehatan": 2}
        result = search(**{"facet.field": ["tags"], "facet.limit": -1})
        assert len(result["facets"]["tags"]) == 4
        result = search(**{"facet.field": ["tags"], "facet.mincount": 2})
        assert result["facets"]["tags"] == {"kesehatan": 2}

    def test_no_facet_fields_no_facets(self, catalog: Any) -> None:
        assert search()["search_facets"] == {}


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestSortPagingFl:
    def test_sorts(self, catalog: Any) -> None:
        assert names(search(sort="title_string asc")) == ["imunisasi", "puskesmas", "sekolah"]
        assert names(search(sort="name desc")) == ["sekolah", "puskesmas", "imunisasi"]
        assert names(search(sort="metadata_created asc")) == [
            "puskesmas", "imunisasi", "sekolah"]
        assert names(search(sort="license_id asc, name desc")) == [
            "sekolah", "puskesmas", "imunisasi"]
        assert names(search(sort="jumlah desc")) == ["sekolah", "puskesmas", "imunisasi"]

    def test_modified_order_follows_updates(self, catalog: Any) -> None:
        helpers.call_action("package_patch", id="puskesmas", notes="diperbarui")
        assert names(search(sort="metadata_modified desc"))[0] == "puskesmas"

    def test_paging_is_stable_and_complete(self, catalog: Any) -> None:
        seen = []
        for start in range(0, 3):
            result = search(sort="name asc", rows=1, start=start)
            assert result["count"] == 3
            seen.extend(names(result))
        assert seen == ["imunisasi", "puskesmas", "sekolah"]
        assert search(rows=2, start=10)["results"] == []

    def test_fl_variants(self, catalog: Any) -> None:
        result = search(q="name:sekolah", fl=["id", "name"])
        assert result["results"] == [{"id": catalog["sekolah"]["id"], "name": "sekolah"}]
        result = search(q="name:sekolah", fl="name,extras_frekuensi")
        assert result["results"] == [{"name": "sekolah", "frekuensi": "tahunan"}]
        full = search(q="name:sekolah")["results"][0]
        assert full["resources"][0]["format"] == "CSV"

    def test_show_reads_the_indexed_dict(self, catalog: Any) -> None:
        from ckan.lib import search as ckan_search

        indexed = ckan_search.show("sekolah")
        assert indexed["name"] == "sekolah"
        assert "validated_data_dict" in indexed
        modified = dt.datetime.fromisoformat(indexed["metadata_modified"].rstrip("Z"))
        assert modified.year >= 2026
