"""Katalog LID entries: who may add, change, see and delete them; validation; states."""
from __future__ import annotations

from types import SimpleNamespace

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckanext.splpdepok.lid.model import Lid

from tests.lid.conftest import call, lid_fields, operator_dataset, present

pytestmark = pytest.mark.usefixtures("lid_db")


def test_approved_operator_creates_a_draft_in_their_ippd(lid_people: SimpleNamespace) -> None:
    lid = call("lid_create", lid_people.operator, **lid_fields())
    assert lid["status"] == "draft" and lid["owner_user_id"] == lid_people.operator["id"]
    assert (lid["ippd_domain"], lid["tenant_domain"]) == ("depok.go.id", "depok.go.id")
    assert lid["output_format"] == "JSON" and lid["context"] == "kependudukan/penduduk"
    # an LID operator registration is bound to its IPPD's organization (issue 9)
    assert lid["organization"]["title"] == "Dinas Komunikasi dan Informatika"
    assert [a["name"] for a in lid["attributes"]] == ["kecamatan", "jumlah"]


def test_only_approved_operators_admins_and_walidata_may_create(
        lid_people: SimpleNamespace) -> None:
    for user in (lid_people.outsider, lid_people.applicant, None):
        with pytest.raises(tk.NotAuthorized):
            call("lid_create", user, **lid_fields())
    by_admin = call("lid_create", lid_people.admin, **lid_fields(context="admin-lid"))
    assert by_admin["ippd_domain"] == "depok.go.id"


def test_context_is_unique_within_the_tenant(lid_people: SimpleNamespace) -> None:
    call("lid_create", lid_people.operator, **lid_fields())
    with pytest.raises(tk.ValidationError) as raised:
        call("lid_create", lid_people.operator2,
             **lid_fields(context="/Kependudukan/Penduduk/", version="2.0"))
    assert "already used" in str(raised.value.error_dict["context"])


@pytest.mark.parametrize("field,value", [
    ("endpoint_url", "ftp://x"), ("classification", "rahasia"), ("output_format", "DOCX"),
    ("context", "t/depok.go.id/x"), ("context", "a b"), ("version", "1 0"),
    ("attributes", [{"name": "nama kolom", "type": "string"}]),
    ("attributes", [{"name": "a", "type": "blob"}]), ("datasets", ["tidak-ada"]),
])
def test_invalid_fields_are_refused_with_a_message(
        lid_people: SimpleNamespace, field: str, value: object) -> None:
    with pytest.raises(tk.ValidationError) as raised:
        call("lid_create", lid_people.operator, **lid_fields(**{field: value}))
    assert field in raised.value.error_dict


def test_ready_needs_and_keeps_a_valid_entry_and_edits_send_synced_back(
        lid_people: SimpleNamespace) -> None:
    lid = call("lid_create", lid_people.operator, ready=True, **lid_fields())
    assert lid["status"] == "ready"
    row = present(model.Session.get(Lid, lid["id"]))
    row.status = "connected"
    model.repo.commit()
    unchanged = call("lid_update", lid_people.operator, id=lid["id"], datasets=[])
    assert unchanged["status"] == "connected"
    changed = call("lid_update", lid_people.operator, id=lid["id"], description="baru")
    assert changed["status"] == "ready"
    back = call("lid_update", lid_people.operator, id=lid["id"], ready=False)
    assert back["status"] == "draft"


def test_who_may_edit_and_delete(lid_people: SimpleNamespace) -> None:
    lid = call("lid_create", lid_people.operator, **lid_fields())
    with pytest.raises(tk.NotAuthorized):
        call("lid_update", lid_people.operator2, id=lid["id"], name="Bukan milikku")
    with pytest.raises(tk.NotAuthorized):
        call("lid_delete", lid_people.outsider, id=lid["id"])
    assert call("lid_update", lid_people.admin, id=lid["id"], name="Oleh admin")["name"] == \
        "Oleh admin"
    assert call("lid_update", lid_people.walidata, id=lid["id"], version="1.1")["version"] == "1.1"
    assert call("lid_delete", lid_people.operator, id=lid["id"])["deleted"] is True
    with pytest.raises(tk.ObjectNotFound):
        call("lid_show", lid_people.operator, id=lid["id"])


def test_visibility_of_drafts_and_restricted_entries(lid_people: SimpleNamespace) -> None:
    draft = call("lid_create", lid_people.operator, **lid_fields(context="draf"))
    open_ = call("lid_create", lid_people.operator, ready=True,
                 **lid_fields(context="terbuka-satu", name="Sekolah"))
    closed = call("lid_create", lid_people.operator, ready=True,
                  **lid_fields(context="terbatas-satu", classification="terbatas",
                               name="Penduduk rinci"))
    for user, expected in ((None, {open_["id"]}),
                           (lid_people.outsider, {open_["id"], closed["id"]}),
                           (lid_people.operator2, {open_["id"], closed["id"]}),
                           (lid_people.admin, {open_["id"], closed["id"], draft["id"]}),
                           (lid_people.walidata, {open_["id"], closed["id"], draft["id"]})):
        found = call("lid_list", user)
        assert {r["id"] for r in found["results"]} == expected, user
        assert found["count"] == len(expected)
    with pytest.raises(tk.NotAuthorized):
        call("lid_show", None, id=closed["id"])
    with pytest.raises(tk.NotAuthorized):
        call("lid_show", lid_people.outsider, id=draft["id"])
    assert call("lid_show", lid_people.outsider, id=closed["id"])["name"] == "Penduduk rinci"
    mine = call("lid_list", lid_people.operator, mine=True)
    assert mine["count"] == 3


def test_search_filters_and_facets(lid_people: SimpleNamespace) -> None:
    call("lid_create", lid_people.operator, ready=True, **lid_fields())
    call("lid_create", lid_people.operator2, ready=True,
         **lid_fields(name="Daftar Sekolah", context="sekolah", output_format="CSV",
                      description="Sekolah 100% negeri"))
    everything = call("lid_list", lid_people.outsider)
    assert everything["facets"]["output_format"] == {"JSON": 1, "CSV": 1}
    titles = {f["title"] for f in everything["facets"]["organization"]}
    assert titles == {"Dinas Komunikasi dan Informatika"}  # both operators: the IPPD's
    assert call("lid_list", None, q="sekolah")["count"] == 1
    assert call("lid_list", None, q="100%")["count"] == 1
    assert call("lid_list", None, q="1_0")["count"] == 0
    assert call("lid_list", None, output_format="csv")["results"][0]["name"] == "Daftar Sekolah"
    org = next(f["name"] for f in everything["facets"]["organization"]
               if f["title"] == "Dinas Komunikasi dan Informatika")
    assert call("lid_list", None, organization=org)["count"] == 2
    assert call("lid_list", None, organization="diskominfo")["count"] == 0
    assert call("lid_list", None, status="ready")["count"] == 2


def test_linked_datasets_both_ways(lid_people: SimpleNamespace) -> None:
    dataset = operator_dataset(lid_people, "jumlah-penduduk")
    lid = call("lid_create", lid_people.operator, ready=True,
               **lid_fields(datasets=["jumlah-penduduk"]))
    assert lid["datasets"] == [dataset["id"]]
    served = call("lid_list", None, dataset="jumlah-penduduk")
    assert [r["id"] for r in served["results"]] == [lid["id"]]
