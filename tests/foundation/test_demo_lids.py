"""The demo Katalog LID: `ckan splpdepok demo load` gives the city's IPPD a few LIDs tied to
demo datasets and a connection plan, so /katalog-lid is not empty after `scripts/portal up`;
a second load changes nothing."""

from __future__ import annotations

from bs4 import BeautifulSoup
from ckanext.splpdepok.demo.logic.lids import read

from tests.support.live_server import LiveServer, demo_portal  # noqa: F401

LIVE_SERVER_CONFIG = {"ckanext.splpdepok.splp.base_url": "https://splp.layanan.go.id"}
SPEC = read()


def test_demo_lids_are_listed_and_tied_to_demo_datasets(demo_portal: LiveServer) -> None:  # noqa: F811
    found = demo_portal.action("splpdepok_lid_list", {"limit": 100})
    open_names = {s["name"] for s in SPEC["lids"] if s["classification"] == "terbuka"}
    assert {r["name"] for r in found["results"]} == open_names  # anonymous: open ones only
    assert all(r["status"] == "ready" and r["datasets"] for r in found["results"])
    served = demo_portal.action("splpdepok_lid_list",
                                {"dataset": "titik-wifi-publik-kota-depok-2024"})
    assert [r["name"] for r in served["results"]] == ["Titik Wi-Fi Publik Kota Depok"]
    page = demo_portal.get("/katalog-lid")
    text = BeautifulSoup(page.text, "html.parser").get_text(" ", strip=True)
    assert page.status_code == 200 and "Aduan Masyarakat SP4N-LAPOR Kota Depok" in text


def test_demo_plan_is_prepared_and_sent(demo_portal: LiveServer) -> None:  # noqa: F811
    token = demo_portal.api_token("walidata-depok")
    plan = demo_portal.action("splpdepok_lid_plan_show", {"id": "depok.go.id"}, token=token)
    assert plan["status"] == "sent" and len(plan["lids"]) == len(SPEC["lids"])
    assert [e["sop_step"] for e in plan["events"]] == [11, 12]


def test_second_load_changes_no_lid(demo_portal: LiveServer) -> None:  # noqa: F811
    output = demo_portal.ckan("splpdepok", "demo", "load", "--quiet")
    assert f"lids: 0 created, 0 updated, {len(SPEC['lids'])} unchanged" in output
    assert "plans: 0 created, 0 updated, 1 unchanged" in output
    assert "ippds: 0 created, 0 updated, 1 unchanged" in output
