"""Pages: applicant area, reviewer queue and detail, downloads, exports; personal data private."""
from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.registration.model import Registration

from tests.registration.conftest import PDF, act, fields, found, upload

pytestmark = pytest.mark.usefixtures("mail_to_test_smtp")


def _auth(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _csrf(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "form without CSRF token"
    return found.group(1)


@pytest.fixture
def reg(people: SimpleNamespace) -> dict[str, Any]:
    made = act("create", people.applicant, **fields("ippd"))
    act("submit", people.applicant, id=made["id"])
    return made


def test_anonymous_sees_no_registration_data(app: Any, people: SimpleNamespace,
                                             reg: Any) -> None:
    page = app.get("/pendaftaran").get_data(as_text=True)
    assert "admin.ippd" not in page and "+6281234567890" not in page
    assert "/user/login" in page
    assert app.get(f"/pendaftaran/{reg['id']}", follow_redirects=False).status_code == 302
    assert app.get("/ckan-admin/pendaftaran", follow_redirects=False).status_code == 302
    doc = act("show", people.applicant, id=reg["id"])["documents"][0]
    assert app.get(f"/pendaftaran/{reg['id']}/dokumen/{doc['id']}", status=403)


@pytest.mark.parametrize("role", ["other", "editor"])
def test_outsiders_get_nothing(app: Any, people: SimpleNamespace, reg: Any, role: str) -> None:
    headers = _auth(getattr(people, role))
    app.get(f"/pendaftaran/{reg['id']}", headers=headers, status=404)
    app.get(f"/ckan-admin/pendaftaran/{reg['id']}", headers=headers, status=403)
    app.get("/ckan-admin/pendaftaran", headers=headers, status=403)
    app.get("/ckan-admin/pendaftaran/ekspor.xlsx", headers=headers, status=403)
    doc = act("show", people.applicant, id=reg["id"])["documents"][0]
    body = app.get(f"/pendaftaran/{reg['id']}/dokumen/{doc['id']}", headers=headers,
                   status=403).get_data()
    assert PDF not in body
    own = app.get("/pendaftaran", headers=headers).get_data(as_text=True)
    assert "admin.ippd@depok.go.id" not in own


def test_applicant_pages(app: Any, people: SimpleNamespace, reg: Any) -> None:
    headers = _auth(people.applicant)
    index = app.get("/pendaftaran", headers=headers).get_data(as_text=True)
    assert f"/pendaftaran/{reg['id']}" in index and "/pendaftaran/baru/lid" in index
    page = app.get(f"/pendaftaran/{reg['id']}", headers=headers).get_data(as_text=True)
    assert "admin.ippd@depok.go.id" in page and "+6281234567890" in page
    assert "splpdepok-event-submit" in page
    doc = act("show", people.applicant, id=reg["id"])["documents"]
    letter = next(d for d in doc if d["kind"] == "letter")
    download = app.get(f"/pendaftaran/{reg['id']}/dokumen/{letter['id']}", headers=headers)
    assert download.get_data() == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_form_creates_a_registration_with_csrf(app: Any, people: SimpleNamespace) -> None:
    headers = _auth(people.applicant)
    form = app.get("/pendaftaran/baru/ippd", headers=headers).get_data(as_text=True)
    data: dict[str, Any] = {k: v for k, v in fields("ippd", ippd_domain="kota.depok.go.id").items()
            if isinstance(v, str)}
    data.pop("kind")
    data.update({"_csrf_token": _csrf(form), "then_submit": "1",
                 "letter_upload": (io.BytesIO(PDF), "surat.pdf"),
                 "kajian_upload": (io.BytesIO(PDF), "kajian.pdf")})
    response = app.post("/pendaftaran/baru/ippd", data=data, headers=headers,
                        content_type="multipart/form-data", follow_redirects=False)
    assert response.status_code == 302
    mine = act("list", people.applicant, mine=True)["results"]
    assert [(r["ippd_domain"], r["status"]) for r in mine] == [("kota.depok.go.id", "submitted")]


def test_form_shows_errors_for_bad_input(app: Any, people: SimpleNamespace) -> None:
    headers = _auth(people.applicant)
    form = app.get("/pendaftaran/baru/ippd", headers=headers).get_data(as_text=True)
    response = app.post("/pendaftaran/baru/ippd", headers=headers, data={
        "_csrf_token": _csrf(form), "ippd_domain": "not a domain", "email": "nope",
        "phone": "12", "username": "Bad Name!", "full_name": "", "new_organization": "",
        "letter_upload": (io.BytesIO(b"<html>hi</html>"), "surat.pdf"),
    }, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in ("Not a valid domain name", "Not a valid email address",
                    "Not a valid Indonesian phone number", "Only PDF, DOCX and ODT"):
        assert message in page
    assert act("list", people.applicant)["count"] == 0


def test_reviewer_queue_detail_and_decision(app: Any, people: SimpleNamespace,
                                            reg: Any) -> None:
    headers = _auth(people.walidata)
    queue = app.get("/ckan-admin/pendaftaran", headers=headers).get_data(as_text=True)
    assert f"/ckan-admin/pendaftaran/{reg['id']}" in queue
    assert "splpdepok-overdue" not in queue
    filtered = app.get("/ckan-admin/pendaftaran?kind=lid", headers=headers)
    assert f"/ckan-admin/pendaftaran/{reg['id']}" not in filtered.get_data(as_text=True)
    detail = app.get(f"/ckan-admin/pendaftaran/{reg['id']}", headers=headers)
    html = detail.get_data(as_text=True)
    assert 'id="approve"' in html and 'id="return"' in html
    response = app.post(f"/ckan-admin/pendaftaran/{reg['id']}/return", headers=headers,
                        data={"_csrf_token": _csrf(html), "note": "lengkapi"},
                        follow_redirects=False)
    assert response.status_code == 302
    assert act("show", people.applicant, id=reg["id"])["status"] == "returned"


def test_overdue_badge_and_filter(app: Any, people: SimpleNamespace, reg: Any) -> None:
    """Submitted 30 days ago: far past the one-session review standard of step 3."""
    record = found(Registration.get(reg["id"]))
    assert record is not None
    record.submitted = clock.now() - dt.timedelta(days=30)
    model.repo.commit()
    fresh = act("create", people.other, **fields("ippd", ippd_domain="baru.depok.go.id"))
    act("submit", people.other, id=fresh["id"])
    listing = act("list", people.walidata, overdue=True)
    assert [r["id"] for r in listing["results"]] == [reg["id"]]
    assert listing["results"][0]["overdue"] and listing["results"][0]["review_step"] == 3
    assert listing["results"][0]["age_minutes"] > 480
    page = app.get("/ckan-admin/pendaftaran?overdue=1", headers=_auth(people.walidata))
    html = page.get_data(as_text=True)
    assert "splpdepok-overdue" in html and fresh["id"] not in html


def test_sla_report_page(app: Any, people: SimpleNamespace, reg: Any) -> None:
    act("approve", people.walidata, id=reg["id"])
    report = act_report(people.walidata)
    by_step = {r["step"]: r for r in report["steps"]}
    assert sorted(by_step) == list(range(1, 19))
    assert by_step[2]["count"] == 1 and by_step[3]["count"] == 1 and by_step[4]["count"] == 1
    assert by_step[3]["share_within"] == 1.0
    page = app.get("/ckan-admin/pendaftaran/laporan", headers=_auth(people.walidata))
    assert "splpdepok-sla-report" in page.get_data(as_text=True)


def act_report(user: dict[str, Any]) -> dict[str, Any]:
    from ckan.tests import helpers

    return helpers.call_action("splpdepok_sla_report",
                               context={"user": user["name"], "ignore_auth": False})


def test_oversize_upload_is_refused(people: SimpleNamespace, ckan_config: Any,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from ckan.common import config
    from ckan.tests.helpers import logic

    monkeypatch.setitem(config, "ckanext.splpdepok.registration.max_document_mb", 1)
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(logic.ValidationError) as refused:
        act("create", people.applicant, **fields("ippd", letter_upload=upload(big, "a.pdf")))
    assert refused.value.error_dict["letter_upload"] == ["The file is too large"]
    ok = act("create", people.applicant, **fields("ippd", letter_upload=upload(PDF, "a.pdf")))
    assert ok["documents"]


@pytest.mark.ckan_config("ckan.locale_default", "id")
def test_pages_speak_indonesian_by_default(app: Any, people: SimpleNamespace, reg: Any) -> None:
    index = app.get("/pendaftaran", headers=_auth(people.applicant)).get_data(as_text=True)
    assert "Pendaftaran saya" in index and "Pendaftaran baru:" in index
    detail = app.get(f"/ckan-admin/pendaftaran/{reg['id']}", headers=_auth(people.walidata))
    html = detail.get_data(as_text=True)
    assert "Kembalikan (belum lengkap)" in html and "Riwayat" in html
    assert "Melakukan pendaftaran sebagai Penyelenggara SPL IPPD" in html  # step 2's title


def test_lid_form_offers_domains_with_an_active_admin(app: Any, people: SimpleNamespace,
                                                      reg: Any) -> None:
    headers = _auth(people.applicant)
    assert "<option value=\"depok.go.id\">" not in app.get(
        "/pendaftaran/baru/lid", headers=headers).get_data(as_text=True)
    act("approve", people.walidata, id=reg["id"])
    admin = act("create", people.applicant, **fields(
        "ippd_admin", username=people.other["name"], email="lain@depok.go.id"))
    act("submit", people.applicant, id=admin["id"])
    act("approve", people.walidata, id=admin["id"])
    form = app.get("/pendaftaran/baru/lid", headers=headers).get_data(as_text=True)
    assert "<option value=\"depok.go.id\">" in form and 'list="ippd-domains"' in form
    index = app.get("/pendaftaran", headers=headers).get_data(as_text=True)
    assert "splpdepok-notices-link" in index


def test_admin_area_has_the_registrations_tab(app: Any, people: SimpleNamespace) -> None:
    page = app.get("/ckan-admin/pendaftaran", headers=_auth(people.sysadmin))
    assert 'href="/ckan-admin/pendaftaran"' in page.get_data(as_text=True)
    config_page = app.get("/ckan-admin/config", headers=_auth(people.sysadmin))
    assert 'href="/ckan-admin/pendaftaran"' in config_page.get_data(as_text=True)
