"""The ``splpdepok_sdi`` profile on hand-made dataset dicts (no web app, no database rows)."""
from __future__ import annotations

from typing import Any

import pytest
from ckanext.dcat.processors import RDFSerializer
from ckanext.splpdepok.schemas import dcat_vocab as vocab
from ckanext.splpdepok.schemas.dcat_profile import SDI
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SKOS

from tests.dcat.shacl_check import violations
from tests.schema.plugin_config import PROFILES
from tests.schema.samples import full_package

EU = vocab.EU


def _serialize(pkg: dict[str, Any]) -> tuple[Graph, URIRef]:
    pkg["organization"] = None  # publisher fallback without organization_show
    for resource in pkg.get("resources", []):
        resource.setdefault("package_id", pkg["id"])
    serializer = RDFSerializer(profiles=PROFILES.split())
    ref = serializer.graph_from_dataset(pkg)
    return serializer.g, ref


def test_full_sample_conforms_and_uses_vocabularies() -> None:
    pkg = full_package()
    pkg["license_url"] = "http://www.opendefinition.org/licenses/cc-by"
    g, ds = _serialize(pkg)
    assert violations(g) == []
    assert (ds, DCAT.theme, URIRef(f"{EU}data-theme/SOCI")) in g
    licence = URIRef("http://www.opendefinition.org/licenses/cc-by")
    assert g.value(licence, DCTERMS.type) == URIRef(
        "http://purl.org/adms/licencetype/Attribution"
    )
    publisher = g.value(ds, DCTERMS.publisher)
    assert str(g.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == (
        "Pemerintah Kota Depok"
    )


def test_unmapped_values_stay_valid() -> None:
    pkg = full_package()
    pkg["theme"] = "Olahraga, Lingkungan Hidup"
    pkg["accrualPeriodicity"] = "Dua Mingguan"  # not a schema choice (e.g. harvested)
    pkg["resources"][0]["format"] = "XYZ"
    pkg["resources"][1]["url"] = ""
    g, ds = _serialize(pkg)
    assert violations(g) == []

    themes = set(g.objects(ds, DCAT.theme))
    assert URIRef(f"{EU}data-theme/ENVI") in themes
    assert URIRef("http://test.ckan.net/dataset/?theme=Olahraga") in themes
    assert len(themes) == 3  # two local concepts + one EU theme

    frequency = g.value(ds, DCTERMS.accrualPeriodicity)
    assert isinstance(frequency, BNode)
    assert g.value(frequency, RDFS.label) == Literal("Dua Mingguan", lang="id")

    dists = {str(g.value(d, DCTERMS.title)): d for d in g.objects(ds, DCAT.distribution)}
    fmt = g.value(dists["Penduduk 2024"], DCTERMS["format"])
    assert isinstance(fmt, BNode) and str(g.value(fmt, RDFS.label)) == "XYZ"
    assert g.value(dists["Penduduk 2024"], DCAT.mediaType) is None
    # No URL: the dataset page is where the distribution is reached.
    assert g.value(dists["API"], DCAT.accessURL) == ds


def test_free_text_period_that_is_no_date_is_kept_out_of_dct_temporal() -> None:
    pkg = full_package()
    pkg["temporal_start"] = "awal 2020"
    pkg["temporal_end"] = "2024-06"
    g, ds = _serialize(pkg)
    assert violations(g) == []
    period = g.value(ds, DCTERMS.temporal)
    assert g.value(period, DCAT.startDate) is None
    assert str(g.value(period, DCAT.endDate)) == "2024-06"
    assert (ds, SDI.temporal_start, Literal("awal 2020")) in g

    pkg["temporal_end"] = "sekarang"
    g, ds = _serialize(pkg)
    assert g.value(ds, DCTERMS.temporal) is None


def test_every_theme_concept_has_a_label() -> None:
    g, ds = _serialize(full_package())
    for theme in g.objects(ds, DCAT.theme):
        assert (theme, RDF.type, SKOS.Concept) in g
        assert g.value(theme, SKOS.prefLabel) is not None
    eu_theme = URIRef(f"{EU}data-theme/SOCI")
    assert g.value(eu_theme, SKOS.prefLabel) == Literal("Population and society", lang="en")


def test_markup_is_a_plain_literal() -> None:
    pkg = full_package()
    g, ds = _serialize(pkg)
    assert str(g.value(ds, DCTERMS.description)) == pkg["notes"]


@pytest.mark.parametrize(
    ("value", "code"),
    [("Tahunan", "ANNUAL"), ("Semesteran", "ANNUAL_2"), ("Harian", "DAILY"), ("x", None)],
)
def test_frequency_iri(value: str, code: str | None) -> None:
    expected = f"{EU}frequency/{code}" if code else None
    assert vocab.frequency_iri(value) == expected


@pytest.mark.parametrize(
    ("category", "code"),
    [("Kesehatan", "HEAL"), ("Pangan dan Pertanian", "AGRI"), ("Lingkungan Hidup", "ENVI"),
     ("Infrastruktur", "TRAN"), ("Pemerintahan", "GOVE"), ("Olahraga", None)],
)
def test_theme_iri(category: str, code: str | None) -> None:
    assert vocab.theme_iri(category) == (f"{EU}data-theme/{code}" if code else None)


@pytest.mark.parametrize(
    ("url", "fmt", "url_type", "expected"),
    [
        ("https://x.test/a/data.csv", "CSV", None, True),
        ("https://x.test/a/data.CSV?raw=1", "CSV", None, True),
        ("https://api.x.test/penduduk", "JSON", None, False),
        ("https://x.test/page.html", "HTML", None, False),
        ("https://x.test/dataset/1/resource/2/download", "CSV", "upload", True),
    ],
)
def test_is_file_url(url: str, fmt: str, url_type: str | None, expected: bool) -> None:
    assert vocab.is_file_url(url, fmt, url_type) is expected


def test_media_type_prefers_explicit_mimetype() -> None:
    assert vocab.media_type_iri("CSV", "text/plain") == f"{vocab.IANA}text/plain"
    assert vocab.media_type_iri(".xlsx") == (
        f"{vocab.IANA}application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert vocab.media_type_iri("SHP") is None


def test_base_class_parsing_helpers_keep_their_signatures() -> None:
    """ckanext-dcat's own code calls ``_distributions(dataset)`` (e.g. ``_license``) and
    ``_access_rights(subject, predicate)`` on every profile: ours must not shadow them."""
    from ckanext.splpdepok.schemas.dcat_profile import SplpdepokSdiProfile

    g = Graph()
    ds = URIRef("http://test.ckan.net/dataset/1")
    dist = URIRef("http://test.ckan.net/dataset/1/resource/2")
    licence = URIRef("http://www.opendefinition.org/licenses/cc-by")
    access = URIRef(f"{EU}access-right/PUBLIC")
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCAT.distribution, dist))
    g.add((ds, DCTERMS.accessRights, access))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.license, licence))
    profile = SplpdepokSdiProfile(g)

    assert list(profile._distributions(ds)) == [dist]
    assert profile._license(ds) == "cc-by"
    assert profile._access_rights(ds, DCTERMS.accessRights) == str(access)
    assert profile._access_rights(ds, DCTERMS.rights) == ""
