"""The signed-in user's notices page (/pemberitahuan) and opening one notice."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common.context import request_context
from ckanext.splpdepok.notify import model as notice_model
from flask import Blueprint, redirect

blueprint = Blueprint("splpdepok_notify", __name__)


@blueprint.route("/pemberitahuan", methods=["GET", "POST"])
def notices() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for("splpdepok_notify.notices"))
    if tk.request.method == "POST":
        tk.get_action("splpdepok_notice_mark_read")(request_context(), {})
        return tk.redirect_to("splpdepok_notify.notices")
    items = tk.get_action("splpdepok_notice_list")(request_context(), {})
    return tk.render("splpdepok/notify/notices.html", {"notices": items})


def _local(link: str) -> str:
    """The notice's link when it points into this portal ("" otherwise): opening a notice
    never redirects off the site."""
    parts = urlsplit(link or "")
    site = urlsplit(tk.config.get("ckan.site_url", ""))
    if parts.scheme or parts.netloc:
        same = (parts.scheme, parts.netloc) == (site.scheme, site.netloc)
        return link if same and parts.scheme in ("http", "https") else ""
    path = parts.path or ""
    return link if path.startswith("/") and not path.startswith("//") else ""


@blueprint.route("/pemberitahuan/<notice_id>", endpoint="open", methods=["GET"])
def open_notice(notice_id: str) -> Any:
    """Marks the notice read and goes to what it is about."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    notice = notice_model.get_own(tk.current_user.id, notice_id[:100])
    if notice is None:
        return tk.abort(404, tk._("Notice not found"))
    tk.get_action("splpdepok_notice_mark_read")(request_context(), {"ids": [notice.id]})
    target = _local(notice.link)
    return redirect(target) if target else tk.redirect_to("splpdepok_notify.notices")
