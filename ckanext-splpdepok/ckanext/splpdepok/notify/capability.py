"""What notify adds to CKAN (see ckanext.splpdepok.registry)."""
from __future__ import annotations
