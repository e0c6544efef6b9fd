"""Visibility: counts and facets only ever include what the caller may see."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ckan.tests import factories, helpers


def search(user: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("package_search", context=context, **params)


@pytest.fixture
def catalog() -> dict[str, Any]:
    member = factories.User()
    outsider = factories.User()
    org = factories.Organization(users=[{"name": member["name"], "capacity": "editor"}])
    other_org = factories.Organization()
    public = factories.Dataset(owner_org=org["id"], title="Jumlah Penduduk",
                               tags=[{"name": "penduduk"}])
    private = factories.Dataset(owner_org=org["id"], private=True, title="Penduduk Rahasia",
                                tags=[{"name": "penduduk"}, {"name": "rahasia"}])
    other_private = factories.Dataset(owner_org=other_org["id"], private=True,
                                      title="Penduduk Lain", tags=[{"name": "rahasia"}])
    return {"member": member, "outsider": outsider, "org": org, "other_org": other_org,
            "public": public, "private": private, "other_private": other_private}


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestVisibility:
    def test_anonymous_sees_public_only_in_results_counts_and_facets(self, catalog: Any) -> None:
        result = search(None, q="penduduk", include_private=True,
                        **{"facet.field": ["tags", "organization"]})
        assert result["count"] == 1
        assert [r["name"] for r in result["results"]] == [catalog["public"]["name"]]
        tags = {i["name"]: i["count"] for i in result["search_facets"]["tags"]["items"]}
        assert tags == {"penduduk": 1}
        orgs = {i["name"] for i in result["search_facets"]["organization"]["items"]}
        assert orgs == {catalog["org"]["name"]}

    def test_anonymous_cannot_ask_for_private_with_fq(self, catalog: Any) -> None:
        assert search(None, fq="capacity:private", include_private=True)["count"] == 0
        assert search(None, q="rahasia")["count"] == 0

    def test_member_sees_own_org_private_only_with_include_private(self, catalog: Any) -> None:
        member = catalog["member"]
        assert search(member, q="penduduk")["count"] == 1
        result = search(member, q="penduduk", include_private=True,
                        **{"facet.field": ["tags"]})
        names = {r["name"] for r in result["results"]}
        assert names == {catalog["public"]["name"], catalog["private"]["name"]}
        assert result["count"] == 2
        tags = {i["name"]: i["count"] for i in result["search_facets"]["tags"]["items"]}
        assert tags == {"penduduk": 2, "rahasia": 1}

    def test_outsider_sees_no_private(self, catalog: Any) -> None:
        result = search(catalog["outsider"], include_private=True)
        assert {r["name"] for r in result["results"]} == {catalog["public"]["name"]}

    def test_sysadmin_sees_everything(self, catalog: Any) -> None:
        result = search(factories.Sysadmin(), include_private=True)
        assert result["count"] == 3

    @pytest.mark.ckan_config("ckan.auth.allow_dataset_collaborators", "true")
    def test_collaborator_sees_the_private_dataset(self, catalog: Any) -> None:
        helpers.call_action("package_collaborator_create", id=catalog["other_private"]["id"],
                            user_id=catalog["outsider"]["id"], capacity="member")
        result = search(catalog["outsider"], include_private=True)
        names = {r["name"] for r in result["results"]}
        assert names == {catalog["public"]["name"], catalog["other_private"]["name"]}

    def test_private_change_reindexes(self, catalog: Any) -> None:
        helpers.call_action("package_patch", id=catalog["private"]["id"], private=False)
        assert search(None, q="rahasia")["count"] == 1


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestStates:
    def test_drafts_only_for_their_creator(self) -> None:
        author = factories.User()
        draft = factories.Dataset(user=author, state="draft", title="Draf Anggaran")
        assert search(author, q="anggaran")["count"] == 0
        assert search(author, q="anggaran", include_drafts=True)["count"] == 1
        assert search(factories.User(), q="anggaran", include_drafts=True)["count"] == 0
        assert search(None, q="anggaran", include_drafts=True)["count"] == 0
        sysadmin_result = search(factories.Sysadmin(), include_drafts=True)
        assert [r["name"] for r in sysadmin_result["results"]] == [draft["name"]]

    @pytest.mark.ckan_config("ckan.search.remove_deleted_packages", "false")
    def test_deleted_only_with_include_deleted(self) -> None:
        dataset = factories.Dataset(title="Data Lama")
        helpers.call_action("package_delete", id=dataset["id"])
        sysadmin = factories.Sysadmin()
        assert search(sysadmin, q="lama")["count"] == 0
        assert search(sysadmin, q="lama", include_deleted=True)["count"] == 1
        assert search(None, q="lama", include_deleted=True)["count"] == 0

    def test_deleted_are_removed_from_the_index_by_default(self) -> None:
        dataset = factories.Dataset(title="Data Dihapus")
        helpers.call_action("package_delete", id=dataset["id"])
        assert search(factories.Sysadmin(), q="dihapus", include_deleted=True)["count"] == 0

    def test_purge_removes_the_row(self) -> None:
        from ckan import model

        dataset = factories.Dataset()
        helpers.call_action("dataset_purge", id=dataset["id"])
        rows = model.Session.execute(
            sa.text("select count(*) from splpdepok_search_index where id = :id"),
            {"id": dataset["id"]}).scalar()
        assert rows == 0


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestDatasetTypes:
    def test_custom_and_harvest_types(self) -> None:
        factories.Dataset(title="Biasa")
        factories.Dataset(title="Sumber Panen", type="harvest")
        factories.Dataset(title="Peta Kota", type="peta")
        everything = search(None)
        assert everything["count"] == 3
        harvest = search(None, fq="+dataset_type:harvest")
        assert [r["title"] for r in harvest["results"]] == ["Sumber Panen"]
        assert search(None, fq="+dataset_type:dataset")["count"] == 1
        assert search(None, fq="-dataset_type:dataset")["count"] == 2
