"""The registration workflow through the actions, against real PostgreSQL and a real SMTP server."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from ckan import model
from ckan.tests import helpers
from ckanext.splpdepok.registration.model import Ippd

from tests.registration.conftest import act, fields, first_error, found

pytestmark = pytest.mark.usefixtures("mail_to_test_smtp")


def _approve_ippd(people: SimpleNamespace, **overrides: Any) -> dict[str, Any]:
    reg = act("create", people.applicant, **fields("ippd", **overrides))
    act("submit", people.applicant, id=reg["id"])
    return act("approve", people.walidata, id=reg["id"])


def test_ippd_returned_resubmitted_and_approved(people: SimpleNamespace,
                                                mail_to_test_smtp: Any) -> None:
    smtp = mail_to_test_smtp
    reg = act("create", people.applicant, **fields("ippd"))
    assert reg["status"] == "draft" and reg["phone"] == "+6281234567890"
    assert {d["kind"] for d in reg["documents"]} == {"letter", "kajian"}
    act("submit", people.applicant, id=reg["id"])
    assert [m.rcpt_tos for m in smtp.wait_for(2)] and smtp.to("walidata@depok.go.id")
    assert smtp.to("root@depok.go.id"), "sysadmins review too"

    with pytest.raises(helpers.logic.ValidationError) as no_note:
        act("return", people.walidata, id=reg["id"])
    assert "note" in no_note.value.error_dict
    act("return", people.walidata, id=reg["id"], note="Surat belum ditandatangani")
    returned = smtp.to("pemohon@depok.go.id")
    assert len(returned) == 1 and "Surat belum ditandatangani" in returned[0].body

    act("update", people.applicant, id=reg["id"], full_name="Admin IPPD Kota Depok")
    act("submit", people.applicant, id=reg["id"])
    approved = act("approve", people.walidata, id=reg["id"])
    assert approved["status"] == "approved"

    user = found(model.User.get("admin-ippd"))
    assert user is not None and user.state == "pending" and user.reset_key
    org = found(model.Group.get(approved["organization_id"]))
    assert org.title == "Dinas Komunikasi dan Informatika" and org.is_organization
    assert user.id in {m.table_id for m in org.member_all if m.capacity == "admin"}
    ippd = found(Ippd.by_domain("depok.go.id"))
    assert ippd is not None and ippd.organization_id == org.id and ippd.admin_user_id is None

    shown = act("show", people.applicant, id=reg["id"])
    assert [(e["transition"], e["sop_step"]) for e in shown["events"]] == [
        ("create", 1), ("submit", 2), ("return", 3), ("update", 2), ("submit", 2),
        ("approve", 3), ("approve:provision", 4)]
    assert shown["events"][2]["note"] == "Surat belum ditandatangani"
    assert shown["events"][0]["elapsed_minutes"] is None
    assert all(e["standard_minutes"] for e in shown["events"])

    invite = smtp.to("admin.ippd@depok.go.id")
    assert len(invite) == 1 and f"/user/reset/{user.id}?key={user.reset_key}" in invite[0].body
    assert len(smtp.to("pemohon@depok.go.id")) == 2


def test_order_of_kinds(people: SimpleNamespace) -> None:
    with pytest.raises(helpers.logic.ValidationError) as no_ippd:
        act("create", people.applicant, **fields("ippd_admin"))
    assert "approved IPPD" in first_error(no_ippd.value, "ippd_domain")
    with pytest.raises(helpers.logic.ValidationError):
        act("create", people.applicant, **fields("lid"))

    _approve_ippd(people)
    with pytest.raises(helpers.logic.ValidationError) as dup:
        act("create", people.applicant, **fields("ippd"))
    assert "already registered" in first_error(dup.value, "ippd_domain")
    with pytest.raises(helpers.logic.ValidationError) as no_admin:
        act("create", people.applicant, **fields("lid", username="operator"))
    assert "no active admin" in first_error(no_admin.value, "ippd_domain")

    admin_reg = act("create", people.applicant, **fields("ippd_admin"))
    act("submit", people.applicant, id=admin_reg["id"])
    act("approve", people.walidata, id=admin_reg["id"])
    ippd = found(Ippd.by_domain("depok.go.id"))
    assert ippd.admin_user_id == found(model.User.get("admin-ippd")).id
    assert ippd.tenant_domain == "depok.go.id"
    # still pending (invitation not accepted): not an active admin yet
    with pytest.raises(helpers.logic.ValidationError):
        act("create", people.applicant, **fields("lid", username="operator"))
    user = found(model.User.get("admin-ippd"))
    user.state = "active"
    model.repo.commit()
    lid = act("create", people.applicant, **fields(
        "lid", username="operator", email="operator@depok.go.id"))
    assert lid["ippd_name"] == "Pemerintah Kota Depok"
    assert lid["organization"] == found(Ippd.by_domain("depok.go.id")).organization_id


def test_lid_is_reviewed_by_the_ippd_admin(people: SimpleNamespace) -> None:
    _approve_ippd(people, username=people.editor["name"], email="editor@depok.go.id")
    admin_reg = act("create", people.applicant, **fields(
        "ippd_admin", username=people.editor["name"], email="editor@depok.go.id"))
    act("submit", people.applicant, id=admin_reg["id"])
    act("approve", people.walidata, id=admin_reg["id"])
    lid = act("create", people.other, **fields(
        "lid", username="operator", email="operator@depok.go.id"))
    act("submit", people.other, id=lid["id"])
    with pytest.raises(helpers.logic.NotAuthorized):
        act("approve", people.applicant, id=lid["id"])
    queue = act("list", people.editor, status="submitted")
    assert [r["id"] for r in queue["results"]] == [lid["id"]]
    approved = act("approve", people.editor, id=lid["id"])
    org = found(model.Group.get(approved["organization_id"]))
    operator = found(model.User.get("operator"))
    assert org.id == found(Ippd.by_domain("depok.go.id")).organization_id  # bound to its IPPD's
    assert org.name == "dinas-komunikasi-dan-informatika"
    assert {(m.table_id, m.capacity) for m in org.member_all if m.table_name == "user"} >= {
        (operator.id, "editor")}
    steps = [e["sop_step"] for e in act("show", people.other, id=lid["id"])["events"]]
    assert steps == [7, 8, 9, 10]


def test_approving_twice_creates_nothing_twice(people: SimpleNamespace) -> None:
    approved = _approve_ippd(people)
    with pytest.raises(helpers.logic.ValidationError) as again:
        act("approve", people.walidata, id=approved["id"])
    assert "conflict" in again.value.error_dict
    assert model.Session.query(model.User).filter_by(name="admin-ippd").count() == 1
    assert model.Session.query(Ippd).count() == 1
    assert model.Session.query(model.Group).filter_by(
        title="Dinas Komunikasi dan Informatika").count() == 1


def test_existing_user_and_org_are_linked_not_duplicated(people: SimpleNamespace) -> None:
    approved = _approve_ippd(people, username=people.other["name"], email="lain@depok.go.id",
                             organization="dinas-lain")
    assert approved["user_id"] == people.other["id"]
    assert approved["organization_id"] == found(model.Group.get("dinas-lain")).id
    assert model.Session.query(model.User).filter_by(email="lain@depok.go.id").count() == 1


def test_stale_version_is_a_conflict(people: SimpleNamespace) -> None:
    reg = act("create", people.applicant, **fields("ippd"))
    act("update", people.applicant, id=reg["id"], version=reg["version"], phone="021 7777 7777")
    with pytest.raises(helpers.logic.ValidationError) as stale:
        act("update", people.applicant, id=reg["id"], version=reg["version"],
            phone="0812 1111 2222")
    assert "conflict" in stale.value.error_dict


def test_submit_needs_both_documents(people: SimpleNamespace) -> None:
    data = fields("ippd")
    del data["kajian_upload"]
    reg = act("create", people.applicant, **data)
    with pytest.raises(helpers.logic.ValidationError) as missing:
        act("submit", people.applicant, id=reg["id"])
    assert list(missing.value.error_dict) == ["kajian_upload"]


def test_reject_is_final_and_notifies(people: SimpleNamespace, mail_to_test_smtp: Any) -> None:
    reg = act("create", people.applicant, **fields("ippd"))
    act("submit", people.applicant, id=reg["id"])
    act("reject", people.sysadmin, id=reg["id"], note="Bukan instansi pemerintah")
    assert act("show", people.applicant, id=reg["id"])["actions"] == []
    with pytest.raises(helpers.logic.ValidationError):
        act("submit", people.applicant, id=reg["id"])
    mails = mail_to_test_smtp.to("pemohon@depok.go.id")
    assert len(mails) == 1 and "Bukan instansi pemerintah" in mails[0].body


def test_events_are_immutable_in_the_database(people: SimpleNamespace) -> None:
    import sqlalchemy as sa
    from sqlalchemy import exc

    reg = act("create", people.applicant, **fields("ippd"))
    with pytest.raises(exc.DBAPIError, match="immutable"):
        model.Session.execute(sa.text(
            "UPDATE splpdepok_sop_events SET note = 'forged' WHERE subject_id = :id"),
            {"id": reg["id"]})
    model.Session.rollback()
    assert act("show", people.applicant, id=reg["id"])["events"][0]["note"] == ""


def test_list_filters_and_paging(people: SimpleNamespace) -> None:
    ids = []
    for n, unit in enumerate(["Dinas Kesehatan", "Dinas Pendidikan", "Dinas Kesehatan"]):
        reg = act("create", people.applicant, **fields(
            "ippd", ippd_domain=f"d{n}.depok.go.id", new_organization=unit,
            ippd_name=f"IPPD {n}"))
        ids.append(reg["id"])
    act("submit", people.applicant, id=ids[0])

    def listed(**filters: Any) -> list[str]:
        return [r["id"] for r in act("list", people.walidata, **filters)["results"]]

    assert set(listed()) == set(ids)
    assert listed(status="submitted") == [ids[0]]
    assert set(listed(text="kesehatan")) == {ids[0], ids[2]}
    lain = found(model.Group.get("dinas-lain")).id
    act("update", people.applicant, id=ids[1], organization="dinas-lain")
    assert listed(organization=lain) == [ids[1]]
    assert listed(text="d1.depok") == [ids[1]]
    assert listed(text="100%_") == []  # LIKE wildcards are matched literally
    assert listed(kind="lid") == []
    page_one = act("list", people.walidata, limit=2, offset=0)
    page_two = act("list", people.walidata, limit=2, offset=2)
    assert page_one["count"] == 3 and len(page_one["results"]) == 2
    assert len(page_two["results"]) == 1
    assert set(listed(limit=2) + [r["id"] for r in page_two["results"]]) == set(ids)


def test_second_ippd_for_a_domain_cannot_be_approved(people: SimpleNamespace) -> None:
    first = act("create", people.applicant, **fields("ippd"))
    second = act("create", people.other, **fields("ippd", username="admin-dua",
                                                   email="dua@depok.go.id"))
    for reg, who in ((first, people.applicant), (second, people.other)):
        act("submit", who, id=reg["id"])
    act("approve", people.walidata, id=first["id"])
    with pytest.raises(helpers.logic.ValidationError) as refused:
        act("approve", people.walidata, id=second["id"])
    assert "already registered" in first_error(refused.value, "ippd_domain")
    assert act("show", people.other, id=second["id"])["status"] == "submitted"
    assert model.User.get("admin-dua") is None
