"""The dataset page on the portal's real plugin set (config/portal.ini) stays cheap: at most two
searches, the organization sidebar from the organization's row, the JSON-LD block
(ckanext-dcat's structured_data) rendered once per dataset revision and then read from Redis."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ckan.lib import helpers as ckan_helpers
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.splpdepok.schemas.helpers import JSONLD_KEY_PREFIX, jsonld_cache_key

from tests.schema.plugin_config import national_fields, resources
from tests.support.live_server import portal_plugins, portal_settings
from tests.support.search_count import counting_index_selects

_SETTINGS = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", " ".join(portal_plugins())),
    *[pytest.mark.ckan_config(k, _SETTINGS[k]) for k in (
        "scheming.dataset_schemas", "scheming.presets", "scheming.dataset_fallback",
        "ckanext.dcat.rdf.profiles", "ckan.locale_default", "ckan.locales_offered",
        "ckan.site_title")],
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis",
                            "activity_tables"),
]

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def activity_tables(with_plugins: Any, clean_db: Any, migrate_db_for: Any) -> None:
    """The portal runs ``activity``: its tables after each reset."""
    migrate_db_for("activity")


@pytest.fixture
def catalog() -> dict[str, Any]:
    """An organization with a description and an image, a group, and datasets in both (the
    organization's dataset count and its groups' counts are what organization_show searches
    for)."""
    admin = {"user": factories.Sysadmin()["name"]}
    org = factories.Organization(
        name="dinas-kependudukan", title="Dinas Kependudukan dan Pencatatan Sipil",
        description="Dinas yang mengelola **data penduduk** Kota Depok.",
        image_url="https://data.depok.go.id/logo/disdukcapil.png")
    datasets = [
        call_action("package_create", context=dict(admin), name=f"penduduk-{year}",
                    title=f"Jumlah Penduduk {year}", owner_org=org["id"],
                    resources=resources(), **national_fields())
        for year in (2023, 2024, 2025)
    ]
    private = call_action("package_create", context=dict(admin), name="penduduk-rahasia",
                          private=True, title="Data Penduduk Rahasia", owner_org=org["id"],
                          resources=resources(), **national_fields())
    return {"org": org, "datasets": datasets, "private": private, "admin": admin}


@pytest.fixture
def structured_data_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The dataset ids ckanext-dcat's ``h.structured_data`` renders the JSON-LD of."""
    calls: list[str] = []
    original: Callable[..., str] = ckan_helpers.helper_functions["structured_data"]

    def counting(dataset_dict: dict[str, Any], *args: Any, **kwargs: Any) -> str:
        calls.append(dataset_dict["id"])
        return original(dataset_dict, *args, **kwargs)

    monkeypatch.setitem(ckan_helpers.helper_functions, "structured_data", counting)
    yield calls


def _jsonld(html: str) -> str:
    blocks = JSONLD.findall(html)
    assert len(blocks) == 1, f"one JSON-LD block expected, found {len(blocks)}"
    return blocks[0]


def _editor_headers(catalog: dict[str, Any]) -> dict[str, str]:
    user = factories.UserWithToken()
    call_action("organization_member_create", context=dict(catalog["admin"]),
                id=catalog["org"]["id"], username=user["name"],
                role="editor")
    return {"Authorization": user["token"]}


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_a_dataset_page_runs_at_most_two_searches(app: Any, catalog: dict[str, Any],
                                                  who: str) -> None:
    headers = _editor_headers(catalog) if who == "editor" else {}
    name = catalog["datasets"][1]["name"]
    app.get(f"/dataset/{name}", headers=headers)  # first render (fills the JSON-LD cache)
    for path in (f"/dataset/{name}", f"/id/dataset/{name}"):
        with counting_index_selects() as searches:
            response = app.get(path, headers=headers)
        assert response.status_code == 200
        assert "Jumlah Penduduk 2024" in response.body
        assert len(searches) <= 2, f"{path} ran {len(searches)} searches:\n" + "\n".join(
            s[:200] for s in searches)


def test_the_sidebar_shows_the_organization_with_its_links(app: Any,
                                                           catalog: dict[str, Any]) -> None:
    html = app.get(f"/dataset/{catalog['datasets'][0]['name']}").body
    start = html.index('id="organization-info"')
    sidebar = html[start:html.index("</section>", start)]
    assert "Dinas Kependudukan dan Pencatatan Sipil" in sidebar
    assert 'href="/organization/dinas-kependudukan"' in sidebar
    assert 'href="/organization/about/dinas-kependudukan"' in sidebar
    assert "Dinas yang mengelola data penduduk Kota Depok." in sidebar  # Markdown extract
    assert 'src="https://data.depok.go.id/logo/disdukcapil.png"' in sidebar
    # rendered once: the page holds one organization box (CKAN renders the sidebar twice)
    assert html.count('id="organization-info"') == 1


def test_the_sidebar_follows_an_organization_renamed_later(app: Any,
                                                           catalog: dict[str, Any]) -> None:
    call_action("organization_patch", context=dict(catalog["admin"]), id=catalog["org"]["id"],
                title="Disdukcapil Kota Depok", image_url="disdukcapil.png")
    html = app.get(f"/dataset/{catalog['datasets'][0]['name']}").body
    start = html.index('id="organization-info"')
    sidebar = html[start:html.index("</section>", start)]
    assert "Disdukcapil Kota Depok" in sidebar
    assert re.search(r'src="[^"]*/uploads/group/disdukcapil\.png"', sidebar), sidebar


def test_the_jsonld_block_is_read_from_cache_until_the_dataset_changes(
    app: Any, catalog: dict[str, Any], structured_data_calls: list[str],
) -> None:
    dataset = catalog["datasets"][0]
    path = f"/dataset/{dataset['name']}"
    first = _jsonld(app.get(path).body)
    assert structured_data_calls == [dataset["id"]]
    assert "Jumlah Penduduk 2023" in first
    assert list(connect_to_redis().scan_iter(f"{JSONLD_KEY_PREFIX}{dataset['id']}:*"))

    second = _jsonld(app.get(path).body)
    assert structured_data_calls == [dataset["id"]], "the second render was not cached"
    assert second == first

    call_action("package_patch", context=dict(catalog["admin"]), id=dataset["id"],
                title="Jumlah Penduduk Kota Depok 2023")
    third = _jsonld(app.get(path).body)
    assert structured_data_calls == [dataset["id"], dataset["id"]], "new revision not rendered"
    assert "Jumlah Penduduk Kota Depok 2023" in third
    assert _jsonld(app.get(path).body) == third
    assert len(structured_data_calls) == 2


def test_a_private_dataset_jsonld_is_never_cached(app: Any, catalog: dict[str, Any],
                                                  structured_data_calls: list[str]) -> None:
    private = catalog["private"]
    headers = _editor_headers(catalog)
    for _ in range(2):
        html = app.get(f"/dataset/{private['name']}", headers=headers).body
        assert "Data Penduduk Rahasia" in _jsonld(html)
    assert structured_data_calls == [private["id"], private["id"]]
    assert not list(connect_to_redis().scan_iter(f"{JSONLD_KEY_PREFIX}{private['id']}:*"))
    assert app.get(f"/dataset/{private['name']}").status_code == 404  # anonymous: no page


def test_a_dataset_made_private_does_not_get_its_public_jsonld(
    app: Any, catalog: dict[str, Any], structured_data_calls: list[str],
) -> None:
    dataset = catalog["datasets"][2]
    public = _jsonld(app.get(f"/dataset/{dataset['name']}").body)
    # the bulk action flips ``private`` in one UPDATE: the revision stamp may stay the same
    call_action("bulk_update_private", context=dict(catalog["admin"]), datasets=[dataset["id"]],
                org_id=catalog["org"]["id"])
    assert call_action("package_show", id=dataset["id"])["private"] is True
    html = app.get(f"/dataset/{dataset['name']}", headers=_editor_headers(catalog)).body
    assert "Jumlah Penduduk 2025" in _jsonld(html) and public
    assert structured_data_calls == [dataset["id"], dataset["id"]], "served from the cache"
    assert app.get(f"/dataset/{dataset['name']}").status_code == 404


def test_the_cache_key_names_the_revision_and_leaves_private_datasets_out() -> None:
    pkg = {"id": "a1", "metadata_modified": "2026-12-02T10:00:00.000001", "private": False}
    key = jsonld_cache_key(pkg, "id", "https://data.depok.go.id", "schemaorg")
    assert key is not None and key.startswith(f"{JSONLD_KEY_PREFIX}a1:")
    assert jsonld_cache_key(pkg, "id", "https://data.depok.go.id", "schemaorg") == key
    for changed in (
        jsonld_cache_key({**pkg, "metadata_modified": "2026-12-02T10:00:01"}, "id",
                         "https://data.depok.go.id", "schemaorg"),
        jsonld_cache_key(pkg, "en", "https://data.depok.go.id", "schemaorg"),
        jsonld_cache_key(pkg, "id", "https://satudata.depok.go.id", "schemaorg"),
        jsonld_cache_key(pkg, "id", "https://data.depok.go.id", "schemaorg croissant"),
    ):
        assert changed is not None and changed != key
    assert jsonld_cache_key({**pkg, "private": True}, "id", "u", "schemaorg") is None
    assert jsonld_cache_key({**pkg, "private": None}, "id", "u", "schemaorg") is None
    assert jsonld_cache_key({"id": "a1", "private": False}, "id", "u", "schemaorg") is None
