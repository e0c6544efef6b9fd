"""Issue 9 as its attackers tried it: self-review, borrowed agencies, the walidata organization,
account leaks. Every rule through the actions, as the auth functions and the plan enforce it."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories, helpers
from ckanext.splpdepok.registration.model import Ippd
from ckanext.splpdepok.registration.workflow import MACHINE, REVIEW_TRANSITIONS

from tests.registration.conftest import act, fields, found, make_org

pytestmark = pytest.mark.usefixtures("mail_to_test_smtp")
NOTE = {"note": "Catatan pemeriksa"}


def _submitted(by: dict[str, Any], kind: str = "ippd", **overrides: Any) -> dict[str, Any]:
    reg = act("create", by, **fields(kind, **overrides))
    return act("submit", by, id=reg["id"])


def _memberships(user_name: str) -> dict[str, str]:
    user = model.User.get(user_name)
    if user is None:
        return {}
    rows = (model.Session.query(model.Member, model.Group)
            .join(model.Group, model.Group.id == model.Member.group_id)
            .filter(model.Member.table_id == user.id, model.Member.table_name == "user",
                    model.Member.state == "active"))
    return {group.name: member.capacity for member, group in rows}


def _approved_ippd_with_admin(people: SimpleNamespace) -> model.User:
    """depok.go.id approved, its admin ``admin-ippd`` approved and active (SOP steps 1-7)."""
    reg = _submitted(people.applicant)
    act("approve", people.walidata, id=reg["id"])
    admin_reg = _submitted(people.applicant, "ippd_admin")
    act("approve", people.walidata, id=admin_reg["id"])
    admin = found(model.User.get("admin-ippd"))
    admin.state = "active"
    model.repo.commit()
    return admin


def test_review_transitions_come_from_the_table() -> None:
    assert set(REVIEW_TRANSITIONS) == {"approve", "return", "reject"}
    assert MACHINE.performers("approve", "ippd") == ("reviewer",)
    assert MACHINE.performers("approve", "lid") == ("ippd_admin", "reviewer")
    assert MACHINE.performers("submit", "lid") == ("applicant",)


@pytest.mark.parametrize("decision", REVIEW_TRANSITIONS)
@pytest.mark.parametrize("who", ["walidata", "sysadmin"])
def test_nobody_reviews_their_own_application(people: SimpleNamespace, decision: str,
                                              who: str) -> None:
    reviewer = getattr(people, who)
    reg = _submitted(reviewer, username="admin-baru", email="baru@depok.go.id")
    with pytest.raises(helpers.logic.NotAuthorized, match="created"):
        act(decision, reviewer, id=reg["id"], **NOTE)
    shown = act("show", reviewer, id=reg["id"])
    assert shown["actions"] == [] and "created" in shown["review_refusal"]
    other = people.sysadmin if who == "walidata" else people.walidata
    assert act(decision, other, id=reg["id"], **NOTE)["status"] != "submitted"


@pytest.mark.parametrize("decision", REVIEW_TRANSITIONS)
@pytest.mark.parametrize("named_by", ["username", "email"])
def test_nobody_reviews_an_application_naming_them(people: SimpleNamespace, decision: str,
                                                   named_by: str) -> None:
    named = ({"username": "walidata", "email": "baru@depok.go.id"} if named_by == "username"
             else {"username": "admin-baru", "email": "WaliData@Depok.go.id"})
    reg = _submitted(people.applicant, **named)
    with pytest.raises(helpers.logic.NotAuthorized, match="names them"):
        act(decision, people.walidata, id=reg["id"], **NOTE)
    if decision == "approve" and named_by == "username":
        # another reviewer may, but the plan refuses to link walidata's account by its name
        with pytest.raises(helpers.logic.ValidationError, match="another e-mail"):
            act(decision, people.sysadmin, id=reg["id"])
    else:
        assert act(decision, people.sysadmin, id=reg["id"], **NOTE)["status"] != "submitted"


def test_the_named_account_is_matched_by_id_too(people: SimpleNamespace) -> None:
    from ckanext.splpdepok.registration.logic import auth as roles
    from ckanext.splpdepok.registration.model import Registration

    reg = found(Registration.get(_submitted(people.applicant)["id"]))
    reg.user_id = people.walidata["id"]
    assert not roles.may_perform(found(model.User.get("walidata")), reg, "approve")[0]
    assert roles.may_perform(found(model.User.get("root-admin")), reg, "approve")[0]


def test_an_inactive_walidata_reviews_nothing(people: SimpleNamespace) -> None:
    from ckanext.splpdepok.common import roles

    user = found(model.User.get("walidata"))
    assert roles.is_walidata(user)
    user.state = "pending"
    assert not roles.is_walidata(user)
    model.Session.rollback()


@pytest.mark.parametrize("decision", REVIEW_TRANSITIONS)
def test_the_approved_ippd_admin_cannot_make_itself_editor_elsewhere(
        people: SimpleNamespace, decision: str) -> None:
    """Issue 9: an LID registration for itself naming another agency, approved with its own
    token. The agency cannot be named, and the admin cannot review its own registration."""
    admin = _approved_ippd_with_admin(people)
    me = {"name": admin.name}
    with pytest.raises(helpers.logic.ValidationError, match="bound to its IPPD"):
        act("create", me, **fields("lid", username=admin.name, email=admin.email,
                                   organization="dinas-lain"))
    for named in ({"username": admin.name, "email": admin.email},
                  {"username": "operator-x", "email": "x@depok.go.id"}):
        reg = _submitted(me, "lid", **named)
        with pytest.raises(helpers.logic.NotAuthorized):
            act(decision, me, id=reg["id"], **NOTE)
    assert "dinas-lain" not in _memberships(admin.name)
    assert _memberships("operator-x") == {}


def test_an_ippd_admin_reviews_lid_registrations_of_its_own_ippd_only(
        people: SimpleNamespace) -> None:
    admin = _approved_ippd_with_admin(people)
    lid = _submitted(people.other, "lid", username="operator", email="operator@depok.go.id")
    # a second IPPD with its own admin
    second = _submitted(people.other, ippd_domain="bogor.go.id", username="admin-bogor",
                        email="admin@bogor.go.id", new_organization="Dinas Bogor")
    act("approve", people.walidata, id=second["id"])
    act("approve", people.walidata, id=_submitted(
        people.other, "ippd_admin", ippd_domain="bogor.go.id", username="admin-bogor",
        email="admin@bogor.go.id")["id"])
    found(model.User.get("admin-bogor")).state = "active"
    model.repo.commit()
    with pytest.raises(helpers.logic.NotAuthorized):
        act("approve", {"name": "admin-bogor"}, id=lid["id"])
    with pytest.raises(helpers.logic.NotAuthorized):  # nor IPPD or admin registrations
        act("approve", {"name": admin.name}, id=_submitted(
            people.other, ippd_domain="bekasi.go.id", username="admin-bekasi",
            email="b@bekasi.go.id")["id"])
    approved = act("approve", {"name": admin.name}, id=lid["id"])
    ippd = found(Ippd.by_domain("depok.go.id"))
    assert approved["organization_id"] == ippd.organization_id
    assert _memberships("operator") == {found(model.Group.get(ippd.organization_id)).name: "editor"}


def test_the_walidata_reviews_the_lid_registration_its_admin_created(
        people: SimpleNamespace, mail_to_test_smtp: Any) -> None:
    admin = _approved_ippd_with_admin(people)
    mail_to_test_smtp.clear()
    lid = _submitted({"name": admin.name}, "lid", username="operator",
                     email="operator@depok.go.id")
    review_mails = [m for m in mail_to_test_smtp.wait_for(2) if "diperiksa" in m.subject]
    assert not any(admin.email in m.rcpt_tos for m in review_mails), \
        "nobody is asked to review their own application"
    assert {r for m in review_mails for r in m.rcpt_tos} >= {"walidata@depok.go.id"}
    assert act("approve", people.walidata, id=lid["id"])["status"] == "approved"


def test_an_application_cannot_name_the_walidata_organization(people: SimpleNamespace) -> None:
    """Issue 9: the IPPD application naming "Dinas Komunikasi dan Informatika"."""
    walidata_org = found(model.Group.get("diskominfo"))
    walidata_org.title = "Dinas Komunikasi dan Informatika"
    model.repo.commit()
    for choice in ("diskominfo", walidata_org.id):
        with pytest.raises(helpers.logic.ValidationError, match="Not an organization you can"):
            act("create", people.applicant, **fields("ippd", organization=choice))
    reg = _submitted(people.applicant, new_organization="dinas komunikasi dan informatika")
    plan = act("plan", people.sysadmin, id=reg["id"])
    assert plan["blocked"] and plan["organization_action"] == "create"
    with pytest.raises(helpers.logic.ValidationError, match="walidata organization"):
        act("approve", people.sysadmin, id=reg["id"])
    assert act("show", people.sysadmin, id=reg["id"])["status"] == "submitted"
    assert "diskominfo" not in _memberships("admin-ippd")
    assert model.User.get("admin-ippd") is None


def test_the_new_organization_is_created_never_matched_by_title(
        people: SimpleNamespace) -> None:
    make_org("opd-lama", title="Dinas Kesehatan")  # same title, never linked by title
    reg = _submitted(people.applicant, new_organization="Dinas Kesehatan")
    plan = act("plan", people.walidata, id=reg["id"])
    assert (plan["organization_action"], plan["organization_name"]) == ("create",
                                                                        "dinas-kesehatan")
    approved = act("approve", people.walidata, id=reg["id"], plan=plan["fingerprint"])
    org = found(model.Group.get(approved["organization_id"]))
    assert org.name == "dinas-kesehatan" and org.title == "Dinas Kesehatan"
    assert _memberships("admin-ippd") == {"dinas-kesehatan": "admin"}


@pytest.mark.parametrize("choice", ["a-group", "gone", "no-such-org"])
def test_only_active_organizations_can_be_chosen(people: SimpleNamespace, choice: str) -> None:
    factories.Group(name="a-group")
    make_org("gone").state = "deleted"
    model.repo.commit()
    with pytest.raises(helpers.logic.ValidationError) as refused:
        act("create", people.applicant, **fields("ippd", organization=choice))
    assert list(refused.value.error_dict) == ["organization"]


def test_exactly_one_organization_choice(people: SimpleNamespace) -> None:
    data = fields("ippd", organization="dinas-lain", new_organization="Dinas Baru")
    with pytest.raises(helpers.logic.ValidationError, match="not both"):
        act("create", people.applicant, **data)  # new_organization is in fields() too
    data = fields("ippd", organization="")
    with pytest.raises(helpers.logic.ValidationError, match="Choose your organization"):
        act("create", people.applicant, **data)


def test_approval_grants_exactly_the_plan_and_refuses_a_changed_one(
        people: SimpleNamespace) -> None:
    reg = _submitted(people.applicant, organization="dinas-lain")
    plan = act("plan", people.walidata, id=reg["id"])
    assert (plan["user_action"], plan["organization_action"], plan["role"],
            plan["role_action"]) == ("create", "link", "admin", "grant")
    factories.User(name="admin-ippd", email="admin.ippd@depok.go.id")  # meanwhile
    with pytest.raises(helpers.logic.ValidationError, match="has changed"):
        act("approve", people.walidata, id=reg["id"], plan=plan["fingerprint"])
    assert act("show", people.walidata, id=reg["id"])["status"] == "submitted"
    fresh = act("plan", people.walidata, id=reg["id"])
    assert (fresh["user_action"], fresh["user_name"]) == ("link", "admin-ippd")
    approved = act("approve", people.walidata, id=reg["id"], plan=fresh["fingerprint"])
    assert approved["organization_id"] == found(model.Group.get("dinas-lain")).id
    assert _memberships("admin-ippd") == {"dinas-lain": "admin"}


def test_the_applicant_never_learns_which_account_an_email_belongs_to(
        people: SimpleNamespace, mail_to_test_smtp: Any) -> None:
    """Issue 9: approval links an existing account by e-mail; only the reviewer sees which."""
    reg = _submitted(people.applicant, username="nama-baru", email="lain@depok.go.id")
    fresh = _submitted(people.applicant, ippd_domain="baru.depok.go.id",
                       username="nama-lain", email="belum@depok.go.id")
    assert set(reg) == set(fresh)  # nothing in the response differs by account existence
    with pytest.raises(helpers.logic.NotAuthorized):
        act("plan", people.applicant, id=reg["id"])
    plan = act("plan", people.walidata, id=reg["id"])
    assert (plan["user_action"], plan["user_name"], plan["linked_by"]) == (
        "link", "lain", "email")
    approved = act("approve", people.walidata, id=reg["id"])
    assert approved["user_id"] == people.other["id"]
    shown = act("show", people.applicant, id=reg["id"])
    assert "user_id" not in shown
    # the applicant sees its own documents in the history, never what approval linked
    assert all(set(e["data"]) <= {"documents", "replaced"} for e in shown["events"])
    assert people.other["id"] not in str(shown)
    assert "lain" not in str(shown).replace("lain@depok.go.id", "")
    to_applicant = [m for m in mail_to_test_smtp.to("pemohon@depok.go.id")
                    if "disetujui" in m.subject]
    assert len(to_applicant) == 1
    assert "lain" not in to_applicant[0].body.replace("lain@", "")
    walidata_view = act("show", people.walidata, id=reg["id"])
    assert walidata_view["user_id"] == people.other["id"]


def test_a_user_name_of_another_account_blocks_approval(people: SimpleNamespace) -> None:
    reg = _submitted(people.applicant, username="lain", email="bukan.lain@depok.go.id")
    plan = act("plan", people.walidata, id=reg["id"])
    assert plan["blocked"] and plan["user_name"] == "lain"
    with pytest.raises(helpers.logic.ValidationError, match="another e-mail"):
        act("approve", people.walidata, id=reg["id"])
    assert _memberships("lain") == {}


def test_a_user_id_as_user_name_links_nobody(people: SimpleNamespace) -> None:
    uid = people.sysadmin["id"]
    reg = _submitted(people.applicant, username=uid, email="x@depok.go.id")
    plan = act("plan", people.walidata, id=reg["id"])
    assert plan["user_action"] == "create" and plan["user_id"] == ""


def test_the_reviewers_own_application_does_not_ask_her_to_review_it(
        people: SimpleNamespace, mail_to_test_smtp: Any) -> None:
    mail_to_test_smtp.clear()
    _submitted(people.walidata, username="admin-baru", email="baru@depok.go.id")
    mail_to_test_smtp.wait_for(1)
    assert mail_to_test_smtp.to("root@depok.go.id")  # another reviewer is asked
    assert not mail_to_test_smtp.to("walidata@depok.go.id")
    notices = helpers.call_action("splpdepok_notice_list", context={
        "user": "walidata", "ignore_auth": False})
    assert notices == []
