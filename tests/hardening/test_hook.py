"""The security hook itself (in-process app): what it does to a download a view marked private,
whatever that view is (registration documents, exports, SPLP guides use the same marking)."""
from __future__ import annotations

from typing import Any

from flask import Response


def _add_route(app: Any, path: str, headers: dict[str, str]) -> None:
    def view() -> Response:
        return Response("a;b\n1;2\n", headers=headers)

    app.flask_app.add_url_rule(path, path.strip("/").replace("-", "_"), view)


def test_a_private_download_is_private_no_store_with_one_charset(app: Any) -> None:
    _add_route(app, "/uji-unduhan", {
        "Content-Type": "text/csv; charset=utf-8; charset=utf-8",
        "Content-Disposition": 'attachment; filename="x.csv"',
        "Cache-Control": "private, no-store"})
    response = app.get("/uji-unduhan")
    directives = {d.strip() for d in response.headers["Cache-Control"].split(",")}
    assert directives == {"private", "no-store"}
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_a_view_may_set_a_stricter_frame_policy(app: Any) -> None:
    _add_route(app, "/uji-bingkai", {"X-Frame-Options": "DENY"})
    response = app.get("/uji-bingkai")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
