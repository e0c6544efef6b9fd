"""What the LID catalog capability adds to CKAN (see ckanext.splpdepok.registry)."""
from __future__ import annotations
