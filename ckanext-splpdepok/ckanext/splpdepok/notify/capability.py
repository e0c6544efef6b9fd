"""What notify adds to CKAN (see ckanext.splpdepok.registry): on-site notices."""
from __future__ import annotations

from typing import Any


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.notify.logic import action

    return {"splpdepok_notice_list": action.notice_list,
            "splpdepok_notice_mark_read": action.notice_mark_read}


def auth_functions() -> dict[str, Any]:
    from ckanext.splpdepok.notify.logic import auth

    return {"splpdepok_notice_list": auth.auth_signed_in,
            "splpdepok_notice_mark_read": auth.auth_signed_in}


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.notify import helpers

    return {"splpdepok_unread_notices": helpers.unread_for_current_user}


def blueprints() -> list[Any]:
    from ckanext.splpdepok.notify.views import blueprint

    return [blueprint]
