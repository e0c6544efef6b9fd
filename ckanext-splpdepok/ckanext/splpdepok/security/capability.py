"""What the security capability adds to CKAN (see ckanext.splpdepok.registry): the response
headers of every page and download, a guard that answers 400 to malformed request parameters
before a view sees them, the strict input validators every ``splpdepok_*`` schema uses, and
self-service sign-up with e-mail confirmation (``/user/register``, ``/user/konfirmasi/<id>``)."""
from __future__ import annotations

from typing import Any


def validators() -> dict[str, Any]:
    from ckanext.splpdepok.security.logic import validators as v

    return v.all_validators()


def blueprints() -> list[Any]:
    from ckanext.splpdepok.security import views

    return [views.blueprint, views.signup]
