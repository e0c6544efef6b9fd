"""Controlled vocabularies used by the DCAT profile (pure tables, no CKAN).

SDI values are Indonesian words; DCAT-AP wants IRIs from the EU Publications Office authority
tables (frequency, access right, data theme, file type, language) and IANA media types.
"""
from __future__ import annotations

import re

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"

# Namespace of this portal's own SDI terms (field names kept verbatim so they map back 1:1).
SDI_NS = "https://satudata.depok.go.id/ns/sdi#"

CITY_NAME = "Kota Depok"
CITY_CODE = "3276"  # Kemendagri/BPS code of Kota Depok (province 32, city 76)
CITY_BBOX_WKT = (
    "POLYGON((106.72 -6.47, 106.92 -6.47, 106.92 -6.33, 106.72 -6.33, 106.72 -6.47))"
)
CITY_CENTROID_WKT = "POINT(106.82 -6.40)"

FREQUENCY: dict[str, str] = {
    "Harian": "DAILY",
    "Mingguan": "WEEKLY",
    "Bulanan": "MONTHLY",
    "Triwulanan": "QUARTERLY",
    "Semesteran": "ANNUAL_2",
    "Tahunan": "ANNUAL",
    "Dua Tahunan": "BIENNIAL",
    "Lima Tahunan": "QUINQUENNIAL",
    "Sewaktu-waktu": "IRREG",
    "Real Time": "UPDATE_CONT",
}

ACCESS_RIGHTS: dict[str, str] = {
    "terbuka": "PUBLIC",
    "terbatas": "RESTRICTED",
    "tertutup": "NON_PUBLIC",
}

PUBLISHER_TYPE: dict[str, str] = {
    "pusat": "NationalAuthority",
    "daerah-provinsi": "RegionalAuthority",
    "daerah-kota": "LocalAuthority",
    "daerah-kabupaten": "LocalAuthority",
}

# First keyword found in the (lower-cased) SDI category wins.
_THEME_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("kesehatan", "HEAL"),
    ("pendidikan", "EDUC"),
    ("pangan", "AGRI"),
    ("pertanian", "AGRI"),
    ("perikanan", "AGRI"),
    ("lingkungan", "ENVI"),
    ("energi", "ENER"),
    ("hukum", "JUST"),
    ("keamanan", "JUST"),
    ("perhubungan", "TRAN"),
    ("transportasi", "TRAN"),
    ("infrastruktur", "TRAN"),
    ("teknologi", "TECH"),
    ("ekonomi", "ECON"),
    ("keuangan", "ECON"),
    ("pemerintahan", "GOVE"),
    ("kependudukan", "SOCI"),
    ("sosial", "SOCI"),
    ("tata ruang", "REGI"),
    ("wilayah", "REGI"),
)

# CKAN format label (upper-cased) -> (EU file-type code, IANA media type or None)
FORMATS: dict[str, tuple[str, str | None]] = {
    "CSV": ("CSV", "text/csv"),
    "TSV": ("TSV", "text/tab-separated-values"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "PDF": ("PDF", "application/pdf"),
    "XML": ("XML", "application/xml"),
    "HTML": ("HTML", "text/html"),
    "TXT": ("TXT", "text/plain"),
    "ZIP": ("ZIP", "application/zip"),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "KMZ": ("KMZ", "application/vnd.google-earth.kmz"),
    "SHP": ("SHP", None),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "DOC": ("DOC", "application/msword"),
    "RDF": ("RDF", "application/rdf+xml"),
    "TTL": ("RDF_TURTLE", "text/turtle"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
    "PNG": ("PNG", "image/png"),
    "JPEG": ("JPEG", "image/jpeg"),
}

# Formats that name a downloadable file (as opposed to an API or a web page).
FILE_FORMATS = frozenset(FORMATS) - {"HTML"}
_FILE_EXTENSION = re.compile(r"\.([A-Za-z0-9]{2,7})$")


def frequency_iri(value: str | None) -> str | None:
    code = FREQUENCY.get((value or "").strip())
    return f"{EU}frequency/{code}" if code else None


def access_right_iri(value: str | None) -> str | None:
    code = ACCESS_RIGHTS.get((value or "").strip().lower())
    return f"{EU}access-right/{code}" if code else None


def publisher_type_iri(value: str | None) -> str | None:
    code = PUBLISHER_TYPE.get((value or "").strip())
    return f"{ADMS_PUBLISHER_TYPE}{code}" if code else None


# English labels of the EU data themes (the authority table has no Indonesian labels).
THEME_LABELS_EN: dict[str, str] = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}

# CKAN licence ids -> ADMS licence type (anything else: UnknownIPR).
_LICENCE_TYPES: dict[str, str] = {
    "cc-by": "Attribution",
    "cc-by-sa": "Attribution",
    "odc-by": "Attribution",
    "cc-nc": "NonCommercialUseOnly",
    "cc-zero": "PublicDomain",
    "odc-pddl": "PublicDomain",
    "other-pd": "PublicDomain",
}


def licence_type(license_id: str | None) -> str:
    return _LICENCE_TYPES.get((license_id or "").strip(), "UnknownIPR")


def theme_iri(category: str | None) -> str | None:
    """EU data-theme IRI for an SDI category such as "Kesehatan" (None when no keyword fits)."""
    text = (category or "").strip().lower()
    for keyword, code in _THEME_KEYWORDS:
        if keyword in text:
            return f"{EU}data-theme/{code}"
    return None


def split_categories(value: str | None) -> list[str]:
    """SDI ``theme`` may hold several categories separated by commas."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def language_iri(locale: str | None) -> str:
    code = {"id": "IND", "en": "ENG"}.get((locale or "id").split("_")[0].lower(), "IND")
    return f"{EU}language/{code}"


def format_key(fmt: str | None) -> str:
    return (fmt or "").strip().lstrip(".").upper()


def file_type_iri(fmt: str | None) -> str | None:
    entry = FORMATS.get(format_key(fmt))
    return f"{EU}file-type/{entry[0]}" if entry else None


def media_type_iri(fmt: str | None, mimetype: str | None = None) -> str | None:
    """IANA IRI from an explicit mimetype, else from the format label."""
    if mimetype and "/" in mimetype and not mimetype.startswith("http"):
        return IANA + mimetype.strip().lower()
    entry = FORMATS.get(format_key(fmt))
    return IANA + entry[1] if entry and entry[1] else None


def is_file_url(url: str | None, fmt: str | None, url_type: str | None) -> bool:
    """True when the resource URL downloads a file (an upload, or a path with a file suffix)."""
    if url_type == "upload":
        return True
    path = (url or "").split("?", 1)[0].split("#", 1)[0]
    match = _FILE_EXTENSION.search(path)
    return match is not None and match.group(1).upper() in FILE_FORMATS
