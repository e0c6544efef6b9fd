"""The dataset form and page render the SDI fields with Indonesian (default) or English labels."""
from __future__ import annotations

from typing import Any

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.schema.plugin_config import SDI_SCHEMA_MARKS, national_fields

pytestmark = SDI_SCHEMA_MARKS


def _auth() -> dict[str, str]:
    sysadmin = factories.SysadminWithToken()
    return {"Authorization": sysadmin["token"]}


def test_new_dataset_form_has_the_national_fields_in_indonesian(app: Any) -> None:
    html = app.get("/id/dataset/new", headers=_auth()).body
    for field in ("satuan", "ukuran", "jenis", "theme", "prioritas_tahun", "id_dds", "id_sds"):
        assert f'name="{field}"' in html, field
    for label in ("Produsen Data", "Walidata", "Akses Data", "Tipe Instansi", "Periode Data"):
        assert label in html, label
    # Select fields offer the national choices.
    for value in ("terbuka", "terbatas", "tertutup", "daerah-kota", "Tahunan"):
        assert f'value="{value}"' in html, value


def test_english_labels(app: Any) -> None:
    html = app.get("/en/dataset/new", headers=_auth()).body
    assert "Data producer" in html and "Access rights" in html
    assert "Produsen Data" not in html


def test_dataset_page_shows_national_values(app: Any) -> None:
    headers = _auth()
    org = factories.Organization()
    fields = {**national_fields(), "notes": "Data **penduduk** <script>alert(1)</script>"}
    call_action("package_create", name="penduduk", title="Jumlah Penduduk",
                owner_org=org["id"], **fields)
    html = app.get("/id/dataset/penduduk", headers=headers).body
    for text in ("Jiwa", "Data Statistik Sektoral", "Kependudukan", "Terbuka", "Kecamatan"):
        assert text in html, text
    # The definition is stored as typed and rendered as sanitised Markdown.
    assert "<strong>penduduk</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert call_action("package_show", id="penduduk")["notes"] == fields["notes"]


def test_form_submission_validates_and_saves(app: Any) -> None:
    headers = _auth()
    org = factories.Organization()
    form = {
        "name": "penduduk-form", "title": "Penduduk", "owner_org": org["id"],
        "notes": "Definisi", "satuan": "Jiwa", "accessRights": "bebas",
        "publisher_type": "daerah-kota", "save": "continue", "_ckan_phase": "dataset_new_1",
    }
    bad = app.post("/id/dataset/new", data=form, headers=headers)
    assert bad.status_code == 200
    start = bad.body.index("error-explanation")
    errors = bad.body[start:bad.body.index("</ul>", start)]
    # The validator's message names the field once and offers the choice labels (schema.po).
    assert ('data-field-label="accessRights">Akses Data: &#34;bebas&#34; bukan salah satu '
            'pilihan; pilih salah satu dari: Terbuka, Terbatas, Tertutup</li>') in errors
    assert 'value="Jiwa"' in bad.body  # the editor's input is kept

    form["accessRights"] = "terbuka"
    good = app.post("/id/dataset/new", data=form, headers=headers, follow_redirects=False)
    assert good.status_code == 302
    saved = call_action("package_show", id="penduduk-form")
    assert saved["satuan"] == "Jiwa" and saved["accessRights"] == "terbuka"
