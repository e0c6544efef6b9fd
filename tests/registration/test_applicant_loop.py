"""Issue 10 points 5 and 8: guidance on /pendaftaran, who reviews and by when, the return loop
(note, documents kept, versioned replacement), uploads surviving a validation error, short
notices with links, mark read on open, no review notice about one's own application."""
from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace
from typing import Any

import pytest
from ckan.tests import factories, helpers
from ckanext.splpdepok.registration import guidance
from ckanext.splpdepok.sop.sla import WorkCalendar

from tests.registration.conftest import PDF, act, docx_bytes, fields

pytestmark = pytest.mark.usefixtures("mail_to_test_smtp")


def _client_signed_in(app: Any, user: dict[str, Any]) -> Any:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _csrf(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _notices(user: dict[str, Any]) -> list[dict[str, Any]]:
    return helpers.call_action("splpdepok_notice_list",
                               context={"user": user["name"], "ignore_auth": False})


def test_deadline_is_the_inverse_of_working_minutes() -> None:
    calendar = WorkCalendar()
    friday_evening = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone.utc)  # 17:00 WIB
    due = guidance.add_working_minutes(calendar, friday_evening, 480)
    assert due.isoformat().startswith("2026-12-07T16:00")  # Monday, end of the working day
    assert calendar.working_minutes(friday_evening, due) == pytest.approx(480)


@pytest.mark.ckan_config("ckanext.splpdepok.registration.max_document_mb", "7")
@pytest.mark.ckan_config("ckanext.splpdepok.sop.step_3.standard", "2 session")
def test_stranger_sees_the_guide(app: Any, people: SimpleNamespace) -> None:
    page = app.get("/pendaftaran").get_data(as_text=True)
    order = [page.index(f"splpdepok-guide-{k}") for k in ("ippd", "ippd_admin", "lid")]
    assert order == sorted(order)
    assert "7 MB" in page and "10 MB" not in page  # the limit comes from the configuration
    assert "PDF, DOCX, ODT" in page
    assert "2 review session(s) (16 working hours)" in page  # step 3 from the configuration
    assert "/user/login" in page


def test_status_page_says_who_reviews_and_by_when(app: Any, people: SimpleNamespace,
                                                  submitted: Any) -> None:
    reg = submitted("ippd")
    page = app.get(f"/pendaftaran/{reg['id']}",
                   headers=_client_signed_in(app, people.applicant)).get_data(as_text=True)
    assert "the walidata (Diskominfo Kota Depok)" in page
    assert "Expected decision by" in page and " WIB" in page
    assert "Wali Data" not in page  # by role, never a person


def test_files_survive_a_validation_error(app: Any, people: SimpleNamespace) -> None:
    headers = _client_signed_in(app, people.applicant)
    form = app.get("/pendaftaran/baru/ippd", headers=headers).get_data(as_text=True)
    data = {k: v for k, v in fields("ippd").items() if not k.endswith("_upload")}
    data["email"] = "not-an-email"
    first = app.post("/pendaftaran/baru/ippd", headers=headers, data=dict(
        data, _csrf_token=_csrf(form),
        letter_upload=(io.BytesIO(PDF), "surat.pdf"),
        kajian_upload=(io.BytesIO(docx_bytes()), "kajian.docx")))
    html = first.get_data(as_text=True)
    assert "Already uploaded: surat.pdf" in html and "Already uploaded: kajian.docx" in html
    tokens = dict(re.findall(r'name="(staged_\w+)" value="([^"]+)"', html))
    assert set(tokens) == {"staged_letter_upload", "staged_kajian_upload"}
    data["email"] = "admin.ippd@depok.go.id"
    app.post("/pendaftaran/baru/ippd", headers=headers,
             data=dict(data, _csrf_token=_csrf(html), then_submit="1", **tokens))
    mine = act("list", people.applicant, mine=True)["results"]
    assert len(mine) == 1 and mine[0]["status"] == "submitted"
    shown = act("show", people.applicant, id=mine[0]["id"])
    assert sorted(d["filename"] for d in shown["documents"]) == ["kajian.docx", "surat.pdf"]
    # a token is bound to its owner: someone else cannot use it
    other = _client_signed_in(app, people.other)
    form = app.get("/pendaftaran/baru/ippd", headers=other).get_data(as_text=True)
    again = app.post("/pendaftaran/baru/ippd", headers=other,
                     data=dict(data, _csrf_token=_csrf(form), **tokens)).get_data(as_text=True)
    assert "Already uploaded" not in again


def test_return_loop_keeps_and_versions_documents(app: Any, people: SimpleNamespace,
                                                  submitted: Any) -> None:
    reg = submitted("ippd")
    act("return", people.walidata, id=reg["id"], note="Surat belum ditandatangani")
    headers = _client_signed_in(app, people.applicant)
    edit = app.get(f"/pendaftaran/{reg['id']}/ubah", headers=headers).get_data(as_text=True)
    assert "Surat belum ditandatangani" in edit and 'id="return-note"' in edit
    before = act("show", people.applicant, id=reg["id"])["documents"]
    for doc in before:
        assert doc["filename"] in edit
        assert f"/pendaftaran/{reg['id']}/dokumen/{doc['id']}" in edit
    # resubmit without re-upload: the documents stay
    app.post(f"/pendaftaran/{reg['id']}/ubah", headers=headers,
             data={"_csrf_token": _csrf(edit), "then_submit": "1"})
    shown = act("show", people.applicant, id=reg["id"])
    assert shown["status"] == "submitted"
    assert {d["id"] for d in shown["documents"]} == {d["id"] for d in before}
    # returned again; replace the letter only
    act("return", people.walidata, id=reg["id"], note="Ganti surat")
    edit = app.get(f"/pendaftaran/{reg['id']}/ubah", headers=headers).get_data(as_text=True)
    app.post(f"/pendaftaran/{reg['id']}/ubah", headers=headers, data={
        "_csrf_token": _csrf(edit), "then_submit": "1",
        "letter_upload": (io.BytesIO(PDF + b"%signed\n"), "surat-ttd.pdf")})
    shown = act("show", people.walidata, id=reg["id"])
    current = {d["kind"]: d["filename"] for d in shown["documents"]}
    assert current == {"letter": "surat-ttd.pdf", "kajian": "kajian.docx"}
    old = [d for d in shown["superseded_documents"] if d["kind"] == "letter"]
    assert [d["filename"] for d in old] == ["surat.pdf"] and old[0]["superseded_by"]
    walidata = _client_signed_in(app, people.walidata)
    download = app.get(f"/ckan-admin/pendaftaran/{reg['id']}/dokumen/{old[0]['id']}",
                       headers=walidata)
    assert download.get_data() == PDF
    record = app.get(f"/ckan-admin/pendaftaran/{reg['id']}", headers=walidata).get_data(
        as_text=True)
    assert "splpdepok-superseded" in record and "surat.pdf" in record
    assert "surat.pdf → surat-ttd.pdf" in record  # the timeline shows the replacement


def test_notices_are_short_linked_and_read_on_open(app: Any, people: SimpleNamespace,
                                                   submitted: Any) -> None:
    reg = submitted("ippd")
    act("return", people.walidata, id=reg["id"], note="Lengkapi surat")
    mine = _notices(people.applicant)
    assert len(mine) == 1
    notice = mine[0]
    assert notice["subject"] == ("Pendaftaran Penyelenggara SPL IPPD Anda untuk depok.go.id "
                                 "dikembalikan: lengkapi dan kirim kembali.")
    assert "Dear" not in notice["subject"] + notice["body"]  # not the mail text
    assert notice["body"] == "Catatan pemeriksa: Lengkapi surat"
    headers = _client_signed_in(app, people.applicant)
    page = app.get("/pendaftaran", headers=headers).get_data(as_text=True)
    assert 'id="splpdepok-unread-count"' in page and "/pemberitahuan" in page
    opened = app.get(f"/pemberitahuan/{notice['id']}", headers=headers,
                     follow_redirects=False)
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/pendaftaran/{reg['id']}")
    assert _notices(people.applicant)[0]["read"] is True
    app.get(f"/pemberitahuan/{notice['id']}",
            headers=_client_signed_in(app, people.other), status=404)
    page = app.get("/pendaftaran", headers=headers).get_data(as_text=True)
    assert 'id="splpdepok-unread-count"' not in page


@pytest.mark.parametrize("who", ["walidata", "sysadmin"])
def test_no_review_notice_about_ones_own_application(people: SimpleNamespace,
                                                     mail_to_test_smtp: Any, who: str) -> None:
    reviewer = getattr(people, who)
    reg = act("create", reviewer, **fields("ippd"))
    act("submit", reviewer, id=reg["id"])
    assert _notices(reviewer) == []
    assert not [m for m in mail_to_test_smtp.to(reviewer["email"]) if "diperiksa" in m.subject
                or "review" in m.subject]
    others = [p for p in (people.walidata, people.sysadmin) if p is not reviewer]
    assert all(len(_notices(p)) == 1 for p in others)


def test_no_review_notice_to_the_person_named(people: SimpleNamespace) -> None:
    reg = act("create", people.applicant, **fields("ippd", email="walidata@depok.go.id"))
    act("submit", people.applicant, id=reg["id"])
    assert _notices(people.walidata) == []
    assert len(_notices(people.sysadmin)) == 1
