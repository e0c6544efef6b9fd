"""What the registration capability adds to CKAN (see ckanext.splpdepok.registry)."""
from __future__ import annotations
