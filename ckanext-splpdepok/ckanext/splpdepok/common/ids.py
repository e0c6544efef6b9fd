"""Record ids: random UUID4 text, as CKAN's own tables use. Pure: no CKAN import."""
from __future__ import annotations

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
