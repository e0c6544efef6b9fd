"""API output the national harvesters keep: schema fields echoed as extras in API answers only,
round trips through ckanapi, and the CKAN harvester's own queries against splpdepok_search."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ckanapi
import sqlalchemy as sa
from ckan import model
from ckan.lib.search import rebuild
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.splpdepok.schemas.fields import LOCAL_DATASET_FIELDS, SDI_DATASET_FIELDS
from ckanext.splpdepok.search.table import search_index_table as index_table

from tests.schema.plugin_config import SDI_SCHEMA_MARKS, national_fields, resources

pytestmark = SDI_SCHEMA_MARKS
ECHOED = SDI_DATASET_FIELDS + LOCAL_DATASET_FIELDS


def _org() -> dict[str, Any]:
    return factories.Organization(name="disdukcapil", title="Dinas Kependudukan")


def _dataset(org: dict[str, Any], name: str = "penduduk", **kw: Any) -> dict[str, Any]:
    sysadmin = factories.Sysadmin()
    data = {"name": name, "title": f"Jumlah {name}", "owner_org": org["id"],
            **national_fields(), "resources": resources(), **kw}
    return call_action("package_create", context={"user": sysadmin["name"]}, **data)


def _api(app: Any, action: str, **params: Any) -> Any:
    response = app.get(f"/api/3/action/{action}", query_string=params)
    assert response.status_code == 200, response.body[:300]
    return response.json["result"]


def _extras(pkg: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in pkg.get("extras") or []}


def _stored_extra_keys(pkg_id: str) -> list[str]:
    rows = model.Session.query(model.PackageExtra.key).filter_by(package_id=pkg_id)
    return sorted(r.key for r in rows)


def _utc_now() -> dt.datetime:
    """Naive UTC, like the harvester's ``gather_started`` (it appends the ``Z`` itself)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _ckanapi(app: Any) -> ckanapi.TestAppCKAN:
    user = factories.Sysadmin()
    token = call_action("api_token_create", context={"user": user["name"]},
                        user=user["name"], name="t")["token"]
    return ckanapi.TestAppCKAN(app, apikey=token)


class TestApiOutput:
    def test_show_and_search_echo_every_field_as_a_string_extra(self, app: Any) -> None:
        pkg = _dataset(_org())
        for answer in (_api(app, "package_show", id=pkg["id"]),
                       _api(app, "package_search", q="*:*")["results"][0]):
            extras = _extras(answer)
            for key in ECHOED:
                assert answer[key] == pkg[key]  # the field stays top-level
                assert extras[key] == pkg[key] and isinstance(extras[key], str), key
            assert len(answer["extras"]) == len(extras)  # each key once

    def test_only_api_output_carries_them(self, app: Any) -> None:
        pkg = _dataset(_org())
        assert _extras(call_action("package_show", id=pkg["id"])) == {}
        # never stored twice: one package_extra row per field, and the index holds no echo
        assert _stored_extra_keys(pkg["id"]) == sorted(ECHOED)
        doc = model.Session.execute(
            sa.select(index_table.c.doc).where(index_table.c.id == pkg["id"])).scalar_one()
        validated, raw = (json.loads(doc[c]) if isinstance(doc[c], str) else doc[c]
                          for c in ("validated_data_dict", "data_dict"))
        assert not [e for e in validated.get("extras") or [] if e["key"] in ECHOED]
        # the unvalidated copy is CKAN's storage form (scheming keeps fields as extras): once
        raw_keys = [e["key"] for e in raw.get("extras") or []]
        assert sorted(raw_keys) == sorted(ECHOED)
        page = app.get(f"/dataset/{pkg['name']}")
        assert page.status_code == 200 and "Jiwa" in page.body

    def test_scheming_entry_point_answers_without_echoes(self, app: Any) -> None:
        pkg = _dataset(_org())
        answer = app.get("/skema-sdi/api/3/action/package_search",
                         query_string={"rows": 100, "start": 0, "sort": "id asc"}).json
        assert answer["success"] and answer["result"]["count"] == 1
        found = answer["result"]["results"][0]
        assert found["satuan"] == "Jiwa"
        assert _extras(found) == {k: pkg[k] for k in LOCAL_DATASET_FIELDS}
        assert app.get(f"/skema-sdi/api/action/package_show?id={pkg['id']}").json["success"]
        refused = app.get("/skema-sdi/api/3/action/user_list")
        assert refused.status_code == 400 and refused.json["success"] is False
        assert "package_search" in refused.json["error"]["message"]


class TestRoundTrip:
    def test_show_update_unchanged_and_patch(self, app: Any) -> None:
        pkg = _dataset(_org())
        ckan = _ckanapi(app)
        shown = ckan.action.package_show(id=pkg["id"])
        assert _extras(shown)["satuan"] == "Jiwa"
        updated = ckan.action.package_update(**shown)
        assert updated["satuan"] == "Jiwa" and _extras(updated)["satuan"] == "Jiwa"
        assert _stored_extra_keys(pkg["id"]) == sorted(ECHOED)

        patched = ckan.action.package_patch(id=pkg["id"], satuan="Orang")
        assert patched["satuan"] == "Orang" and _extras(patched)["satuan"] == "Orang"
        # the whole shown dict with one field edited (its echo still old): the field wins
        shown = ckan.action.package_show(id=pkg["id"])
        ckan.action.package_patch(**{**shown, "ukuran": "Rasio"})
        # a client that edits only the extra: the extra wins
        shown = ckan.action.package_show(id=pkg["id"])
        shown["extras"] = [{**e, "value": "Bulanan"} if e["key"] == "accrualPeriodicity" else e
                           for e in shown["extras"]]
        ckan.action.package_update(**shown)
        final = call_action("package_show", id=pkg["id"])
        assert (final["satuan"], final["ukuran"], final["accrualPeriodicity"]) == (
            "Orang", "Rasio", "Bulanan")
        assert _stored_extra_keys(pkg["id"]) == sorted(ECHOED)
        assert [r["id"] for r in final["resources"]] == [r["id"] for r in pkg["resources"]]
        assert [r["url"] for r in final["resources"]] == [r["url"] for r in pkg["resources"]]

    def test_resource_create_through_the_api_keeps_working(self, app: Any) -> None:
        pkg = _dataset(_org())
        ckan = _ckanapi(app)
        ckan.action.resource_create(package_id=pkg["id"], url="https://data.depok.go.id/x.csv",
                                    name="x", format="CSV")
        assert _stored_extra_keys(pkg["id"]) == sorted(ECHOED)

    def test_an_extras_only_client_fills_the_fields(self, app: Any) -> None:
        org = _org()
        ckan = _ckanapi(app)
        created = ckan.action.package_create(
            name="dari-extras", title="Dari extras", owner_org=org["id"],
            extras=[{"key": "satuan", "value": "Unit"}, {"key": "catatan", "value": "bebas"}])
        assert created["satuan"] == "Unit"
        assert _extras(created) == {"satuan": "Unit", "catatan": "bebas",
                                    "publisher_type": "daerah-kota"}


class TestHarvesterQueries:
    """The CKAN harvester's gather requests, exactly as ckanext-harvest 1.6 sends them."""

    def test_paging_by_id_covers_every_public_dataset_once(self, app: Any) -> None:
        org = _org()
        sysadmin = factories.Sysadmin()
        ctx = {"user": sysadmin["name"]}
        public = set()
        for i in range(215):
            private = i % 10 == 0
            pkg = call_action("package_create", context=dict(ctx), name=f"ds-{i:03d}",
                              owner_org=org["id"], private=private,
                              resources=[{"url": f"https://data.depok.go.id/{i}.csv"}])
            if not private:
                public.add(pkg["id"])
        seen: list[str] = []
        start = 0
        while True:
            page = _api(app, "package_search", rows="100", start=str(start), sort="id asc")
            if not page["results"]:
                break
            ids = [p["id"] for p in page["results"]]
            assert ids == sorted(ids)
            seen.extend(ids)
            start += 100
        assert len(seen) == len(set(seen)) == len(public) and set(seen) == public
        everything = _api(app, "package_search", rows="1000", start="0", sort="id asc")
        assert [p["id"] for p in everything["results"]] == sorted(public)
        assert everything["count"] == len(public)

    def test_incremental_filter_in_the_harvesters_format(self, app: Any) -> None:
        org = _org()
        old = _dataset(org, "lama")
        new = _dataset(org, "baru")
        model.Session.execute(sa.text(
            "UPDATE package SET metadata_modified = now() - interval '3 days' WHERE id = :i"),
            {"i": old["id"]})
        model.Session.commit()
        model.Session.expire_all()
        rebuild(old["id"])
        since = (_utc_now() - dt.timedelta(hours=1)).isoformat()
        found = _api(app, "package_search", rows="100", start="0", sort="id asc",
                     fq=f"metadata_modified:[{since}Z TO *]")
        assert [p["id"] for p in found["results"]] == [new["id"]]
        week = (_utc_now() - dt.timedelta(days=7)).isoformat()
        found = _api(app, "package_search", rows="100", start="0", sort="id asc",
                     fq=f"metadata_modified:[{week}Z TO *]")
        assert {p["id"] for p in found["results"]} == {old["id"], new["id"]}

    def test_ids_and_resource_urls_survive_a_rename(self, app: Any) -> None:
        pkg = _dataset(_org())
        ckan = _ckanapi(app)
        ckan.action.package_patch(id=pkg["id"], name="penduduk-kecamatan")
        after = _api(app, "package_search", q="name:penduduk-kecamatan")["results"][0]
        assert after["id"] == pkg["id"]
        assert [r["url"] for r in after["resources"]] == [r["url"] for r in pkg["resources"]]
