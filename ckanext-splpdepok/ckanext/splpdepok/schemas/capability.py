"""What the schemas capability adds to CKAN (see ckanext.splpdepok.registry): the API and
``/dcat.json`` output the national harvesters read (``harvest_api``)."""
from __future__ import annotations

from typing import Any


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.schemas.harvest_api import actions as harvest_actions

    return harvest_actions()


def blueprints() -> list[Any]:
    from ckanext.splpdepok.schemas.harvest_api import blueprint

    return [blueprint]
