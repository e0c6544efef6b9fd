"""The manual path of SOP steps 15-18 (no REST access to the SPLP publisher): the publication
package, the manual publication and connection check with evidence on the plan's SOP events,
the report, the dry-run gate of the real synchronisation, idempotent step buttons and plain
messages naming the missing setting. Every new action against every kind of caller."""
from __future__ import annotations

import json
import threading
from types import SimpleNamespace
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.lid import package as pkg
from ckanext.splpdepok.lid.model import Lid
from ckanext.splpdepok.lid.splp.mapping import map_lid
from ckanext.splpdepok.sop import model as events

from tests.lid.conftest import _registration, call, lid_fields, pdf_upload, present
from tests.lid.test_lid_connection import _entries, _plan_to_step_14
from tests.support.splp_double import SplpDouble

pytestmark = pytest.mark.usefixtures("lid_db")
OTHER = "bogor.go.id"


@pytest.fixture
def people(lid_people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """``lid_people`` plus a second IPPD with its own admin and LID operator; SPLP is
    configured by address only, without credentials (no REST access), unless a test also asks
    for ``splp_portal`` (the double, with credentials)."""
    from ckan.common import config

    monkeypatch.setitem(config, "ckanext.splpdepok.splp.base_url", "https://splp.example.go.id")
    monkeypatch.delenv("SPLPDEPOK_SPLP_CLIENT_ID", raising=False)
    monkeypatch.delenv("SPLPDEPOK_SPLP_CLIENT_SECRET", raising=False)
    applicant = factories.User(name="pemohon-bogor", email="pemohon@bogor.go.id")
    other_admin = factories.User(name="admin-bogor", email="admin@bogor.go.id")
    other_operator = factories.User(name="operator-bogor", email="operator@bogor.go.id")
    sysadmin = lid_people.sysadmin
    _registration("ippd", applicant, "admin-bogor", "admin@bogor.go.id", "Diskominfo Bogor",
                  sysadmin, OTHER)
    _registration("ippd_admin", applicant, "admin-bogor", "admin@bogor.go.id",
                  "Diskominfo Bogor", sysadmin, OTHER)
    _registration("lid", other_operator, "operator-bogor", "operator@bogor.go.id",
                  "Disdukcapil Bogor", other_admin, OTHER)
    lid_people.other_admin, lid_people.other_operator = other_admin, other_operator
    return lid_people


def _plan(people: SimpleNamespace) -> dict[str, Any]:
    return _plan_to_step_14(people, _entries(people))


def _events(plan_id: str) -> list[str]:
    model.Session.expire_all()
    return [e.transition for e in events.for_subject("lid_plan", plan_id)]


def _denied(people: SimpleNamespace) -> list[dict[str, Any] | None]:
    """Everyone the SOP table does not name for steps 15-16: a stranger, a plain user, the
    applicant, the IPPD's own LID operator, another IPPD's operator and admin."""
    return [None, people.outsider, people.applicant, people.operator,
            people.other_operator, people.other_admin]


def test_package_is_what_the_rest_path_sends(people: SimpleNamespace) -> None:
    plan = _plan(people)
    found = call("lid_plan_package", people.admin, id=plan["id"])
    assert found["tenant_domain"] == "depok.go.id" and len(found["lids"]) == 2
    restricted = next(p for p in found["lids"] if p["classification"] == "terbatas")
    lid = present(Lid.get(restricted["id"]))
    rest = map_lid(dict(lid.as_splp_entry("Dinas Komunikasi dan Informatika"),
                        tenant_domain="depok.go.id"))
    assert restricted["api"]["context"] == rest["context"] == "/kependudukan/kk"
    assert restricted["api"]["visibility"] == rest["visibility"] == "RESTRICTED"
    assert restricted["api"]["endpointConfig"] == rest["endpointConfig"]
    doc = restricted["openapi"]
    assert doc["openapi"].startswith("3.0") and doc["info"]["version"] == "1.0.0"
    assert doc["servers"] == [{"url": "https://api.depok.go.id/penduduk/v1"}]
    assert doc["paths"]["/*"]["get"]["responses"]["200"]["content"]["application/xml"]
    open_part = next(p for p in found["lids"] if p["classification"] == "terbuka")
    schema = open_part["openapi"]["paths"]["/*"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    assert schema["items"]["properties"]["jumlah"] == {"type": "integer",
                                                       "description": "Jumlah penduduk"}
    assert call("lid_plan_package", people.walidata, id=plan["id"])["sha256"] == found["sha256"]
    for user in _denied(people):
        with pytest.raises(tk.NotAuthorized):
            call("lid_plan_package", user, id=plan["id"])


def test_package_text_lists_every_field() -> None:
    entry = dict(lid_fields(), id="x", tenant_domain="depok.go.id")
    built = pkg.build({"id": "p", "ippd_domain": "depok.go.id", "splp_base_url": "https://s",
                       "tenant_domain": "depok.go.id"}, [entry])
    text = pkg.as_text(built, {k: k for k in ("splp", "tenant", "description", "endpoint",
                                              "context", "version", "output",
                                              "classification", "attributes", "problems")})
    for part in ("Data Penduduk per Kecamatan", "https://api.depok.go.id/penduduk/v1",
                 "/kependudukan/penduduk", "1.0.0", "JSON", "terbuka", "kecamatan (string)"):
        assert part in text
    broken = pkg.lid_part(dict(entry, context="a b"))
    assert broken["problems"] and broken["openapi"] is None


def test_manual_publication_needs_evidence_and_the_named_roles(
        people: SimpleNamespace) -> None:
    plan = _plan(people)
    for user in _denied(people):
        with pytest.raises(tk.NotAuthorized):
            call("lid_publish_manual", user, id=plan["id"], evidence_url="https://splp.go.id/x")
    with pytest.raises(tk.ValidationError, match="evidence"):
        call("lid_publish_manual", people.admin, id=plan["id"])
    with pytest.raises(tk.ValidationError):
        call("lid_publish_manual", people.admin, id=plan["id"], evidence_url="javascript:x")
    assert "publish_manual" not in _events(plan["id"])
    done = call("lid_publish_manual", people.admin, id=plan["id"],
                evidence_upload=pdf_upload("tangkapan-portal.pdf"), note="Dimasukkan manual")
    assert done["status"] == "synced"
    assert all(x["status"] == "synced" for x in done["lids"])
    event = done["events"][-1]
    assert (event["transition"], event["sop_step"], event["actor"]) == (
        "publish_manual", 15, "admin-ippd")
    assert event["data"]["evidence"]["filename"] == "tangkapan-portal.pdf"
    assert len(event["data"]["evidence"]["sha256"]) == 64 and event["note"] == "Dimasukkan manual"
    # a second click records nothing
    again = call("lid_publish_manual", people.admin, id=plan["id"],
                 evidence_url="https://splp.go.id/x")
    assert again["status"] == "synced" and _events(plan["id"]).count("publish_manual") == 1


def test_manual_check_records_steps_16_to_18_and_the_report_shows_both(
        people: SimpleNamespace) -> None:
    plan = _plan(people)
    with pytest.raises(tk.ValidationError):  # no check before step 15
        call("lid_check_manual", people.walidata, id=plan["id"], outcome="passed",
             evidence_url="https://splp.go.id/bukti")
    call("lid_publish_manual", people.walidata, id=plan["id"],
         evidence_url="https://splp.go.id/publisher/apis/1")
    for user in _denied(people):
        with pytest.raises(tk.NotAuthorized):
            call("lid_check_manual", user, id=plan["id"], outcome="passed",
                 evidence_url="https://splp.go.id/bukti")
    with pytest.raises(tk.ValidationError, match="note"):
        call("lid_check_manual", people.admin, id=plan["id"], outcome="failed",
             evidence_url="https://splp.go.id/bukti")
    with pytest.raises(tk.ValidationError, match="outcome"):
        call("lid_check_manual", people.admin, id=plan["id"], outcome="maybe",
             evidence_url="https://splp.go.id/bukti")
    done = call("lid_check_manual", people.admin, id=plan["id"], outcome="passed",
                evidence_url="https://splp.go.id/bukti", note="Diuji lewat gateway")
    assert done["status"] == "connected"
    assert [e["sop_step"] for e in done["events"][-3:]] == [16, 17, 18]
    assert all(x["status"] == "connected" for x in done["lids"])
    call("lid_check_manual", people.admin, id=plan["id"], outcome="passed",
         evidence_url="https://splp.go.id/bukti")
    assert _events(plan["id"]).count("check_manual_pass") == 1

    report = call("lid_check_report", people.admin, id=plan["id"])
    assert [r["transition"] for r in report["manual"]] == ["publish_manual",
                                                           "check_manual_pass"]
    assert report["manual"][1]["data"]["evidence"]["url"] == "https://splp.go.id/bukti"
    overall = call("lid_check_report", people.walidata)
    assert len(overall["manual"]) == 2
    assert call("lid_check_report", people.other_admin)["manual"] == []


def test_manual_check_failed_goes_back_to_step_15(people: SimpleNamespace) -> None:
    plan = _plan(people)
    call("lid_publish_manual", people.admin, id=plan["id"], evidence_url="https://splp.go.id/a")
    failed = call("lid_check_manual", people.admin, id=plan["id"], outcome="failed",
                  evidence_upload=pdf_upload("gagal.pdf"), note="Gateway menjawab 404")
    assert failed["status"] == "check_failed" and failed["events"][-1]["sop_step"] == 16
    assert failed["events"][-1]["data"]["back_to_step"] == 15
    assert "publish_manual" in failed["allowed"] and "sync" in failed["allowed"]


def test_plan_events_action(people: SimpleNamespace) -> None:
    plan = _plan(people)
    found = call("lid_plan_events", people.operator, id=plan["id"])
    assert [e["sop_step"] for e in found["events"]] == [11, 12, 13, 14]
    assert found["events"][0]["label"] == "Connection plan prepared"
    assert call("lid_plan_events", people.walidata, id=plan["id"])["events"] == found["events"]
    for user in (None, people.outsider, people.applicant, people.other_operator,
                 people.other_admin):
        with pytest.raises(tk.NotAuthorized):
            call("lid_plan_events", user, id=plan["id"])
    with pytest.raises(tk.ObjectNotFound):
        call("lid_plan_events", people.walidata, id="tidak-ada")


# -- the dry-run gate ------------------------------------------------------------------------


def test_real_sync_needs_a_dry_run_of_the_same_content_or_a_confirmation(
        people: SimpleNamespace, splp_portal: SplpDouble) -> None:
    plan = _plan(people)
    with pytest.raises(tk.ValidationError, match="dry run"):
        call("lid_sync", people.admin, id=plan["id"], background=False)
    assert call("lid_sync", people.admin, id=plan["id"], dry_run=True,
                background=False)["status"] == "succeeded"
    # the content changed after the dry run: a new one is needed
    lid = plan["lids"][0]
    call("lid_update", people.admin, id=lid["id"], description="Deskripsi baru")
    with pytest.raises(tk.ValidationError, match="dry run"):
        call("lid_sync", people.admin, id=plan["id"], background=False)
    confirmed = call("lid_sync", people.admin, id=plan["id"], background=False,
                     confirm_without_dry_run=True)
    assert confirmed["status"] == "succeeded"
    step = call("lid_plan_show", people.admin, id=plan["id"])["events"][-1]
    assert step["sop_step"] == 15 and "without a successful dry run" in step["note"]


def test_a_failed_dry_run_blocks_the_sync_with_409_and_names_the_setting(
        people: SimpleNamespace, app: Any) -> None:
    """No credentials (no REST access): the dry run fails with a message naming what is
    missing, the real sync is refused (409, Indonesian), the manual path stays open."""
    plan = call("lid_plan_create", people.operator,
                lid_ids=[x["id"] for x in _entries(people)])
    for name in ("send", "instruct_sync"):
        if name == "instruct_sync":
            call("lid_plan_advance", people.admin, id=plan["id"], transition="receive_guide",
                 guide_upload=pdf_upload("juknis.pdf"))
        call("lid_plan_advance", people.admin, id=plan["id"], transition=name)
    dry = call("lid_sync", people.admin, id=plan["id"], dry_run=True, background=False)
    assert dry["status"] == "failed"
    assert "SPLPDEPOK_SPLP_CLIENT_ID" in dry["message"]
    assert "ckanext.splpdepok.splp.client_id_env" in dry["message"]
    headers = {"Authorization": factories.APIToken(user=people.admin["name"])["token"]}
    answer = app.post("/id/api/3/action/splpdepok_lid_sync", headers=headers,
                      json={"id": plan["id"], "confirm_without_dry_run": True,
                            "background": False})
    assert answer.status_code == 409
    assert "uji coba" in json.dumps(answer.json, ensure_ascii=False).lower()
    page = app.get(f"/id/katalog-lid/rencana/{plan['id']}/run/{dry['id']}", headers=headers)
    text = page.get_data(as_text=True)
    assert "SPLPDEPOK_SPLP_CLIENT_ID" in text and "variabel lingkungan" in text
    plan_page = app.get(f"/katalog-lid/rencana/{plan['id']}", headers=headers).get_data(
        as_text=True)
    assert 'id="splpdepok-sync-blocked"' in plan_page and 'id="step-publish_manual"' in plan_page
    english = app.get(f"/en/katalog-lid/rencana/{plan['id']}", headers=headers).get_data(
        as_text=True)
    assert "Manual publication in the SPLP publisher portal" in english


def test_network_errors_are_plain_and_raw_only_in_the_log(
        people: SimpleNamespace, splp_portal: SplpDouble, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    from ckanext.splpdepok.lid.logic import adapter
    from ckanext.splpdepok.lid.splp import SplpConnectionError

    plan = _plan(people)

    def unreachable(base_url: str | None = None) -> Any:
        raise SplpConnectionError("SPLP token: dns failure: [Errno -2] Name or service not known",
                                  network_kind="dns")

    monkeypatch.setattr(adapter, "publisher", unreachable)
    with caplog.at_level("WARNING"):
        dry = call("lid_sync", people.admin, id=plan["id"], dry_run=True, background=False)
    assert dry["status"] == "failed" and "Errno" not in dry["message"]
    assert "could not be found" in dry["message"]
    assert "[Errno -2]" in caplog.text


# -- one record per step ---------------------------------------------------------------------


def test_every_step_button_twice_writes_one_record(people: SimpleNamespace) -> None:
    lids = _entries(people)
    plan = call("lid_plan_create", people.operator, lid_ids=[x["id"] for x in lids])
    ids = [x["id"] for x in lids]
    for _ in range(2):
        call("lid_plan_update", people.operator, id=plan["id"], lid_ids=ids)
    for _ in range(2):
        call("lid_plan_advance", people.admin, id=plan["id"], transition="send")
    assert _events(plan["id"]) == ["create", "send"]
    for _ in range(2):
        call("lid_plan_advance", people.admin, id=plan["id"], transition="receive_guide",
             guide_upload=pdf_upload("juknis.pdf"))
    for _ in range(2):
        call("lid_plan_advance", people.admin, id=plan["id"], transition="instruct_sync")
    assert _events(plan["id"]) == ["create", "send", "receive_guide", "instruct_sync"]


def test_rencanakan_posted_twice_through_the_page_writes_one_record(
        people: SimpleNamespace, app: Any) -> None:
    lids = _entries(people)
    plan = call("lid_plan_create", people.operator, lid_ids=[lids[0]["id"]])
    headers = {"Authorization": factories.APIToken(user=people.operator["name"])["token"]}
    for _ in range(2):
        answer = app.post(f"/katalog-lid/rencana/{plan['id']}/langkah", headers=headers,
                          data={"step": "include_ready"})
        assert answer.status_code in (200, 302)
    assert _events(plan["id"]) == ["create", "update"]


def test_concurrent_sends_write_one_record(people: SimpleNamespace) -> None:
    lids = _entries(people)
    plan = call("lid_plan_create", people.operator, lid_ids=[x["id"] for x in lids])
    model.repo.commit()
    failures: list[BaseException] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        try:
            barrier.wait(timeout=10)
            call("lid_plan_advance", people.admin, id=plan["id"], transition="send")
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            model.Session.remove()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert _events(plan["id"]) == ["create", "send"]


def test_concurrent_plan_creation_keeps_one_plan(people: SimpleNamespace) -> None:
    from ckanext.splpdepok.lid.model import Plan

    ids = [x["id"] for x in _entries(people)]
    model.repo.commit()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def create() -> None:
        try:
            barrier.wait(timeout=10)
            call("lid_plan_create", people.operator, lid_ids=ids)
            outcomes.append("created")
        except tk.ValidationError:
            outcomes.append("refused")
        finally:
            model.Session.remove()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "refused"]
    plans = model.Session.query(Plan).all()
    assert len(plans) == 1 and _events(plans[0].id) == ["create"]
