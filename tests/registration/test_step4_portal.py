"""SOP step 4 with the portal's real configuration (config/portal.ini: activity plugin on):
approving an application for a new OPD creates the organization, the admin membership and the
activity events, through the HTTP API of a live CKAN."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.registration.conftest import PDF, docx_bytes
from tests.support.live_server import LiveServer, portal_plugins, portal_settings, reset_database


@pytest.fixture(scope="module")
def portal() -> Iterator[LiveServer]:
    assert "activity" in portal_plugins()
    settings = {k: v for k, v in portal_settings().items() if k != "ckan.plugins"}
    server = LiveServer.prepare("registration-step4", portal_plugins(), settings)
    reset_database(server.ini)
    server.start()
    yield server
    server.stop()

def _call(portal: LiveServer, action: str, token: str, **data: Any) -> requests.Response:
    return requests.post(f"{portal.url}/api/3/action/splpdepok_registration_{action}",
                         json=data, headers={"Authorization": token}, timeout=60)

def test_approving_a_new_opd_creates_organization_membership_and_events(
        portal: LiveServer) -> None:
    portal.create_user("root", sysadmin=True, email="root@depok.go.id")
    portal.create_user("pemohon", email="pemohon@depok.go.id")
    root, applicant = portal.api_token("root"), portal.api_token("pemohon")
    portal.action("organization_create", {"name": "diskominfo", "title": "Diskominfo"}, root)
    created = requests.post(
        f"{portal.url}/api/3/action/splpdepok_registration_create",
        headers={"Authorization": applicant},
        data={"kind": "ippd", "ippd_domain": "depok.go.id",
              "ippd_name": "Pemerintah Kota Depok", "username": "admin-ippd",
              "full_name": "Admin IPPD", "email": "admin.ippd@depok.go.id",
              "new_organization": "Dinas Kependudukan dan Pencatatan Sipil",
              "phone": "0812 3456 7890"},
        files={"letter_upload": ("surat.pdf", PDF, "application/pdf"),
               "kajian_upload": ("kajian.docx", docx_bytes(), "application/octet-stream")},
        timeout=60)
    assert created.status_code == 200, created.text
    reg_id = created.json()["result"]["id"]
    assert _call(portal, "submit", applicant, id=reg_id).status_code == 200
    plan = _call(portal, "plan", root, id=reg_id).json()["result"]
    assert (plan["organization_action"], plan["organization_name"]) == (
        "create", "dinas-kependudukan-dan-pencatatan-sipil")

    approved = _call(portal, "approve", root, id=reg_id, plan=plan["fingerprint"])
    assert approved.status_code == 200, approved.text
    result = approved.json()["result"]
    assert result["status"] == "approved"

    org = portal.action("organization_show", {"id": plan["organization_name"],
                                              "include_users": True}, root)
    assert org["title"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert org["id"] == result["organization_id"]
    assert {u["name"]: u["capacity"] for u in org["users"]}.get("admin-ippd") == "admin"
    # the portal's system account does the provisioning: CKAN hides its activity from the
    # public stream, a sysadmin sees it
    activities = portal.action("organization_activity_list", {
        "id": org["id"], "include_hidden_activity": True}, root)
    assert "new organization" in {a["activity_type"] for a in activities}
    user_id = portal.action("user_show", {"id": "admin-ippd"}, root)["id"]
    assert "new user" in {a["activity_type"] for a in portal.action(
        "user_activity_list", {"id": user_id, "include_hidden_activity": True}, root)}
    events = [e["transition"] for e in
              portal.action("splpdepok_registration_show", {"id": reg_id}, root)["events"]]
    assert events == ["create", "submit", "approve", "approve:provision"]
    assert portal.action("user_show", {"id": "admin-ippd"}, root)["state"] == "pending"
    log = portal.log_path.read_text(errors="replace")
    assert "Traceback" not in log
