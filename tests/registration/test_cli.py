"""``ckan splpdepok sop`` and ``ckan splpdepok registrations list|show|export``."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from ckan.cli.cli import ckan

from tests.registration.conftest import act, fields, found

pytestmark = pytest.mark.usefixtures("mail_to_test_smtp")


def test_sop_trace_names_every_step(cli: Any, reg_db: None) -> None:
    result = cli.invoke(ckan, ["splpdepok", "sop"])
    assert result.exit_code == 0, result.output
    out = result.output
    for number in range(1, 19):
        assert f"Step {number:>2}" in out
    assert "registration/ippd: return: submitted -> returned by Reviewer (walidata) " \
           "[note required]" in out
    assert "registration/ippd: submit: returned -> submitted" in out
    assert "(480 working min)" in out  # "1 sesi" = one working day by default
    section = out.split("Step 11")[0]
    assert "(not implemented by any workflow yet)" not in section


def test_registrations_commands(cli: Any, people: SimpleNamespace, tmp_path: Path) -> None:
    reg = act("create", people.applicant, **fields("ippd"))
    act("submit", people.applicant, id=reg["id"])
    act("approve", people.walidata, id=reg["id"])

    listing = cli.invoke(ckan, ["splpdepok", "registrations", "list", "--status", "approved"])
    assert listing.exit_code == 0, listing.output
    assert "1 registration(s)" in listing.output and reg["id"] in listing.output

    cli.mix_stderr = False  # the JSON is on stdout; CKAN's own log lines go to stderr
    shown = cli.invoke(ckan, ["splpdepok", "registrations", "show", reg["id"]])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert [e["sop_step"] for e in data["events"]] == [1, 2, 3, 4]

    missing = cli.invoke(ckan, ["splpdepok", "registrations", "show", "nope"])
    assert missing.exit_code != 0 and "not found" in missing.stderr

    xlsx = tmp_path / "r.xlsx"
    done = cli.invoke(ckan, ["splpdepok", "registrations", "export", "-o", str(xlsx)])
    assert done.exit_code == 0 and "4 event row(s)" in done.output
    rows = list(found(openpyxl.load_workbook(xlsx).active).iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert rows[0][:3] == ("Registration ID", "Registration kind", "Status")

    out_csv = tmp_path / "r.csv"
    cli.invoke(ckan, ["splpdepok", "registrations", "export", "--format", "csv", "-o",
                      str(out_csv)])
    with out_csv.open(encoding="utf-8-sig") as handle:
        records = list(csv.DictReader(handle))
    # translated headers over the raw values (codes stay codes in the CSV)
    assert [r["SOP action"] for r in records] == ["create", "submit", "approve",
                                                  "approve:provision"]
    assert records[0]["Email"] == "admin.ippd@depok.go.id"
