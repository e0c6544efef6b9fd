"""The registration exports at their old URLs: one row per event, translated headers, labels
instead of codes in the workbook, raw codes in the CSV, formula injection refused in both."""
from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from ckan.tests import factories

from tests.registration.conftest import act, fields

pytestmark = pytest.mark.usefixtures("mail_to_test_smtp")


def _auth(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


@pytest.mark.ckan_config("ckan.locale_default", "id")
def test_exports_hold_one_row_per_event(app: Any, people: SimpleNamespace) -> None:
    reg = act("create", people.applicant, **fields("ippd"))
    act("submit", people.applicant, id=reg["id"])
    act("return", people.walidata, id=reg["id"], note="=HYPERLINK(\"http://evil\")")
    headers = _auth(people.walidata)
    xlsx = app.get("/ckan-admin/pendaftaran/ekspor.xlsx", headers=headers)
    assert xlsx.headers["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()))["Pendaftaran"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 3  # create, submit, return
    as_dicts = [dict(zip(header, row, strict=True)) for row in body]
    assert [r["Langkah SOP"] for r in as_dicts] == [1, 2, 3]
    assert as_dicts[0]["Tindakan SOP"] == "Pendaftaran disiapkan (draf)"
    assert as_dicts[2]["Ke status"] != "returned" and as_dicts[2]["Jenis pendaftaran"] == (
        "Penyelenggara SPL IPPD")
    assert str(as_dicts[2]["Catatan"]).startswith("=HYPERLINK")
    assert sheet.cell(row=4, column=header.index("Catatan") + 1).data_type == "s"
    csv_text = app.get("/ckan-admin/pendaftaran/ekspor.csv", headers=headers).get_data(
        as_text=True)
    lines = csv_text.strip().splitlines()
    assert len(lines) == 4 and "'=HYPERLINK" in csv_text
    assert lines[0].lstrip("\ufeff").startswith("ID pendaftaran,") and ",return," in lines[3]
