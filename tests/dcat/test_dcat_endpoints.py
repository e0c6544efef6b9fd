"""DCAT endpoints of ckanext-dcat with the ``splpdepok_sdi`` profile, checked against DCAT-AP 3
SHACL shapes (mandatory shapes: no violation allowed; recommended shapes: warnings reported)."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFParser
from ckanext.splpdepok.schemas.dcat_profile import SDI
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

from tests.dcat.shacl_check import violations, warnings
from tests.schema.plugin_config import (
    PROFILES,
    SDI_SCHEMA_MARKS,
    load_demo_catalog,
    national_fields,
    resources,
)

pytestmark = SDI_SCHEMA_MARKS

EU = "http://publications.europa.eu/resource/authority/"


def _dataset(name: str = "penduduk", **overrides: Any) -> dict[str, Any]:
    sysadmin = factories.Sysadmin()
    org = factories.Organization(name="disdukcapil", title="Dinas Kependudukan")
    data: dict[str, Any] = {
        "name": name,
        "title": "Jumlah Penduduk Menurut Kecamatan",
        "owner_org": org["id"],
        **national_fields(),
        "resources": resources(),
    }
    data.update(overrides)
    return call_action("package_create", context={"user": sysadmin["name"]}, **data)


def _graph(app: Any, url: str, fmt: str) -> Graph:
    response = app.get(url)
    assert response.status_code == 200, response.body[:500]
    return Graph().parse(data=response.body, format=fmt)


def _report(label: str, items: list[str]) -> None:
    """Print recommended-shape warnings grouped by kind (shown with ``pytest -s``)."""
    kinds = Counter(item.split(" on ", 1)[0] for item in items)
    print(f"\n[{label}] {len(items)} SHACL warning(s)")
    for kind, count in sorted(kinds.items()):
        print(f"  - {count} x {kind}")


class TestDatasetEndpoint:
    def test_turtle_carries_the_national_fields(self, app: Any) -> None:
        pkg = _dataset()
        g = _graph(app, f"/dataset/{pkg['id']}.ttl", "turtle")
        ds = next(g.subjects(RDF.type, DCAT.Dataset))

        assert (ds, DCTERMS.accrualPeriodicity, URIRef(f"{EU}frequency/ANNUAL")) in g
        assert (ds, DCTERMS.accessRights, URIRef(f"{EU}access-right/PUBLIC")) in g
        assert (ds, DCAT.theme, URIRef(f"{EU}data-theme/SOCI")) in g
        assert (ds, DCTERMS.language, URIRef(f"{EU}language/IND")) in g
        for key, value in national_fields().items():
            if key in ("satuan", "ukuran", "jenis", "id_dds", "id_sds", "prioritas_tahun",
                       "publisher_type", "theme", "accessRights", "accrualPeriodicity"):
                assert (ds, SDI[key], Literal(value)) in g, key
        assert {str(k) for k in g.objects(ds, DCAT.keyword)} == {"penduduk", "kecamatan"}

        publisher = g.value(ds, DCTERMS.publisher)
        assert str(g.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == (
            "Dinas Kependudukan"
        )
        assert g.value(publisher, DCTERMS.type) == URIRef(
            "http://purl.org/adms/publishertype/LocalAuthority"
        )
        contact = g.value(ds, DCAT.contactPoint)
        assert str(g.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#fn"))) == (
            "Diskominfo Kota Depok"
        )
        spatial = g.value(ds, DCTERMS.spatial)
        assert str(g.value(spatial, SKOS.prefLabel)) == "Kota Depok"
        assert g.value(ds, DCTERMS.issued) is not None
        assert g.value(ds, DCTERMS.modified) is not None

    def test_distributions(self, app: Any) -> None:
        pkg = _dataset()
        g = _graph(app, f"/dataset/{pkg['id']}.ttl", "turtle")
        by_title = {
            str(g.value(d, DCTERMS.title)): d for d in g.subjects(RDF.type, DCAT.Distribution)
        }
        csv = by_title["Penduduk 2024"]
        assert g.value(csv, DCTERMS["format"]) == URIRef(f"{EU}file-type/CSV")
        assert g.value(csv, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/text/csv"
        )
        url = URIRef("https://data.depok.go.id/files/penduduk-2024.csv")
        assert g.value(csv, DCAT.accessURL) == url
        assert g.value(csv, DCAT.downloadURL) == url
        assert g.value(csv, DCTERMS.license) is not None
        api = by_title["API penduduk"]
        assert g.value(api, DCAT.accessURL) == URIRef("https://api.depok.go.id/penduduk")
        assert g.value(api, DCAT.downloadURL) is None  # an API, not a file

    def test_dataset_conforms_to_dcat_ap_shapes(self, app: Any) -> None:
        pkg = _dataset()
        g = _graph(app, f"/dataset/{pkg['id']}.ttl", "turtle")
        assert violations(g) == []
        found = warnings(g)
        _report("full dataset", found)
        assert found == []

    def test_minimal_dataset_conforms_too(self, app: Any) -> None:
        sysadmin = factories.Sysadmin()
        org = factories.Organization()
        for theme in ("Olahraga", "Kesehatan"):  # Kategori names the portal's theme groups
            factories.Group(name=theme.lower(), title=theme)
        # (A resource without any address is refused now: the schema needs a link or a file.)
        pkg = call_action(
            "package_create", context={"user": sysadmin["name"]}, name="bare", owner_org=org["id"],
            resources=[{"url": "http://x.test/halaman", "name": "halaman"},
                       {"url": "http://x.test/a.xyz"}],
            theme="Olahraga, Kesehatan", accrualPeriodicity="Sewaktu-waktu",
        )
        g = _graph(app, f"/dataset/{pkg['id']}.ttl", "turtle")
        assert violations(g) == []
        found = warnings(g)
        _report("minimal dataset", found)
        # Left as warnings on purpose: nothing to say was given (no contact, tags, period,
        # resource description, format or licence), and the profile does not invent it.
        assert {w.split(":")[0] for w in found} == {
            "Dataset contactPoint", "Dataset keyword", "Dataset temporal",
            "Distribution description", "Distribution format", "Distribution license",
        }

    def test_jsonld_endpoint(self, app: Any) -> None:
        pkg = _dataset()
        g = _graph(app, f"/dataset/{pkg['id']}.jsonld", "json-ld")
        ds = next(g.subjects(RDF.type, DCAT.Dataset))
        assert (ds, SDI.satuan, Literal("Jiwa")) in g


class TestCatalogEndpoint:
    @pytest.mark.parametrize(("path", "fmt"), [("/catalog.ttl", "turtle"),
                                                ("/catalog.jsonld", "json-ld")])
    def test_catalog_conforms(self, app: Any, path: str, fmt: str) -> None:
        _dataset("satu")
        call_action("package_patch", id="satu", notes="Diubah")
        g = _graph(app, path, fmt)
        assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == 1
        catalog = next(g.subjects(RDF.type, DCAT.Catalog))
        assert g.value(catalog, DCTERMS.publisher) is not None
        assert violations(g) == []
        _report(path, warnings(g))


class TestRoundTrip:
    def test_parsing_our_feed_gives_the_national_fields_back(self, app: Any) -> None:
        pkg = _dataset()
        body = app.get(f"/dataset/{pkg['id']}.ttl").body
        parser = RDFParser(profiles=PROFILES.split())
        parser.parse(body, _format="turtle")
        parsed = next(iter(parser.datasets()))
        for key, value in national_fields().items():
            if key in ("satuan", "ukuran", "jenis", "theme", "accrualPeriodicity",
                       "accessRights", "prioritas_tahun", "publisher_type", "id_dds",
                       "tingkat_penyajian", "temporal_start"):
                assert parsed[key] == value, key
        by_name = {r["name"]: r for r in parsed["resources"]}
        assert by_name["Penduduk 2024"]["id_msi"].endswith("/4120")


class TestStructuredData:
    def test_dataset_page_embeds_schema_org_json_ld(self, app: Any) -> None:
        _dataset()
        html = app.get("/dataset/penduduk").body
        start = html.index('<script type="application/ld+json">')
        end = html.index("</script>", start)
        data = json.loads(html[start + len('<script type="application/ld+json">'):end])
        graph = data.get("@graph", [data])
        dataset = next(n for n in graph if n.get("@type") in ("schema:Dataset", "Dataset"))
        assert "Jumlah Penduduk" in json.dumps(dataset, ensure_ascii=False)


class TestDemoCatalog:
    def test_whole_demo_catalog_conforms(self, app: Any) -> None:
        created = load_demo_catalog()
        public = [p for p in created if not p["private"]]
        g = _graph(app, "/catalog.ttl", "turtle")
        assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == len(public)
        assert violations(g) == []
        found = warnings(g)
        _report("demo catalog", found)

