"""Records fit for an auditor: the whole SOP path 1-18 leaves events that the time-standard
report counts per step, the auditor workbook (three sheets, Indonesian headers, WIB datetimes,
filters, widths, full hashes) and the printable pages (walidata only)."""
from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.lid.workflow import CONNECTED, MACHINE, SUBJECT, SYNC_INSTRUCTED, SYNCED
from ckanext.splpdepok.registration.model import Registration
from ckanext.splpdepok.sop import model as events
from openpyxl.utils import get_column_letter

from tests.lid.conftest import call, lid_fields, pdf_upload

pytestmark = pytest.mark.usefixtures("mail_to_test_smtp")
HEX64 = re.compile(r"sha256:[0-9a-f]{64}\b")
WIB = ZoneInfo("Asia/Jakarta")


def _auth(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


@pytest.fixture
def full_path(lid_people: SimpleNamespace, splp_portal: Any) -> SimpleNamespace:
    """SOP steps 1-10 (lid_people's registrations), 11-14 through the plan actions, 15-18
    recorded through ``sop.model.record`` (the SPLP publisher is not part of this test)."""
    people = lid_people
    lid = call("lid_create", people.operator, ready=True, **lid_fields())
    plan = call("lid_plan_create", people.operator, lid_ids=[lid["id"]])
    call("lid_plan_advance", people.admin, id=plan["id"], transition="send")
    call("lid_plan_advance", people.admin, id=plan["id"], transition="receive_guide",
         guide_upload=pdf_upload())
    call("lid_plan_advance", people.admin, id=plan["id"], transition="instruct_sync")
    admin = model.User.get(people.admin["id"])
    assert admin is not None
    for name, state in (("sync", SYNC_INSTRUCTED), ("check_pass", SYNCED),
                        ("check_pass:notify", CONNECTED), ("check_pass:received", CONNECTED)):
        events.record(SUBJECT, plan["id"], MACHINE.find(name, state), actor_user_id=admin.id,
                      actor_name=admin.name, note=f"manual {name}",
                      data={"evidence_url": "https://splp.example/bukti"})
    model.repo.commit()
    return SimpleNamespace(people=people, plan=plan, lid=lid)


def test_time_standard_report_counts_every_step_of_the_whole_path(
        full_path: SimpleNamespace) -> None:
    report = call("sla_report", full_path.people.walidata)
    counts = {r["step"]: r["count"] for r in report["steps"]}
    assert sorted(counts) == list(range(1, 19))
    # Step 1 (the IPPD draft prepared) and 11 (the plan prepared) are not measured (their
    # clock starts on paper), yet they happened: they count. The admin and LID registrations
    # start at steps 5 and 8 and are submitted at the same step; approval of the admin one
    # also carries step 7 (its notification); two LID operators were registered.
    assert counts == {1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2, 7: 3, 8: 2, 9: 2, 10: 2,
                      11: 1, 12: 1, 13: 1, 14: 1, 15: 1, 16: 1, 17: 1, 18: 1}
    by_step = {r["step"]: r for r in report["steps"]}
    assert by_step[1]["share_within"] is None and by_step[12]["share_within"] is not None


def _dicts(sheet: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    """A sheet's header and its rows as dicts keyed by the header."""
    header = [c.value for c in sheet[1]]
    return header, [dict(zip(header, r, strict=True))
                    for r in sheet.iter_rows(min_row=2, values_only=True)]


def _workbook(app: Any, user: dict[str, Any]) -> openpyxl.Workbook:
    response = app.get("/ckan-admin/pendaftaran/ekspor.xlsx", headers=_auth(user))
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "private, no-store"
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


@pytest.mark.ckan_config("ckan.locale_default", "id")
def test_auditor_workbook(app: Any, full_path: SimpleNamespace) -> None:
    book = _workbook(app, full_path.people.walidata)
    assert book.sheetnames == ["Pendaftaran", "Rencana LID", "Standar Waktu"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        letters = [get_column_letter(n) for n in range(1, sheet.max_column + 1)]
        assert all(sheet.column_dimensions[x].width >= 6 for x in letters)
        assert max(sheet.column_dimensions[x].width for x in letters) > 13  # not the default

    regs = book["Pendaftaran"]
    header, rows = _dicts(regs)
    assert "Waktu kejadian (WIB)" in header and "Jenis pendaftaran" in header
    assert "registration_id" not in header
    assert {r["Status"] for r in rows} == {"Disetujui"}
    assert "Penyelenggara LID" in {r["Jenis pendaftaran"] for r in rows}
    assert all(HEX64.search(str(r["Dokumen (SHA-256)"])) for r in rows)
    known = events.for_subject("registration", rows[0]["ID pendaftaran"])[0]
    first = rows[0]["Waktu kejadian (WIB)"]
    assert isinstance(first, dt.datetime) and first.tzinfo is None
    assert first == known.created.astimezone(WIB).replace(tzinfo=None, microsecond=0) or (
        abs(first - known.created.astimezone(WIB).replace(tzinfo=None)) < dt.timedelta(seconds=1))
    time_col = header.index("Waktu kejadian (WIB)") + 1
    assert "hh:mm" in regs.cell(row=2, column=time_col).number_format

    plans = book["Rencana LID"]
    _plan_header, plan_rows = _dicts(plans)
    assert [r["Langkah SOP"] for r in plan_rows] == list(range(11, 19))
    assert plan_rows[4]["Catatan"] == "manual sync"
    assert "https://splp.example/bukti" in plan_rows[4]["Referensi bukti"]
    assert HEX64.search(str(plan_rows[0]["Panduan teknis (SHA-256)"]))
    plan_events = events.for_subject(SUBJECT, full_path.plan["id"])
    assert abs(plan_rows[0]["Waktu kejadian (WIB)"]
               - plan_events[0].created.astimezone(WIB).replace(tzinfo=None)) < dt.timedelta(
        seconds=1)

    report = book["Standar Waktu"]
    counted = {r["Langkah SOP"]: r["Jumlah"] for r in _dicts(report)[1]}
    assert counted[1] == 1 and counted[11] == 1 and all(counted[n] >= 1 for n in range(1, 19))


@pytest.mark.ckan_config("ckan.locale_default", "id")
def test_csv_stays_with_indonesian_headers(app: Any, full_path: SimpleNamespace) -> None:
    text = app.get("/ckan-admin/pendaftaran/ekspor.csv",
                   headers=_auth(full_path.people.walidata)).get_data(as_text=True)
    assert text.lstrip("\ufeff").startswith("ID pendaftaran,Jenis pendaftaran,Status")


def _print_urls(path: SimpleNamespace) -> list[str]:
    reg = model.Session.query(Registration).filter_by(kind="lid").first()
    assert reg is not None
    return [f"/ckan-admin/pendaftaran/{reg.id}/cetak",
            f"/katalog-lid/rencana/{path.plan['id']}/cetak"]


@pytest.mark.ckan_config("ckan.locale_default", "id")
def test_print_pages_for_the_walidata(app: Any, full_path: SimpleNamespace) -> None:
    reg_url, plan_url = _print_urls(full_path)
    headers = _auth(full_path.people.walidata)
    reg_page = app.get(reg_url, headers=headers).get_data(as_text=True)
    assert "print.css" in reg_page and "WIB" in reg_page and HEX64.search(
        reg_page.replace('<code class="hash">', "sha256:"))
    reg_id = reg_url.split("/")[-2]
    assert reg_page.count('class="event"') == len(events.for_subject("registration", reg_id))
    assert reg_page.count('class="event"') >= 3 and reg_id in reg_page
    assert reg_page.count('class="line"') == 2
    assert 'class="masthead' not in reg_page and "<nav" not in reg_page
    plan_page = app.get(plan_url, headers=headers).get_data(as_text=True)
    assert plan_page.count('class="event"') == 8 and "manual check_pass" in plan_page
    assert [int(s) for s in re.findall(r'data-step="(\d+)"', plan_page)] == list(range(11, 19))
    assert full_path.plan["id"] in plan_page


@pytest.mark.parametrize("who", ["stranger", "user", "applicant", "operator"])
def test_print_pages_refuse_everyone_else(app: Any, full_path: SimpleNamespace,
                                          who: str) -> None:
    people = full_path.people
    user = {"user": people.outsider, "applicant": people.applicant,
            "operator": people.operator}.get(who)
    for url in _print_urls(full_path):
        if user is None:
            response = app.get(url, follow_redirects=False)
            assert response.status_code == 302 and "/user/login" in response.headers["Location"]
        else:
            app.get(url, headers=_auth(user), status=403)
    if user is not None:
        app.get("/ckan-admin/pendaftaran/ekspor.xlsx", headers=_auth(user), status=403)


def test_unknown_records_are_404(app: Any, lid_people: SimpleNamespace) -> None:
    headers = _auth(lid_people.walidata)
    app.get("/ckan-admin/pendaftaran/nope/cetak", headers=headers, status=404)
    app.get("/katalog-lid/rencana/nope/cetak", headers=headers, status=404)
