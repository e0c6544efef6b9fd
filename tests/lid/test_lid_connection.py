"""The whole path of SOP steps 11-18 from an approved LID operator, against the SPLP double:
entries, plan, guide, instruction, a dry run, the sync as an RQ job, a check that fails on an
injected fault, back to sync, a check that passes, mails on a real SMTP server and notices.
"""
from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.lid.model import Lid
from ckanext.splpdepok.notify import model as notices
from ckanext.splpdepok.sop import model as events

from tests.lid.conftest import (
    call,
    lid_fields,
    operator_dataset,
    pdf_upload,
    present,
    run_lid_jobs,
)
from tests.support.smtp import SmtpServer
from tests.support.splp_double import SplpDouble

pytestmark = pytest.mark.usefixtures("lid_db")


def _entries(people: SimpleNamespace) -> list[dict[str, Any]]:
    operator_dataset(people, "jumlah-penduduk")
    return [
        call("lid_create", people.operator, ready=True,
             **lid_fields(datasets=["jumlah-penduduk"])),
        call("lid_create", people.operator, ready=True,
             **lid_fields(name="Kartu Keluarga", context="kependudukan/kk",
                          classification="terbatas", output_format="XML")),
    ]


def _plan_to_step_14(people: SimpleNamespace, lids: list[dict[str, Any]]) -> dict[str, Any]:
    plan = call("lid_plan_create", people.operator, lid_ids=[x["id"] for x in lids])
    assert plan["status"] == "draft" and plan["tenant_domain"] == "depok.go.id"
    with pytest.raises(tk.NotAuthorized):
        call("lid_plan_advance", people.operator, id=plan["id"], transition="send")
    call("lid_plan_advance", people.admin, id=plan["id"], transition="send")
    with pytest.raises(tk.ValidationError):
        call("lid_plan_advance", people.walidata, id=plan["id"], transition="receive_guide")
    call("lid_plan_advance", people.walidata, id=plan["id"], transition="receive_guide",
         guide_upload=pdf_upload("petunjuk-teknis.pdf"))
    plan = call("lid_plan_advance", people.walidata, id=plan["id"],
                transition="instruct_sync", note="Silakan sinkronkan")
    assert plan["status"] == "sync_instructed"
    assert plan["guide"]["filename"] == "petunjuk-teknis.pdf"
    return plan


def _publish(people: SimpleNamespace, double: SplpDouble, plan: dict[str, Any],
             lids: list[dict[str, Any]]) -> dict[str, Any]:
    """Step 16 refused before 15; a dry run writes nothing; the real run is an RQ job."""
    with pytest.raises(tk.ValidationError):  # step 16 before step 15
        call("lid_check", people.admin, id=plan["id"])

    dry = call("lid_sync", people.admin, id=plan["id"], dry_run=True, background=False)
    assert dry["status"] == "succeeded" and dry["counts"]["created"] == 2
    assert double.writes() == [] and present(Lid.get(lids[0]["id"])).status == "ready"

    queued = call("lid_sync", people.admin, id=plan["id"])
    assert queued["status"] == "queued" and queued["job_id"]
    run_lid_jobs()
    plan = call("lid_plan_show", people.admin, id=plan["id"])
    assert plan["status"] == "synced" and plan["runs"][0]["status"] == "succeeded"
    assert all(x["status"] == "synced" and x["national_api_id"] in double.apis
               for x in plan["lids"])
    return plan


def _check_fails(people: SimpleNamespace, double: SplpDouble, plan: dict[str, Any],
                 lids: list[dict[str, Any]]) -> list[Any]:
    """Step 16 fails: the gateway breaks once and the API's description drifted in SPLP."""
    first_api = next(x["national_api_id"] for x in plan["lids"] if x["id"] == lids[0]["id"])
    double.apis[first_api].data["description"] = "diubah langsung di SPLP"
    double.inject("server_error", operation="gateway", times=1)
    failed = call("lid_check", people.admin, id=plan["id"])
    assert failed["connected"] is False
    problems = " ".join(p for r in failed["results"] for p in r["problems"])
    assert "fields differ" in problems and "HTTP 500" in problems
    plan = call("lid_plan_show", people.admin, id=plan["id"])
    assert plan["status"] == "check_failed" and plan["allowed"] == ["sync", "publish_manual"]
    assert "fields differ" in plan["events"][-1]["note"]
    return [failed, plan]


def _resync(people: SimpleNamespace, double: SplpDouble, plan: dict[str, Any]) -> None:
    """Back to step 15: the sync repairs the drift; an expired token is renewed on the way."""
    issued = double.tokens_issued
    double.inject("expired_token", operation="getAllAPIs")
    resync = call("lid_sync", people.admin, id=plan["id"], background=False)
    assert resync["counts"]["updated"] == 1 and resync["counts"]["unchanged"] == 1
    assert double.tokens_issued == issued + 2  # the first token, then its renewal

    writes = len(double.writes())
    again = call("lid_sync", people.walidata, id=plan["id"], background=False)
    assert again["counts"]["unchanged"] == 2 and len(double.writes()) == writes


def _check_passes(people: SimpleNamespace, double: SplpDouble, plan: dict[str, Any],
                  smtp: SmtpServer) -> tuple[dict[str, Any], list[Any]]:
    """Step 16 passes: mails (17) and notices (18) reach the IPPD admin and the operator."""
    smtp.clear()
    passed = call("lid_check", people.admin, id=plan["id"])
    assert passed["connected"] is True and passed["mails_sent"] == 2
    for row in passed["results"]:
        assert row["status_code"] == 200 and row["latency_ms"] is not None
        assert row["gateway_url"].startswith(f"{double.gateway_url}/t/depok.go.id/kependudukan/")

    mails = smtp.wait_for(2)
    assert {r for m in mails for r in m.rcpt_tos} == {"admin.ippd@depok.go.id",
                                                      "operator@depok.go.id"}
    assert all("depok.go.id" in m.subject and "SPLP" in m.subject for m in mails)
    for user in (people.admin, people.operator):
        assert any("SPLP" in n.subject for n in notices.for_user(user["id"]))
    return passed, mails


def _connected(people: SimpleNamespace, plan: dict[str, Any]) -> list[Any]:
    """The plan is connected, its events are steps 11-18 with the loop, the report has both."""
    plan = call("lid_plan_show", people.operator, id=plan["id"])
    assert plan["status"] == "connected"
    assert all(x["status"] == "connected" for x in plan["lids"])
    steps = [e["sop_step"] for e in plan["events"]]
    assert steps == [11, 12, 13, 14, 15, 16, 15, 15, 16, 17, 18]
    assert [e.step for e in events.for_subject("lid_plan", plan["id"])] == steps
    report = call("lid_check_report", people.admin, id=plan["id"])
    assert [c["connected"] for c in report["checks"]] == [True, False]
    return [plan, report]


def _pages(people: SimpleNamespace, plan: dict[str, Any], lids: list[dict[str, Any]],
           request: pytest.FixtureRequest) -> list[Any]:
    app = request.getfixturevalue("app")  # its logging set-up would end the capture
    token = factories.APIToken(user=people.admin["name"])["token"]
    pages = [app.get(path, headers={"Authorization": token}) for path in (
        f"/katalog-lid/rencana/{plan['id']}", "/katalog-lid/laporan",
        "/katalog-lid/laporan.csv", f"/katalog-lid/{lids[0]['id']}")]
    assert all(p.status_code == 200 for p in pages)
    csv_text = pages[2].get_data(as_text=True)
    assert csv_text.count("\n") == 1 + 4 and "HTTP 500" in csv_text
    return [p.get_data(as_text=True) for p in pages]


def test_whole_connection_path(
    lid_people: SimpleNamespace, splp_portal: SplpDouble, mail_to_test_smtp: SmtpServer,
    reset_redis: Any, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest,
) -> None:
    caplog.set_level(logging.DEBUG)
    reset_redis()
    people, double = lid_people, splp_portal
    lids = _entries(people)
    plan = _plan_to_step_14(people, lids)
    seen: list[Any] = [plan]
    plan = _publish(people, double, plan, lids)
    seen.append(plan)
    seen += _check_fails(people, double, plan, lids)
    _resync(people, double, plan)
    passed, mails = _check_passes(people, double, plan, mail_to_test_smtp)
    seen.append(passed)
    seen += _connected(people, plan)

    logged = caplog.text
    assert "SPLP" in logged  # the adapter did log (only without secrets, checked below)
    texts = [logged, json.dumps(seen, default=str), *_pages(people, plan, lids, request)]
    texts += [m.body for m in mails] + [str(n.body) for n in
                                        model.Session.query(notices.Notice)]
    everything = "\n".join(texts)
    secrets = [double.client_id, double.client_secret, *double.tokens]
    assert [s for s in secrets if s in everything] == []


def test_sync_needs_the_instruction_and_the_configured_splp(
        lid_people: SimpleNamespace, splp_portal: SplpDouble) -> None:
    lids = _entries(lid_people)
    plan = call("lid_plan_create", lid_people.operator, lid_ids=[lids[0]["id"]])
    with pytest.raises(tk.ValidationError, match="instructed"):
        call("lid_sync", lid_people.admin, id=plan["id"], background=False)
    with pytest.raises(tk.NotAuthorized):
        call("lid_sync", lid_people.operator, id=plan["id"], dry_run=True)
    with pytest.raises(tk.ValidationError):
        call("lid_plan_create", lid_people.admin, splp_base_url="https://evil.example")
    with pytest.raises(tk.ValidationError, match="already has"):
        call("lid_plan_create", lid_people.admin)
