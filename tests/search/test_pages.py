"""Pages that list datasets through package_search work without Solr."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestPagesWithSearch:
    def _data(self) -> dict[str, Any]:
        user = factories.User()
        org = factories.Organization(users=[{"name": user["name"], "capacity": "admin"}],
                                     title="Dinas Kesehatan")
        group = factories.Group(title="Kesehatan",
                                users=[{"name": user["name"], "capacity": "member"}])
        public = factories.Dataset(
            owner_org=org["id"], title="Data Kesehatan Masyarakat", user=user,
            groups=[{"name": group["name"]}], tags=[{"name": "puskesmas"}],
        )
        private = factories.Dataset(owner_org=org["id"], private=True, user=user,
                                    title="Data Rahasia Kesehatan")
        return {"user": user, "org": org, "group": group, "public": public, "private": private}

    def test_home(self, app: Any) -> None:
        self._data()
        response = app.get("/")
        assert response.status_code == 200

    def test_dataset_list_shows_public_only(self, app: Any) -> None:
        data = self._data()
        body = app.get("/dataset/").body
        assert data["public"]["title"] in body
        assert data["private"]["title"] not in body

    def test_dataset_search_stems_indonesian(self, app: Any) -> None:
        data = self._data()
        body = app.get("/dataset/", query_string={"q": "sehat"}).body
        assert data["public"]["title"] in body

    def test_dataset_search_facet_filter(self, app: Any) -> None:
        data = self._data()
        body = app.get("/dataset/", query_string={"tags": "puskesmas"}).body
        assert data["public"]["title"] in body
        body = app.get("/dataset/", query_string={"tags": "tidak-ada"}).body
        assert data["public"]["title"] not in body

    def test_bad_query_is_a_clear_error(self, app: Any) -> None:
        self._data()
        response = app.get("/dataset/", query_string={"q": "title:(unclosed"})
        assert response.status_code in (200, 400)
        assert response.status_code != 500

    def test_organization_page(self, app: Any) -> None:
        data = self._data()
        response = app.get(f"/organization/{data['org']['name']}")
        assert response.status_code == 200
        assert data["public"]["title"] in response.body
        assert data["private"]["title"] not in response.body

    def test_organization_page_member_sees_private(self, app: Any) -> None:
        data = self._data()
        response = app.get(f"/organization/{data['org']['name']}",
                           extra_environ={"REMOTE_USER": data["user"]["name"]})
        assert response.status_code == 200
        assert data["private"]["title"] in response.body

    def test_group_page(self, app: Any) -> None:
        data = self._data()
        response = app.get(f"/group/{data['group']['name']}")
        assert response.status_code == 200
        assert data["public"]["title"] in response.body

    def test_user_page(self, app: Any) -> None:
        data = self._data()
        response = app.get(f"/user/{data['user']['name']}")
        assert response.status_code == 200
        assert data["public"]["title"] in response.body

    def test_organization_list_counts(self, app: Any) -> None:
        data = self._data()
        response = app.get("/api/3/action/organization_list",
                           query_string={"all_fields": "true"})
        orgs = response.json["result"]
        assert [o["package_count"] for o in orgs if o["name"] == data["org"]["name"]] == [1]

    def test_autocomplete(self, app: Any) -> None:
        data = self._data()
        response = app.get("/api/2/util/dataset/autocomplete", query_string={"incomplete": "kese"})
        names = [r["name"] for r in response.json["ResultSet"]["Result"]]
        assert names == [data["public"]["name"]]
