"""The search facets of ``/dataset``: Kategori (the theme groups), data type, frequency and
priority year next to CKAN's own, with Indonesian titles (msgids here, translations in the
``schema`` i18n part) and value labels from the schema's choices."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.schemas import fields
from ckanext.splpdepok.schemas.logic.validators import current_lang

# Facet field -> the schema field whose choices label its values.
LABELLED_BY_CHOICES = ("jenis", "accrualPeriodicity")


def _titles() -> list[tuple[str, str]]:
    return [
        ("organization", tk._("Organizations")),
        ("groups", tk._("Category (theme)")),
        ("jenis", tk._("Data type")),
        ("accrualPeriodicity", tk._("Update frequency")),
        ("prioritas_tahun", tk._("Priority data (year)")),
        ("tags", tk._("Tags")),
        ("res_format", tk._("Formats")),
        ("license_id", tk._("Licenses")),
    ]


def dataset_facets(facets_dict: Mapping[str, Any], package_type: str) -> OrderedDict[str, Any]:
    """IFacets.dataset_facets: ours in a fixed order, then any another plugin added."""
    ordered: OrderedDict[str, Any] = OrderedDict(_titles())
    for name, title in facets_dict.items():
        if name not in ordered:
            ordered[name] = title
    return ordered


def value_label(facet: str, value: str, display_name: str | None = None) -> str:
    """The full, readable label of one facet value (choice label, licence title...)."""
    if facet in LABELLED_BY_CHOICES:
        return fields.choice_label(facet, value, current_lang())
    return str(display_name or value)


def label_function(facet: str) -> Callable[[Mapping[str, Any]], str]:
    """For ``snippets/facet_list.html``: a label function, so CKAN does not cut labels
    at 22 characters ("Creative Commons...")."""

    def label(item: Mapping[str, Any]) -> str:
        return value_label(facet, str(item.get("name", "")), item.get("display_name"))

    return label
