"""The portal with its demo data, over real HTTP: pages answer, facets count, privacy holds.

The server is ``ckan run`` with config/portal.ini's plugins on a freshly reset test database
into which ``ckan splpdepok demo load`` loaded the demo data (``demo_portal``).
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from ckanext.splpdepok.demo.data import read_data

from tests.support.live_server import LiveServer, demo_portal  # noqa: F401

DATA = read_data()
PUBLIC = [d for d in DATA.datasets if not d["private"]]
PRIVATE = [d for d in DATA.datasets if d["private"]]


@pytest.fixture(scope="module")
def sysadmin_token(demo_portal: LiveServer) -> str:  # noqa: F811
    demo_portal.create_user("uji-sysadmin", sysadmin=True)
    return demo_portal.api_token("uji-sysadmin")


def soup(response: Any) -> BeautifulSoup:
    assert response.status_code == 200, response.url
    return BeautifulSoup(response.text, "html.parser")


def facet_counts(page: BeautifulSoup, facet: str) -> dict[str, int]:
    """{value: count} of one facet list on /dataset (links like ?organization=dinkes)."""
    counts: dict[str, int] = {}
    for link in page.select(f"a[href*='{facet}=']"):
        badge = link.select_one(".item-count")
        match = re.search(rf"[?&]{facet}=([^&]+)", str(link["href"]))
        if badge and match:
            counts[match.group(1)] = int(badge.get_text(strip=True))
    return counts


def _count_in(link: Any) -> int:
    count = link.select_one(".splpdepok-count")
    assert count is not None, link
    return int(count.text)


def result_count(page: BeautifulSoup) -> int:
    """The "N datasets found" figure of a search page (English or Indonesian UI)."""
    text = page.get_text(" ", strip=True)
    match = re.search(r"(\d+) datasets? (?:found|ditemukan)", text)
    assert match, "no result count on the page"
    return int(match.group(1))


@pytest.mark.parametrize(
    "path", ["/", "/dataset", "/dataset?q=kesehatan", "/organization/dinkes", "/group/kesehatan"]
)
def test_pages_answer(demo_portal: LiveServer, path: str) -> None:  # noqa: F811
    page = soup(demo_portal.get(path))
    assert "Satu Data Kota Depok" in page.get_text()


@pytest.mark.parametrize(
    ("prefix", "labels"),
    [
        ("", ["Dataset", "Organisasi", "Grup", "Katalog LID", "Pendaftaran", "Tentang"]),
        ("/en", ["Datasets", "Organizations", "Groups", "LID Catalog", "Registration", "About"]),
    ],
)
def test_main_navigation_in_both_languages(
    demo_portal: LiveServer,  # noqa: F811
    prefix: str,
    labels: list[str],
) -> None:
    page = soup(demo_portal.get(prefix + "/dataset"))
    links = page.select(".masthead .main-navbar ul li a")
    assert [a.get_text(strip=True) for a in links] == labels
    hrefs = [a["href"] for a in links]
    assert hrefs[3:5] == [f"{prefix}/katalog-lid", f"{prefix}/pendaftaran"]
    active = [a.get_text(strip=True) for a in page.select(".masthead .main-navbar li.active a")]
    assert active == [labels[0]]


def test_dataset_page_shows_its_metadata(demo_portal: LiveServer) -> None:  # noqa: F811
    dataset = next(d for d in PUBLIC if d["name"] == "jumlah-puskesmas-per-kecamatan-2023")
    text = soup(demo_portal.get(f"/dataset/{dataset['name']}")).get_text(" ", strip=True)
    assert dataset["title"] in text
    assert "Dinas Kesehatan" in text
    for resource in dataset["resources"]:
        assert resource["name"] in text


def test_search_finds_by_word(demo_portal: LiveServer) -> None:  # noqa: F811
    page = soup(demo_portal.get("/dataset?q=puskesmas"))
    titles = [a.get_text(strip=True) for a in page.select(".dataset-heading a")]
    assert "Jumlah Puskesmas per Kecamatan di Kota Depok 2023" in titles


def test_facets_show_counts_of_public_datasets(demo_portal: LiveServer) -> None:  # noqa: F811
    page = soup(demo_portal.get("/dataset?_organization_limit=0&_groups_limit=0"))
    assert result_count(page) == len(PUBLIC)
    orgs = facet_counts(page, "organization")
    expected = {}
    for d in PUBLIC:
        expected[d["owner_org"]] = expected.get(d["owner_org"], 0) + 1
    assert orgs == expected
    groups = facet_counts(page, "groups")
    assert groups["kesehatan"] == sum(1 for d in PUBLIC if {"name": "kesehatan"} in d["groups"])
    assert facet_counts(page, "res_format")["CSV"] > 0


def test_anonymous_never_sees_private_datasets(
    demo_portal: LiveServer,  # noqa: F811
    sysadmin_token: str,
) -> None:
    private = PRIVATE[0]
    assert demo_portal.get(f"/dataset/{private['name']}").status_code == 404
    assert demo_portal.get(f"/dataset/{private['name']}", token=sysadmin_token).status_code == 200
    anonymous = demo_portal.action("package_search", {"rows": 1000, "include_private": True})
    assert anonymous["count"] == len(PUBLIC)
    assert not {d["name"] for d in PRIVATE} & {d["name"] for d in anonymous["results"]}
    admin = demo_portal.action(
        "package_search", {"rows": 1000, "include_private": True}, token=sysadmin_token
    )
    assert admin["count"] == len(DATA.datasets)
    words = private["title"].split()[1:3]
    query = "/dataset?q=" + "+".join(words)
    assert private["title"] not in demo_portal.get(query).text
    assert private["title"] in demo_portal.get(query, token=sysadmin_token).text


def test_counts_differ_between_anonymous_and_sysadmin(
    demo_portal: LiveServer,  # noqa: F811
    sysadmin_token: str,
) -> None:
    org = PRIVATE[0]["owner_org"]
    public_in_org = sum(1 for d in PUBLIC if d["owner_org"] == org)
    all_in_org = sum(1 for d in DATA.datasets if d["owner_org"] == org)
    assert all_in_org > public_in_org
    assert result_count(soup(demo_portal.get(f"/organization/{org}"))) == public_in_org
    admin_page = soup(demo_portal.get(f"/organization/{org}", token=sysadmin_token))
    assert result_count(admin_page) == all_in_org
    admin_search = soup(demo_portal.get("/dataset?_organization_limit=0", token=sysadmin_token))
    assert result_count(admin_search) == len(DATA.datasets)
    assert facet_counts(admin_search, "organization")[org] == all_in_org


def test_home_page_figures_count_public_datasets_only(
    demo_portal: LiveServer,  # noqa: F811
    sysadmin_token: str,
) -> None:
    """The home page presents the public catalog, to visitors and to sysadmins alike."""
    for token in (None, sysadmin_token):
        page = soup(demo_portal.get("/", token=token))
        stat = page.select_one(".splpdepok-stat-datasets")
        assert stat is not None and stat.get_text(strip=True) == str(len(PUBLIC))
        agencies = {
            str(a["href"]).rstrip("/").rsplit("/", 1)[-1]: _count_in(a)
            for a in page.select(".splpdepok-agencies a")
        }
        assert len(agencies) >= 5
        for name, count in agencies.items():
            assert count == sum(1 for d in PUBLIC if d["owner_org"] == name), name
        recent = {a.get_text(strip=True) for a in page.select(".splpdepok-recent-title")}
        assert recent and not recent & {d["title"] for d in PRIVATE}


def test_listing_counts_leave_private_datasets_out(demo_portal: LiveServer) -> None:  # noqa: F811
    """/organization and /group cards, and the API lists, count only what anonymous may see."""
    org = PRIVATE[0]["owner_org"]
    listed = demo_portal.action("organization_list", {"all_fields": True})
    counts = {o["name"]: o["package_count"] for o in listed}
    assert counts[org] == sum(1 for d in PUBLIC if d["owner_org"] == org)
    page = soup(demo_portal.get("/organization"))
    card = page.select_one(f"a[href$='/organization/{org}']")
    assert card is not None
    item = card.find_parent("li") or card
    text = item.get_text(" ", strip=True)
    assert re.search(rf"\b{counts[org]}\b", text), text


def test_sdi_metadata_is_kept(demo_portal: LiveServer, sysadmin_token: str) -> None:  # noqa: F811
    dataset = PUBLIC[0]
    shown = demo_portal.action("package_show", {"id": dataset["name"]})
    extras = {e["key"]: e["value"] for e in shown.get("extras", [])}
    for field in ("satuan", "ukuran", "accessRights", "publisher_type"):
        assert (shown.get(field) or extras.get(field)) == dataset[field], field
    assert shown["author"] == dataset["author"]


def _db_counts() -> dict[str, int]:
    engine = sa.create_engine(os.environ["CKAN_SQLALCHEMY_URL"])
    queries = {
        "packages": "SELECT count(*) FROM package",
        "resources": "SELECT count(*) FROM resource WHERE state = 'active'",
        "groups": 'SELECT count(*) FROM "group"',
        "members": "SELECT count(*) FROM member WHERE state = 'active'",
        "users": 'SELECT count(*) FROM "user"',
        "tags": "SELECT count(*) FROM package_tag WHERE state = 'active'",
        "extras": "SELECT count(*) FROM package_extra WHERE state = 'active'",
        "activities": "SELECT count(*) FROM activity",
    }
    with engine.connect() as conn:
        counts = {k: int(conn.execute(sa.text(q)).scalar_one()) for k, q in queries.items()}
    engine.dispose()
    return counts


def test_loading_again_changes_nothing(demo_portal: LiveServer) -> None:  # noqa: F811
    before = _db_counts()
    assert before["packages"] == len(DATA.datasets)
    assert before["resources"] == sum(len(d["resources"]) for d in DATA.datasets)
    output = demo_portal.ckan("splpdepok", "demo", "load")
    assert f"datasets: 0 created, 0 updated, {len(DATA.datasets)} unchanged" in output
    assert "organizations: 0 created, 0 updated" in output
    assert _db_counts() == before


def test_loading_again_restores_edited_data_in_place(
    demo_portal: LiveServer,  # noqa: F811
    sysadmin_token: str,
) -> None:
    name = PUBLIC[0]["name"]
    shown = demo_portal.action("package_show", {"id": name})
    resource_ids = [r["id"] for r in shown["resources"]]
    demo_portal.action(
        "package_patch", {"id": name, "title": "Diubah oleh pengguna"}, token=sysadmin_token
    )
    before = _db_counts()
    output = demo_portal.ckan("splpdepok", "demo", "load", "--quiet")
    assert f"datasets: 0 created, 1 updated, {len(DATA.datasets) - 1} unchanged" in output
    restored = demo_portal.action("package_show", {"id": name})
    assert restored["title"] == PUBLIC[0]["title"]
    assert [r["id"] for r in restored["resources"]] == resource_ids
    after = _db_counts()
    assert {k: v for k, v in after.items() if k != "activities"} == {
        k: v for k, v in before.items() if k != "activities"
    }
    admin = demo_portal.action("package_search", {"include_private": True}, token=sysadmin_token)
    assert admin["count"] == len(DATA.datasets)
