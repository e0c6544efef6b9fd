"""Text helpers with no CKAN import."""
from __future__ import annotations

LIKE_ESCAPE = "\\"


def like_escape(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (use with ``escape=LIKE_ESCAPE``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_contains(text: str) -> str:
    """A LIKE pattern matching any value that contains ``text`` literally."""
    return f"%{like_escape(text)}%"
