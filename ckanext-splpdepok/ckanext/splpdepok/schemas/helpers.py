"""Template helpers of the dataset pages and form (registered by ``schemas/capability.py``)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import plugins
from ckanext.splpdepok.schemas import dcat_vocab
from ckanext.splpdepok.schemas.logic import facets, themes

DCAT_FORMATS = (("rdf", "RDF/XML"), ("ttl", "Turtle"), ("jsonld", "JSON-LD"))


def splpdepok_theme_choices(field: Mapping[str, Any]) -> list[dict[str, str]]:
    """scheming ``choices_helper`` of Kategori: the portal's theme groups."""
    return themes.choices()


def splpdepok_facet_label_function(facet: str) -> Callable[[Mapping[str, Any]], str]:
    return facets.label_function(facet)


def splpdepok_dcat_links(pkg: Mapping[str, Any]) -> list[dict[str, str]]:
    """The dataset's DCAT documents (ckanext-dcat's ``/dataset/<id>.<format>``); none where the
    ``dcat`` plugin is not loaded (its endpoints do not exist there)."""
    if not plugins.plugin_loaded("dcat"):
        return []
    name = pkg.get("name") or pkg.get("id")
    return [{"format": fmt, "label": label,
             "url": tk.h.url_for("dcat.read_dataset", _id=name, _format=fmt)}
            for fmt, label in DCAT_FORMATS]


def splpdepok_resource_download(pkg: Mapping[str, Any],
                                res: Mapping[str, Any]) -> dict[str, Any] | None:
    """What the resource's button offers: ``url``, ``is_file`` (download vs. open link) and
    ``format``; None when the resource has no address."""
    url = res.get("url")
    if not url:
        return None
    # package_show already gives an upload's full /dataset/<id>/resource/<id>/download/<file>
    is_file = dcat_vocab.is_file_url(str(url), res.get("format"), res.get("url_type"))
    return {"url": url, "is_file": is_file, "format": (res.get("format") or "").strip()}


def splpdepok_has_value(value: Any) -> bool:
    """Whether a metadata value is worth a row (not empty text, an empty list or None)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict | tuple):
        return bool(value)
    return True


def all_helpers() -> dict[str, Any]:
    return {
        "splpdepok_theme_choices": splpdepok_theme_choices,
        "splpdepok_facet_label_function": splpdepok_facet_label_function,
        "splpdepok_dcat_links": splpdepok_dcat_links,
        "splpdepok_resource_download": splpdepok_resource_download,
        "splpdepok_has_value": splpdepok_has_value,
    }
