"""Bad input gives a clear error (409/400 through the API), never a 500 or a database error."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ckan.lib.search import SearchError
from ckan.logic import ValidationError
from ckan.tests import factories, helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LUCENE_ALPHABET = st.sampled_from(list(
    'ab1 :*?"()[]{}+-!^~\\/&|ATONDROTkesehatanstate_id_'))
query_text = st.text(LUCENE_ALPHABET, max_size=40) | st.text(max_size=30)
FIELDS = ["title", "tags", "name", "metadata_modified", "res_format", "extras_x",
          "views_total", "score", "title_string", "x-y", "ke sehatan", ""]
sort_text = st.lists(
    st.tuples(st.sampled_from(FIELDS), st.sampled_from(["asc", "desc", "ASC", "", "up"])),
    min_size=1, max_size=3,
).map(lambda parts: ", ".join(f"{f} {d}".strip() for f, d in parts)) | st.text(max_size=20)


def _search(**params: Any) -> dict[str, Any]:
    return helpers.call_action("package_search", context={"user": "", "ignore_auth": False},
                               **params)


def _assert_clean_outcome(**params: Any) -> None:
    from ckan import model

    try:
        result = _search(**params)
    except (SearchError, ValidationError):
        pass
    else:
        assert isinstance(result["count"], int)
    # the session is still usable: no aborted transaction was left behind
    assert model.Session.execute(sa.text("select 1")).scalar() == 1


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestBadInput:
    @pytest.mark.parametrize("params", [
        {"q": "title:(unclosed"}, {"q": '"open'}, {"fq": "tags:[a TO"},
        {"sort": "metadata_modified"}, {"sort": "name sideways"}, {"sort": "geodist() asc"},
        {"q": "metadata_modified:[kemarin TO *]"}, {"q": "AND"},
        {"q": "views_total:banyak"}, {"fq": "{!knn f=x}y"},
    ])
    def test_search_errors(self, params: dict[str, Any]) -> None:
        factories.Dataset()
        with pytest.raises(SearchError) as error:
            _search(**params)
        assert str(error.value)

    @pytest.mark.parametrize("params", [
        {"rows": "banyak"}, {"rows": -5}, {"start": "x"}, {"facet.limit": "x"},
        {"facet.mincount": -1}, {"facet.field": "not json ["},
    ])
    def test_validation_errors(self, params: dict[str, Any]) -> None:
        with pytest.raises(ValidationError):
            _search(**params)

    def test_bad_facet_field_name(self) -> None:
        with pytest.raises(SearchError):
            _search(**{"facet.field": ["tags; drop table package"]})

    @pytest.mark.parametrize("query", [
        {"q": "title:(unclosed"}, {"sort": "metadata_modified"}, {"rows": "x"},
        {"facet.field": '["a b"]'}, {"fq": "[x TO"},
    ])
    def test_api_answers_4xx_with_message(self, app: Any, query: dict[str, str]) -> None:
        response = app.get("/api/3/action/package_search", query_string=query)
        assert response.status_code in (400, 409)
        body = response.json
        assert body["success"] is False
        assert body["error"]

    def test_dataset_page_with_bad_query_is_not_a_500(self, app: Any) -> None:
        response = app.get("/dataset/", query_string={"q": "title:(unclosed"})
        assert response.status_code == 400
        response = app.get("/dataset/", query_string={"sort": "bogus"})
        assert response.status_code == 400


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestRandomInput:
    @settings(max_examples=120, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(q=query_text, fq=query_text)
    def test_random_q_and_fq(self, q: str, fq: str) -> None:
        _assert_clean_outcome(q=q, fq=fq, **{"facet.field": ["tags", "organization"]})

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(sort=sort_text, rows=st.integers(-3, 2000) | st.text(max_size=4),
           start=st.integers(-3, 10) | st.text(max_size=4),
           limit=st.integers(-5, 5) | st.text(max_size=3))
    def test_random_sort_and_paging(self, sort: str, rows: Any, start: Any, limit: Any) -> None:
        _assert_clean_outcome(sort=sort, rows=rows, start=start,
                              **{"facet.limit": limit, "facet.field": ["tags"]})
