"""The LID forms and the plan's step buttons, through CKAN's web app (signed in by API token)."""
from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.lid.model import Lid, Plan

from tests.lid.conftest import LID_PDF, call, lid_fields, present, run_lid_jobs
from tests.support.splp_double import SplpDouble

pytestmark = pytest.mark.usefixtures("lid_db")

FORM = {"name": "Data Posyandu", "description": "Posyandu per kelurahan",
        "endpoint_url": "https://api.depok.go.id/posyandu", "output_format": "JSON",
        "classification": "terbuka", "context": "kesehatan/posyandu", "version": "1.0",
        "attributes": "kelurahan | string | Nama kelurahan\njumlah | integer | Jumlah posyandu",
        "datasets": "", "ready": "on"}


def _headers(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_operator_adds_and_edits_an_lid(lid_people: SimpleNamespace, app: Any) -> None:
    headers = _headers(lid_people.operator)
    page = app.get("/katalog-lid/baru", headers=headers)
    assert page.status_code == 200 and 'name="_csrf_token"' in page.get_data(as_text=True)
    assert app.get("/katalog-lid/baru", headers=_headers(lid_people.outsider)).status_code == 403

    bad = app.post("/katalog-lid/baru", headers=headers,
                   data=dict(FORM, endpoint_url="bukan-url", attributes="nama kolom | x"))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "splpdepok-lid-errors" in text and "endpoint_url" in text
    assert model.Session.query(Lid).count() == 0

    created = app.post("/katalog-lid/baru", headers=headers, data=FORM, follow_redirects=False)
    assert created.status_code == 302
    lid = model.Session.query(Lid).one()
    assert (lid.status, lid.attributes[1]["type"]) == ("ready", "integer")
    edit = app.get(f"/katalog-lid/{lid.id}/ubah", headers=headers).get_data(as_text=True)
    assert "jumlah | integer | Jumlah posyandu" in edit
    app.post(f"/katalog-lid/{lid.id}/ubah", headers=headers,
             data=dict(FORM, name="Data Posyandu Aktif"))
    model.Session.expire_all()
    assert present(Lid.get(lid.id)).name == "Data Posyandu Aktif"
    assert app.post(f"/katalog-lid/{lid.id}/hapus",
                    headers=_headers(lid_people.outsider)).status_code == 404
    app.post(f"/katalog-lid/{lid.id}/hapus", headers=headers)
    model.Session.expire_all()
    assert Lid.get(lid.id) is None


def test_plan_steps_through_the_page(
        lid_people: SimpleNamespace, splp_portal: SplpDouble, app: Any) -> None:
    call("lid_create", lid_people.operator, ready=True, **lid_fields())
    operator, admin = _headers(lid_people.operator), _headers(lid_people.admin)
    opened = app.post("/katalog-lid/rencana", headers=operator, follow_redirects=False)
    plan = present(Plan.get("depok.go.id"))
    assert opened.status_code == 302 and len(plan.lid_ids) == 1
    again = app.post("/katalog-lid/rencana", headers=operator, follow_redirects=False)
    assert again.headers["Location"].endswith(f"/katalog-lid/rencana/{plan.id}")

    step = f"/katalog-lid/rencana/{plan.id}/langkah"
    assert app.post(step, headers=operator, data={"step": "send"}).status_code == 403
    app.post(step, headers=admin, data={"step": "send"})
    app.post(step, headers=admin, data={"step": "receive_guide", "guide_upload": (
        io.BytesIO(LID_PDF), "juknis.pdf")}, content_type="multipart/form-data")
    app.post(step, headers=admin, data={"step": "instruct_sync"})
    model.Session.expire_all()
    assert present(Plan.get(plan.id)).status == "sync_instructed"
    page = app.get(f"/katalog-lid/rencana/{plan.id}", headers=admin).get_data(as_text=True)
    assert 'id="step-dry_run"' in page and "juknis.pdf" in page

    before = len(splp_portal.requests)
    queued = app.post(step, headers=admin, data={"step": "dry_run"}, follow_redirects=False)
    run_page = queued.headers["Location"]
    assert 'id="splpdepok-run-pending"' in app.get(run_page, headers=admin).get_data(
        as_text=True)
    assert len(splp_portal.requests) == before  # the page left SPLP to the worker
    run_lid_jobs()
    dry = app.get(run_page, headers=admin).get_data(as_text=True)
    assert "splpdepok-dry-run" in dry and "create, deploy, publish" in dry
    assert 'id="splpdepok-run-pending"' not in dry
    assert splp_portal.writes() == []
