"""What the dataset schema refuses and what it does on save, through the HTTP API in the
portal's language (Indonesian): choice fields, Kategori and its theme group, years and dates,
datasets without resources, resources without an address; every bad input answers 409 with a
message naming the field, never 500."""
from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.schema.plugin_config import SDI_SCHEMA_MARKS, national_fields, resources, theme_group

pytestmark = [*SDI_SCHEMA_MARKS, pytest.mark.ckan_config("ckan.locale_default", "id")]


@pytest.fixture
def editor() -> dict[str, Any]:
    """A sysadmin with an API token, and an organization to publish in."""
    user = factories.SysadminWithToken()
    org = factories.Organization(name="disdukcapil", title="Disdukcapil")
    return {"headers": {"Authorization": user["token"]}, "org": org, "user": user}


def _post(app: Any, editor: dict[str, Any], action: str, **data: Any) -> Any:
    return app.post(f"/api/3/action/{action}", json=data, headers=editor["headers"])


def _dataset(editor: dict[str, Any], **extra: Any) -> dict[str, Any]:
    base = {"name": "penduduk", "title": "Jumlah Penduduk", "owner_org": editor["org"]["id"],
            **national_fields(), "resources": resources()}
    return {**base, **extra}


def _error(app: Any, editor: dict[str, Any], **extra: Any) -> dict[str, Any]:
    response = _post(app, editor, "package_create", **_dataset(editor, **extra))
    assert response.status_code == 409, response.body[:500]
    body = response.json
    assert body["success"] is False and body["error"]["__type"] == "Validation Error"
    return body["error"]


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("jenis", "Data Statistik Lain", 'Jenis Data: "Data Statistik Lain" bukan salah satu '
     "pilihan; pilih salah satu dari: Data Statistik Dasar, Data Statistik Sektoral"),
    ("accrualPeriodicity", "kadang-kadang", 'Periode Data: "kadang-kadang" bukan salah satu'),
    ("accessRights", "bebas", 'Akses Data: "bebas" bukan salah satu pilihan; pilih salah satu '
     "dari: Terbuka, Terbatas, Tertutup"),
    ("theme", "Olahraga", 'Kategori: "Olahraga" bukan tema di portal ini; pilih salah satu '
     "dari: Kependudukan"),
    ("prioritas_tahun", "dua ribu", "Data Prioritas (tahun): isi tahun empat angka, mis. 2025"),
    ("prioritas_tahun", "20245", "Data Prioritas (tahun): isi tahun empat angka"),
    ("prioritas_tahun", "1999", "Data Prioritas (tahun): isi tahun antara 2019 dan "),
    ("temporal_start", "2025-13-45", "Dimensi Data Awal: 2025-13-45 bukan tanggal yang sah"),
    ("temporal_end", "2023-02-29", "Dimensi Data Akhir: 2023-02-29 bukan tanggal yang sah"),
    ("temporal_start", "awal 2020", "Dimensi Data Awal: isi tahun (YYYY) atau tanggal"),
    ("temporal_start", "0999", "Dimensi Data Awal: isi tahun antara 1900 dan 2100"),
    ("prioritas_tahun", ["2024"], "Data Prioritas (tahun): harus berupa teks"),
    ("jenis", {"a": 1}, "Jenis Data: harus berupa teks"),
    ("theme", "Kesehatan\x00", "Kategori: memuat karakter yang tidak diizinkan"),
])
def test_bad_values_answer_409_in_indonesian_naming_the_field(app: Any, editor: dict[str, Any],
                                                              field: str, value: Any,
                                                              expected: str) -> None:
    error = _error(app, editor, **{field: value})
    assert len(error[field]) == 1
    assert error[field][0].startswith(expected), error[field]
    assert model.Package.get("penduduk") is None


def test_the_period_may_not_end_before_it_starts(app: Any, editor: dict[str, Any]) -> None:
    error = _error(app, editor, temporal_start="2024", temporal_end="2020-12-31")
    assert error["temporal_end"] == [
        "Dimensi Data Akhir: tidak boleh sebelum Dimensi Data Awal (2024)"]
    # The same year at both ends, or a month inside the start year, is a valid period.
    for start, end in (("2024", "2024"), ("2024", "2024-06"), ("2024-03-01", "2024")):
        response = _post(app, editor, "package_create",
                         **_dataset(editor, name=f"p-{start}-{end}".replace("-", ""),
                                    temporal_start=start, temporal_end=end))
        assert response.status_code == 200, response.body[:300]


def test_a_resource_needs_an_address_or_a_file(app: Any, editor: dict[str, Any]) -> None:
    error = _error(app, editor, resources=[{"name": "Tabel", "format": "CSV"}])
    assert error["resources"] == [{"url": ["URL: isi alamat data atau unggah berkas"]}]
    created = _post(app, editor, "package_create", **_dataset(editor)).json["result"]
    response = _post(app, editor, "resource_create", package_id=created["id"], name="Tanpa URL",
                     url="  ")
    assert response.status_code == 409
    assert response.json["error"]["url"] == ["URL: isi alamat data atau unggah berkas"]


def test_labels_are_accepted_and_stored_as_the_national_values(app: Any,
                                                               editor: dict[str, Any]) -> None:
    theme_group("Kesehatan")
    response = _post(app, editor, "package_create", **_dataset(
        editor, jenis="data statistik sektoral", accessRights="Terbuka",
        accrualPeriodicity="annual", theme="kesehatan, KEPENDUDUKAN", prioritas_tahun=2024))
    assert response.status_code == 200, response.body[:300]
    shown = call_action("package_show", id="penduduk")
    assert (shown["jenis"], shown["accessRights"], shown["accrualPeriodicity"], shown["theme"],
            shown["prioritas_tahun"]) == ("Statistik Sektoral", "terbuka", "Tahunan",
                                          "Kesehatan, Kependudukan", "2024")


def test_english_messages_name_the_english_label(app: Any, editor: dict[str, Any]) -> None:
    response = app.post("/en/api/3/action/package_create", headers=editor["headers"],
                        json=_dataset(editor, prioritas_tahun="dua ribu"))
    assert response.status_code == 409
    assert response.json["error"]["prioritas_tahun"] == [
        "Priority data (year): enter a year of four digits, e.g. 2025"]


class TestNoPublicDatasetWithoutResources:
    def test_created_without_resources_it_stays_a_draft(self, app: Any,
                                                        editor: dict[str, Any]) -> None:
        response = _post(app, editor, "package_create", **_dataset(editor, resources=[]))
        assert response.status_code == 200
        assert response.json["result"]["state"] == "draft"
        assert call_action("package_search", q="*:*")["count"] == 0
        assert app.get("/api/3/action/package_show?id=penduduk").status_code == 403
        # Asking to publish it does not either, as long as it has no resource.
        patched = _post(app, editor, "package_patch", id="penduduk", state="active").json
        assert patched["result"]["state"] == "draft"

        _post(app, editor, "resource_create", package_id="penduduk",
              url="https://data.depok.go.id/penduduk.csv", format="CSV")
        published = _post(app, editor, "package_patch", id="penduduk", state="active").json
        assert published["result"]["state"] == "active"
        assert call_action("package_search", q="*:*")["count"] == 1

    def test_removing_the_last_resource_takes_it_back_to_draft(self, app: Any,
                                                               editor: dict[str, Any]) -> None:
        created = _post(app, editor, "package_create",
                        **_dataset(editor, resources=resources()[:1])).json["result"]
        assert created["state"] == "active"
        _post(app, editor, "resource_delete", id=created["resources"][0]["id"])
        assert call_action("package_show", id="penduduk")["state"] == "draft"

    def test_a_private_dataset_without_resources_is_allowed(self, app: Any,
                                                            editor: dict[str, Any]) -> None:
        result = _post(app, editor, "package_create",
                       **_dataset(editor, resources=[], private=True)).json["result"]
        assert (result["state"], result["private"]) == ("active", True)


class TestKategoriJoinsItsThemeGroup:
    def test_the_dataset_appears_in_its_theme_and_moves_with_it(self, app: Any,
                                                               editor: dict[str, Any]) -> None:
        kesehatan = theme_group("Kesehatan")
        theme_group("Pendidikan")
        other = factories.Group(name="sosial", title="Sosial")
        created = _post(app, editor, "package_create", **_dataset(
            editor, theme="Kesehatan", groups=[{"name": other["name"]}])).json["result"]
        assert {g["name"] for g in call_action("package_show", id=created["id"])["groups"]} == {
            "kesehatan", "sosial"}
        page = app.get("/group/kesehatan").body
        assert "/dataset/penduduk" in page
        assert call_action("group_show", id=kesehatan["id"])["package_count"] == 1
        found = call_action("package_search", fq="groups:kesehatan")
        assert [p["name"] for p in found["results"]] == ["penduduk"]

        _post(app, editor, "package_patch", id="penduduk", theme="Pendidikan")
        groups = {g["name"] for g in call_action("package_show", id="penduduk")["groups"]}
        assert groups == {"pendidikan", "sosial"}  # the editor's own group choice stays
        assert "/dataset/penduduk" not in app.get("/group/kesehatan").body
        assert "/dataset/penduduk" in app.get("/group/pendidikan").body

    def test_the_form_offers_the_theme_groups_as_choices(self, app: Any,
                                                        editor: dict[str, Any]) -> None:
        theme_group("Kesehatan")
        theme_group("Lingkungan Hidup")
        html = app.get("/dataset/new", headers=editor["headers"]).body
        start = html.index('name="theme"')
        select = html[html.rindex("<select", 0, start):html.index("</select>", start)]
        for value in ("Kesehatan", "Lingkungan Hidup"):
            assert f'value="{value}"' in select, value
        jenis = html[html.index('name="jenis"'):]
        jenis = jenis[:jenis.index("</select>")]
        assert '<option value="Statistik Sektoral"' in jenis
        assert "Data Statistik Sektoral</option>" in jenis
