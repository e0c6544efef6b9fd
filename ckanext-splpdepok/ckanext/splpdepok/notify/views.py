"""The signed-in user's notices page (/pemberitahuan)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.common.context import request_context
from flask import Blueprint

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
