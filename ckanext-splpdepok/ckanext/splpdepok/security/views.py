"""One app-wide ``before_request`` guard and one ``after_request`` hook, registered through a
blueprint (``after_app_request``) so that they apply to every page, API call and download.

Headers on every response: ``X-Frame-Options: SAMEORIGIN``, ``X-Content-Type-Options:
nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``. A response a view marked
``no-store`` (a private download) stays ``Cache-Control: private, no-store``: CKAN's own
after-request handler, which runs after this one, would otherwise add ``public, max-age``.
A content type that names its charset twice keeps one.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.security.logic import guard
from flask import Blueprint, Response, request
from werkzeug.http import dump_options_header, parse_options_header

blueprint = Blueprint("splpdepok_security", __name__)

HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@blueprint.before_app_request
def splpdepok_guard_request() -> Any:
    problem = guard.problem(request.endpoint or "", request.args, request.form,
                            request.view_args)
    if problem:
        return tk.abort(400, problem)
    return None


def _one_charset(response: Response) -> None:
    raw = response.headers.get("Content-Type")
    if not raw or raw.lower().count("charset=") < 2:
        return
    value, options = parse_options_header(raw)
    response.headers["Content-Type"] = dump_options_header(value, options)


@blueprint.after_app_request
def splpdepok_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.cache_control.no_store:
        # read by ckan.views.set_cache_control_headers_for_response: private, never public
        request.environ["__no_cache__"] = True
        response.cache_control.public = False
        response.cache_control.max_age = None
        response.cache_control.must_revalidate = False
        response.cache_control.private = True
    _one_charset(response)
    return response
