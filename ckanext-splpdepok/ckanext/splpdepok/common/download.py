"""Private downloads (exports, histories, reports): one response shape for every page.

Always an attachment, never cached by a browser or proxy (``private, no-store``): the files can
hold personal data and change with every run. Text gets its charset in ``Content-Type``.
"""
from __future__ import annotations

from flask import Response

CSV = "text/csv"
JSON = "application/json"


def attachment(body: str | bytes, filename: str, content_type: str) -> Response:
    """``body`` as a download named ``filename``; text is sent as UTF-8."""
    if isinstance(body, str):
        body = body.encode("utf-8")
        if "charset=" not in content_type:
            content_type = f"{content_type}; charset=utf-8"
    return Response(body, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})
