"""DCAT profile ``splpdepok_sdi``: the SDI fields in DCAT-AP 3 terms, valid against its SHACL.

Meant to run after ckanext-dcat's ``euro_dcat_ap_3`` (``ckanext.dcat.rdf.profiles =
euro_dcat_ap_3 splpdepok_sdi``): that profile writes the core graph, this one maps the national
fields onto DCAT-AP properties with controlled-vocabulary IRIs, fixes the values DCAT-AP wants as
IRIs rather than literals (format, media type, language, theme), adds the classes the SHACL range
shapes check, and keeps every SDI field verbatim under ``sdi:<field_name>`` so a harvester using
this profile gets the national values back unchanged (see ``parse_dataset``).
"""
from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from ckanext.dcat.profiles.base import (
    DCAT,
    DCATAP,
    DCT,
    FOAF,
    GSP,
    RDF,
    RDFS,
    SKOS,
    VCARD,
    CleanedURIRef,
    RDFProfile,
)
from ckanext.dcat.utils import catalog_uri, dataset_uri, resource_uri
from ckanext.splpdepok.schemas import dcat_vocab as vocab
from ckanext.splpdepok.schemas import fields
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

SDI = Namespace(vocab.SDI_NS)
LANG = "id"

_AVAILABILITY_STABLE = URIRef(f"{vocab.EU}planned-availability/STABLE")
_THEME_SCHEME = URIRef(f"{vocab.EU}data-theme")
_VALUE_FIELDS = fields.SDI_DATASET_FIELDS + fields.LOCAL_DATASET_FIELDS
_FREQUENCY_BY_IRI = {vocab.frequency_iri(k): k for k in vocab.FREQUENCY}
_ACCESS_BY_IRI = {vocab.access_right_iri(k): k for k in vocab.ACCESS_RIGHTS}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class SplpdepokSdiProfile(RDFProfile):
    """Satu Data Indonesia fields <-> DCAT-AP 3 (runs after ``euro_dcat_ap_3``)."""

    # ------------------------------------------------------------------ helpers

    def _concept(self, iri: str, label: str, lang: str = LANG) -> URIRef:
        ref = URIRef(iri)
        self.g.add((ref, RDF.type, SKOS.Concept))
        if (ref, SKOS.prefLabel, None) not in self.g:
            self.g.add((ref, SKOS.prefLabel, Literal(label, lang=lang)))
        return ref

    def _replace(self, subject: Node, predicate: URIRef, obj: Node) -> None:
        self.g.remove((subject, predicate, None))
        self.g.add((subject, predicate, obj))

    def _value(self, dataset_dict: dict[str, Any], key: str) -> str | None:
        return _text(self._get_dataset_value(dataset_dict, key))

    def _city_location(self) -> BNode:
        location = BNode()
        self.g.add((location, RDF.type, DCT.Location))
        self.g.add((location, SKOS.prefLabel, Literal(vocab.CITY_NAME)))
        self.g.add((location, DCT.identifier, Literal(vocab.CITY_CODE)))
        self.g.add((location, DCAT.bbox, Literal(vocab.CITY_BBOX_WKT, datatype=GSP.wktLiteral)))
        self.g.add(
            (location, DCAT.centroid, Literal(vocab.CITY_CENTROID_WKT, datatype=GSP.wktLiteral))
        )
        return location

    def _language(self, subject: Node) -> None:
        language = URIRef(vocab.language_iri(LANG))
        self._replace(subject, DCT.language, language)
        self.g.add((language, RDF.type, DCT.LinguisticSystem))

    # ------------------------------------------------------------------ dataset

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        self.g.bind("sdi", SDI)
        if (dataset_ref, DCT.description, None) not in self.g:
            # Mandatory in DCAT-AP; a dataset saved without "Definisi" falls back to its title
            # (readiness.py reports the missing definition to the editor for every target).
            title = self._value(dataset_dict, "title") or self._value(dataset_dict, "name")
            if title:
                self.g.add((dataset_ref, DCT.description, Literal(title)))
        self._themes(dataset_dict, dataset_ref)
        self._frequency(dataset_dict, dataset_ref)
        self._splpdepok_access_rights(dataset_dict, dataset_ref)
        self._agents(dataset_dict, dataset_ref)
        self._language(dataset_ref)
        if (dataset_ref, DCT.spatial, None) not in self.g:
            self.g.add((dataset_ref, DCT.spatial, self._city_location()))
        for key in _VALUE_FIELDS:
            found = self._value(dataset_dict, key)
            if found:
                self.g.add((dataset_ref, SDI[key], Literal(found)))
        self._splpdepok_distributions(dataset_dict, dataset_ref)
        self._type_licences()
        self._drop_untyped_dates(dataset_ref)

    def _themes(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        # euro_dcat_ap turns a free-text "theme" into relative IRIs: replace them.
        self.g.remove((dataset_ref, DCAT.theme, None))
        base = catalog_uri().rstrip("/")
        for category in vocab.split_categories(self._value(dataset_dict, "theme")):
            local = self._concept(f"{base}/dataset/?theme={_quote(category)}", category)
            self.g.add((dataset_ref, DCAT.theme, local))
            eu_theme = vocab.theme_iri(category)
            if eu_theme:
                code = eu_theme.rsplit("/", 1)[-1]
                eu_ref = self._concept(eu_theme, vocab.THEME_LABELS_EN[code], "en")
                self.g.add((eu_ref, SKOS.inScheme, _THEME_SCHEME))
                self.g.add((local, SKOS.closeMatch, eu_ref))
                self.g.add((dataset_ref, DCAT.theme, eu_ref))

    def _frequency(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        value = self._value(dataset_dict, "accrualPeriodicity")
        iri = vocab.frequency_iri(value)
        if not value:
            return
        if iri:
            ref: Node = URIRef(iri)
        else:
            ref = BNode()
            self.g.add((ref, RDFS.label, Literal(value, lang=LANG)))
        self._replace(dataset_ref, DCT.accrualPeriodicity, ref)
        self.g.add((ref, RDF.type, DCT.Frequency))

    def _splpdepok_access_rights(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        value = self._value(dataset_dict, "accessRights")
        iri = vocab.access_right_iri(value)
        if not (value and iri):
            return
        ref = URIRef(iri)
        self._replace(dataset_ref, DCT.accessRights, ref)
        self.g.add((ref, RDF.type, DCT.RightsStatement))
        label = fields.choice_label("accessRights", value, LANG)
        self.g.add((ref, RDFS.label, Literal(label, lang=LANG)))

    def _agents(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        for contact in self.g.objects(dataset_ref, DCAT.contactPoint):
            self.g.add((contact, RDF.type, VCARD.Kind))

        publishers = list(self.g.objects(dataset_ref, DCT.publisher))
        if not publishers:
            org = dataset_dict.get("organization") or {}
            publisher = BNode()
            self.g.add((publisher, RDF.type, FOAF.Agent))
            name = org.get("title") or f"Pemerintah {vocab.CITY_NAME}"
            self.g.add((publisher, FOAF.name, Literal(name)))
            self.g.add((dataset_ref, DCT.publisher, publisher))
            publishers = [publisher]
        kind = self._value(dataset_dict, "publisher_type") or "daerah-kota"
        kind_iri = vocab.publisher_type_iri(kind)
        kind_ref = (
            self._concept(kind_iri, fields.choice_label("publisher_type", kind, LANG))
            if kind_iri else None
        )
        for publisher in publishers:
            if (publisher, FOAF.name, None) not in self.g:
                self.g.add((publisher, FOAF.name, Literal(f"Pemerintah {vocab.CITY_NAME}")))
            if kind_ref is not None:
                self._replace(publisher, DCT.type, kind_ref)

        # Produsen Data: an OPD of the same government, hence the same publisher type.
        author = self._value(dataset_dict, "author")
        if author and (dataset_ref, DCT.creator, None) not in self.g:
            creator = BNode()
            self.g.add((creator, RDF.type, FOAF.Agent))
            self.g.add((creator, FOAF.name, Literal(author)))
            if kind_ref is not None:
                self.g.add((creator, DCT.type, kind_ref))
            email = self._value(dataset_dict, "author_email")
            if email:
                self.g.add((creator, FOAF.mbox, URIRef(self._add_mailto(email))))
            self.g.add((dataset_ref, DCT.creator, creator))

    # ckanext-dcat's RDFProfile has its own _distributions(dataset) and
    # _access_rights(subject, predicate), which its parsing code calls: ours are named apart.
    def _splpdepok_distributions(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        licence = _text(dataset_dict.get("license_url"))
        for resource in dataset_dict.get("resources") or []:
            dist = CleanedURIRef(resource_uri(resource))
            url = _text(resource.get("url"))
            fmt = _text(resource.get("format"))
            self._splpdepok_format(dist, fmt, _text(resource.get("mimetype")))

            if (dist, DCAT.accessURL, None) not in self.g:
                # DCAT-AP needs an access URL: the dataset page is where the data is reached.
                self.g.add((dist, DCAT.accessURL, URIRef(url or dataset_uri(dataset_dict))))
            if url and (dist, DCAT.downloadURL, None) not in self.g and vocab.is_file_url(
                url, fmt, resource.get("url_type")
            ):
                self.g.add((dist, DCAT.downloadURL, URIRef(url)))

            if licence and (dist, DCT.license, None) not in self.g:
                self._splpdepok_licence(dist, licence, dataset_dict.get("license_id"))
            if (dist, DCATAP.availability, None) not in self.g:
                self.g.add((dist, DCATAP.availability,
                            self._concept(str(_AVAILABILITY_STABLE), "Stabil")))
            for key in fields.SDI_RESOURCE_FIELDS:
                found = _text(resource.get(key))
                if found:
                    self.g.add((dist, SDI[key], Literal(found)))

    def _splpdepok_format(self, dist: Node, fmt: str | None, mimetype: str | None) -> None:
        """dct:format and dcat:mediaType as IRIs (a labelled node for an unknown format)."""
        self.g.remove((dist, DCT["format"], None))
        file_type = vocab.file_type_iri(fmt)
        if file_type:
            fmt_ref: Node | None = URIRef(file_type)
        elif fmt:
            fmt_ref = BNode()
            self.g.add((fmt_ref, RDFS.label, Literal(fmt)))
        else:
            fmt_ref = None
        if fmt_ref is not None:
            self.g.add((dist, DCT["format"], fmt_ref))
            self.g.add((fmt_ref, RDF.type, DCT.MediaTypeOrExtent))

        self.g.remove((dist, DCAT.mediaType, None))
        media = vocab.media_type_iri(fmt, mimetype)
        if media:
            self.g.add((dist, DCAT.mediaType, URIRef(media)))
            self.g.add((URIRef(media), RDF.type, DCT.MediaType))

    def _splpdepok_licence(self, dist: Node, licence: str, license_id: Any) -> None:
        licence_ref = URIRef(licence)
        self.g.add((dist, DCT.license, licence_ref))
        self.g.add((licence_ref, RDF.type, DCT.LicenseDocument))
        if (licence_ref, DCT.type, None) not in self.g:
            code = vocab.licence_type(license_id)
            self.g.add((licence_ref, DCT.type,
                        self._concept(vocab.ADMS_LICENCE_TYPE + code, code)))

    def _drop_untyped_dates(self, dataset_ref: Node) -> None:
        """"Dimensi Data" is free text; a value that is no year/date would be an invalid
        dcat:startDate/endDate, so it stays only in sdi:temporal_start/temporal_end."""
        for period in list(self.g.objects(dataset_ref, DCT.temporal)):
            for predicate in (DCAT.startDate, DCAT.endDate):
                for value in list(self.g.objects(period, predicate)):
                    if isinstance(value, Literal) and value.datatype is None:
                        self.g.remove((period, predicate, value))
            if not any((period, p, None) in self.g for p in (DCAT.startDate, DCAT.endDate)):
                self.g.remove((dataset_ref, DCT.temporal, period))
                self.g.remove((period, None, None))

    def _type_licences(self) -> None:
        """Licence types (e.g. ADMS UnknownIPR) must be skos:Concepts for the range shapes."""
        for licence in set(self.g.subjects(RDF.type, DCT.LicenseDocument)):
            for kind in list(self.g.objects(licence, DCT.type)):
                if isinstance(kind, URIRef):
                    self._concept(str(kind), str(kind).rsplit("/", 1)[-1])

    # ------------------------------------------------------------------ catalog

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Node) -> None:
        g = self.g
        g.bind("sdi", SDI)
        if (catalog_ref, DCT.description, None) not in g:
            g.add((catalog_ref, DCT.description,
                   Literal(f"Katalog data Satu Data {vocab.CITY_NAME}", lang=LANG)))
        if (catalog_ref, DCT.publisher, None) not in g:
            publisher = BNode()
            g.add((publisher, RDF.type, FOAF.Agent))
            g.add((publisher, FOAF.name, Literal(f"Pemerintah {vocab.CITY_NAME}")))
            kind = vocab.publisher_type_iri("daerah-kota")
            if kind:
                g.add((publisher, DCT.type, self._concept(kind, "Kota")))
            g.add((catalog_ref, DCT.publisher, publisher))
        self._language(catalog_ref)
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))
        if (catalog_ref, DCT.spatial, None) not in g:
            g.add((catalog_ref, DCT.spatial, self._city_location()))
        g.add((catalog_ref, DCAT.themeTaxonomy, _THEME_SCHEME))
        g.add((_THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
        g.add((_THEME_SCHEME, DCT.title, Literal("Data theme", lang="en")))

    # ------------------------------------------------------------------ parsing

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        """Put the SDI fields back under their national names (harvesting a feed like ours)."""
        found = self._splpdepok_parsed_values(dataset_ref)
        dataset_dict["extras"] = [
            e for e in dataset_dict.get("extras", []) if e.get("key") not in found
        ]
        for key, value in found.items():
            if self._dataset_schema is not None:
                dataset_dict[key] = value
            else:
                dataset_dict["extras"].append({"key": key, "value": value})

        for resource in dataset_dict.get("resources", []):
            ref = resource.get("distribution_ref")
            if not ref:
                continue
            dist = URIRef(ref) if ref.startswith(("http://", "https://")) else BNode(ref)
            for key in fields.SDI_RESOURCE_FIELDS:
                value = self._object_value(dist, SDI[key])
                if value:
                    resource[key] = value
        return dataset_dict

    def _splpdepok_parsed_values(self, dataset_ref: Node) -> dict[str, str]:
        """The SDI values of a dataset: ``sdi:<field>``, else the frequency/access-right IRI."""
        found: dict[str, str] = {}
        for key in _VALUE_FIELDS:
            # ckanext-dcat is untyped: without multilingual=True the value is always a str
            value = cast(str, self._object_value(dataset_ref, SDI[key]))
            if value:
                found[key] = value
        if "accrualPeriodicity" not in found:
            iri = self._object_value(dataset_ref, DCT.accrualPeriodicity)
            if iri in _FREQUENCY_BY_IRI:
                found["accrualPeriodicity"] = _FREQUENCY_BY_IRI[iri]
        if "accessRights" not in found:
            iri = self._object_value(dataset_ref, DCT.accessRights)
            if iri in _ACCESS_BY_IRI:
                found["accessRights"] = _ACCESS_BY_IRI[iri]
        return found


def _quote(text: str) -> str:
    return quote(text, safe="")
