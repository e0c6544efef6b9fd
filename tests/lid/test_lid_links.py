"""Which datasets an LID may serve, and that no private dataset leaks through LID actions or
pages: own organization only, public datasets only for a public (terbuka) LID, and a private
dataset's id or name never shown to someone who may not see it, links made before these rules
included."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckanext.splpdepok.lid.model import Lid, LidDataset

from tests.lid.conftest import call, lid_fields, operator_dataset, present

pytestmark = pytest.mark.usefixtures("lid_db")


def _other_org_dataset(**fields: Any) -> dict[str, Any]:
    org = factories.Organization(name="dinas-lain", title="Dinas Lain")
    return factories.Dataset(owner_org=org["id"], **fields)


def _errors(action: str, user: dict[str, Any], **data: Any) -> list[str]:
    with pytest.raises(tk.ValidationError) as error:
        call(action, user, **data)
    return [str(m) for m in cast(list[Any], error.value.error_dict["datasets"])]


def test_only_datasets_of_the_lids_own_organization(lid_people: SimpleNamespace) -> None:
    other = _other_org_dataset(name="data-dinas-lain")
    errors = _errors("lid_create", lid_people.operator, **lid_fields(datasets=[other["name"]]))
    assert "another organization" in errors[0]
    assert Lid.by_context("depok.go.id", "kependudukan/penduduk") is None
    own = operator_dataset(lid_people, "data-sendiri")
    lid = call("lid_create", lid_people.operator, **lid_fields(datasets=[own["name"]]))
    assert lid["datasets"] == [own["id"]]
    # the walidata may not bend the rule either: the LID's organization decides
    errors = _errors("lid_update", lid_people.sysadmin, id=lid["id"], datasets=[other["id"]])
    assert "another organization" in errors[0]


def test_a_public_lid_serves_public_datasets_only(lid_people: SimpleNamespace) -> None:
    private = operator_dataset(lid_people, "data-rahasia", private=True)
    errors = _errors("lid_create", lid_people.operator,
                     **lid_fields(datasets=[private["name"]]))
    assert "private" in errors[0]
    restricted = call("lid_create", lid_people.operator,
                      **lid_fields(classification="terbatas", datasets=[private["name"]]))
    assert restricted["datasets"] == [private["id"]]
    errors = _errors("lid_update", lid_people.operator, id=restricted["id"],
                     classification="terbuka")
    assert "private" in errors[0]
    assert present(Lid.get(restricted["id"])).classification == "terbatas"


def test_a_private_dataset_of_another_organization_is_answered_as_missing(
        lid_people: SimpleNamespace) -> None:
    secret = _other_org_dataset(name="data-rahasia-lain", private=True)
    missing = _errors("lid_create", lid_people.operator, **lid_fields(datasets=["tidak-ada"]))
    hidden = _errors("lid_create", lid_people.operator,
                     **lid_fields(datasets=[secret["name"]]))
    assert missing == ["Dataset not found: tidak-ada"]
    assert hidden == ["Dataset not found: data-rahasia-lain"]


@pytest.fixture
def legacy_link(lid_people: SimpleNamespace) -> SimpleNamespace:
    """A public LID linked (before the rules) to another agency's private dataset."""
    secret = _other_org_dataset(name="data-rahasia-lama", private=True)
    public = operator_dataset(lid_people, "data-terbuka")
    lid = call("lid_create", lid_people.operator, ready=True,
               **lid_fields(datasets=[public["name"]]))
    model.Session.add(LidDataset(lid_id=lid["id"], package_id=secret["id"]))
    model.repo.commit()
    return SimpleNamespace(lid=lid, secret=secret, public=public)


def test_old_links_to_private_datasets_are_filtered_on_output(
        lid_people: SimpleNamespace, legacy_link: SimpleNamespace, app: Any) -> None:
    secret, lid = legacy_link.secret, legacy_link.lid
    for user in (None, lid_people.outsider, lid_people.operator):
        shown = call("lid_show", user, id=lid["id"])
        assert shown["datasets"] == [legacy_link.public["id"]]
        listed = call("lid_list", user)["results"]
        assert [r["datasets"] for r in listed] == [[legacy_link.public["id"]]]
    assert secret["id"] in call("lid_show", lid_people.sysadmin, id=lid["id"])["datasets"]
    for path in ("/katalog-lid", f"/katalog-lid/{lid['id']}",
                 f"/api/3/action/splpdepok_lid_list?q={lid['name'][:5]}",
                 f"/api/3/action/splpdepok_lid_show?id={lid['id']}"):
        body = app.get(path).get_data(as_text=True)
        assert lid["name"] in body, path
        assert secret["id"] not in body and secret["name"] not in body, path
    assert "/dataset/data-terbuka" in app.get(f"/katalog-lid/{lid['id']}").get_data(as_text=True)


def test_listing_by_dataset_does_not_tell_whether_a_private_name_exists(
        lid_people: SimpleNamespace, legacy_link: SimpleNamespace) -> None:
    secret = legacy_link.secret
    for user in (None, lid_people.outsider, lid_people.operator):
        for ref in (secret["name"], secret["id"]):
            assert call("lid_list", user, dataset=ref) == call("lid_list", user,
                                                                dataset="tidak-ada-sama-sekali")
    found = call("lid_list", lid_people.sysadmin, dataset=secret["name"])
    assert [r["id"] for r in found["results"]] == [legacy_link.lid["id"]]
    public = call("lid_list", None, dataset=legacy_link.public["name"])
    assert [r["id"] for r in public["results"]] == [legacy_link.lid["id"]]
