"""Installs ckanext-splpdepok from ./ckanext-splpdepok and declares its CKAN plugins."""
from __future__ import annotations

from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).parent
SRC = "ckanext-splpdepok"


def _requirements() -> list[str]:
    """Runtime pins live in requirements.txt only; CKAN itself is installed beside us."""
    lines = (HERE / "requirements.txt").read_text().splitlines()
    return [
        line.strip()
        for line in lines
        if line.strip() and not line.startswith("#") and not line.startswith("ckan[")
    ]


setup(
    name="ckanext-splpdepok",
    version="0.1.0",
    description="Satu Data Kota Depok: SOP Interoperabilitas Data for CKAN 2.11",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={"": SRC},
    packages=find_namespace_packages(where=SRC, include=["ckanext", "ckanext.*"]),
    include_package_data=True,
    install_requires=_requirements(),
    entry_points={
        "ckan.plugins": [
            "splpdepok = ckanext.splpdepok.plugin:SplpdepokPlugin",
            "splpdepok_search = ckanext.splpdepok.search.plugin:SplpdepokSearchPlugin",
        ],
        "ckan.rdf.profiles": [
            "splpdepok_sdi = ckanext.splpdepok.schemas.dcat_profile:SplpdepokSdiProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
