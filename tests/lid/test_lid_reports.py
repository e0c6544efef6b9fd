"""Connection-check reports (JSON action, page, CSV), the guide download, dataset links and
what happens when a sync job crashes."""
from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.common.clock import now
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.lid.logic import adapter
from ckanext.splpdepok.lid.model import Check, Plan, PublicationRun

from tests.lid.conftest import call, lid_fields, operator_dataset, present, run_lid_jobs
from tests.lid.test_lid_connection import _entries, _plan_to_step_14
from tests.support.splp_double import SplpDouble

pytestmark = pytest.mark.usefixtures("lid_db")


@pytest.fixture
def checked(lid_people: SimpleNamespace, splp_portal: SplpDouble) -> dict[str, Any]:
    """A plan synced and checked once (connected), with a formula-like LID name."""
    lids = _entries(lid_people)
    lids.append(call("lid_create", lid_people.operator, ready=True,
                     **lid_fields(name="=HYPERLINK(\"x\")", context="rumus")))
    plan = _plan_to_step_14(lid_people, lids)
    call("lid_sync", lid_people.admin, id=plan["id"], confirm_without_dry_run=True,
         background=False)
    call("lid_check", lid_people.admin, id=plan["id"])
    return {"plan": plan, "lids": lids}


def _get(app: Any, path: str, user: dict[str, Any] | None) -> Any:
    headers = {}
    if user is not None:
        headers["Authorization"] = factories.APIToken(user=user["name"])["token"]
    return app.get(path, headers=headers)


def test_report_action_is_for_managers_only(
        lid_people: SimpleNamespace, checked: dict[str, Any]) -> None:
    plan_id = checked["plan"]["id"]
    for user in (lid_people.operator, lid_people.outsider, None):
        with pytest.raises(tk.NotAuthorized):
            call("lid_check_report", user, id=plan_id)
    with pytest.raises(tk.NotAuthorized):
        call("lid_check_report", lid_people.operator)
    mine = call("lid_check_report", lid_people.admin)
    assert len(mine["checks"]) == 1 and mine["checks"][0]["ippd_domain"] == "depok.go.id"
    assert len(mine["checks"][0]["results"]) == 3


def test_report_filters_by_the_callers_ippds_before_paging(
        lid_people: SimpleNamespace, checked: dict[str, Any]) -> None:
    """More (and newer) checks of another IPPD than a page holds: the IPPD admin still gets
    their own."""
    stamp = now()
    other = Plan(id=new_id(), ippd_domain="bogor.go.id", splp_base_url="https://splp.example",
                 tenant_domain="bogor.go.id", lid_ids=[], status="synced", version=1,
                 creator_user_id=lid_people.sysadmin["id"], created=stamp, modified=stamp)
    model.Session.add(other)
    model.Session.flush()
    for minutes in range(1, 4):
        model.Session.add(Check(id=new_id(), plan_id=other.id, connected=False,
                                triggered_by="", created=stamp + dt.timedelta(minutes=minutes)))
    model.repo.commit()
    mine = call("lid_check_report", lid_people.admin, limit=2)
    assert [c["ippd_domain"] for c in mine["checks"]] == ["depok.go.id"]
    assert call("lid_check_report", lid_people.admin, limit=2, offset=1)["checks"] == []
    with pytest.raises(tk.ValidationError):
        call("lid_check_report", lid_people.admin, limit=1000)  # one maximum: 100


def test_csv_page_guide_and_dataset_links(
        lid_people: SimpleNamespace, checked: dict[str, Any], app: Any) -> None:
    plan_id = checked["plan"]["id"]
    response = _get(app, f"/katalog-lid/laporan.csv?plan={plan_id}", lid_people.walidata)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3 and {r["connected"] for r in rows} == {"True"}
    assert "'=HYPERLINK(\"x\")" in [r["lid_name"] for r in rows]  # no formula injection
    assert all(r["status_code"] == "200" and float(r["latency_ms"]) >= 0 for r in rows)
    assert _get(app, "/katalog-lid/laporan.csv", None).status_code == 403
    assert _get(app, "/katalog-lid/laporan", lid_people.outsider).status_code == 403
    page = _get(app, "/katalog-lid/laporan", lid_people.admin).get_data(as_text=True)
    assert "Data Penduduk per Kecamatan" in page

    guide = _get(app, f"/katalog-lid/rencana/{plan_id}/panduan", lid_people.admin)
    assert guide.status_code == 200 and guide.data.startswith(b"%PDF")
    assert _get(app, f"/katalog-lid/rencana/{plan_id}/panduan",
                lid_people.outsider).status_code == 404

    lid = checked["lids"][0]
    served = _get(app, f"/katalog-lid/{lid['id']}", None).get_data(as_text=True)
    assert 'href="/dataset/jumlah-penduduk"' in served
    found = call("lid_list", None, dataset="jumlah-penduduk")
    assert [x["name"] for x in found["results"]] == ["Data Penduduk per Kecamatan"]


def test_a_crashed_sync_job_is_marked_failed(
        lid_people: SimpleNamespace, splp_portal: SplpDouble, reset_redis: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reset_redis()
    plan = _plan_to_step_14(lid_people, _entries(lid_people))

    def broken(base_url: str | None = None) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(adapter, "publisher", broken)
    queued = call("lid_sync", lid_people.admin, id=plan["id"], confirm_without_dry_run=True)
    with pytest.raises(tk.ValidationError, match="already queued"):
        call("lid_sync", lid_people.admin, id=plan["id"], confirm_without_dry_run=True)
    run_lid_jobs()
    run = present(PublicationRun.get(queued["id"]))
    assert run.status == "failed" and "RuntimeError" in run.message
    assert call("lid_plan_show", lid_people.admin, id=plan["id"])["status"] == \
        "sync_instructed"


def test_dataset_page_snippet_lists_visible_lids(
        lid_people: SimpleNamespace, app: Any) -> None:
    dataset = operator_dataset(lid_people, "data-sekolah")
    call("lid_create", lid_people.operator, ready=True,
         **lid_fields(name="Sekolah Terbuka", context="sekolah", datasets=["data-sekolah"]))
    call("lid_create", lid_people.operator, ready=True,
         **lid_fields(name="Sekolah Terbatas", context="sekolah-rinci",
                      classification="terbatas", datasets=["data-sekolah"]))
    with app.flask_app.test_request_context():
        html = tk.render_snippet("splpdepok/lid/snippets/dataset_lids.html", {"pkg": dataset})
    assert "Sekolah Terbuka" in html and "Sekolah Terbatas" not in html
    assert "/katalog-lid/" in html


def test_a_run_whose_worker_died_does_not_block_the_plan(
        lid_people: SimpleNamespace, splp_portal: SplpDouble, reset_redis: Any) -> None:
    reset_redis()
    plan = _plan_to_step_14(lid_people, _entries(lid_people))
    stuck = call("lid_sync", lid_people.admin, id=plan["id"], confirm_without_dry_run=True)
    row = present(PublicationRun.get(stuck["id"]))
    row.status, row.created = "running", row.created - dt.timedelta(hours=2)
    model.repo.commit()
    fresh = call("lid_sync", lid_people.admin, id=plan["id"], confirm_without_dry_run=True,
                 background=False)
    assert fresh["status"] == "succeeded"
    assert present(PublicationRun.get(stuck["id"])).status == "failed"


def test_admin_area_has_the_connection_checks_tab(
        lid_people: SimpleNamespace, app: Any) -> None:
    page = _get(app, "/ckan-admin", lid_people.sysadmin)
    assert page.status_code == 200 and 'href="/katalog-lid/laporan"' in page.get_data(
        as_text=True)
