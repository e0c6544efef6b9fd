"""What notify adds to CKAN (see ckanext.splpdepok.registry): on-site notices."""
from __future__ import annotations

from typing import Any


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.notify import logic

    return {"splpdepok_notice_list": logic.notice_list,
            "splpdepok_notice_mark_read": logic.notice_mark_read}


def auth_functions() -> dict[str, Any]:
    from ckanext.splpdepok.notify import logic

    return {"splpdepok_notice_list": logic.auth_signed_in,
            "splpdepok_notice_mark_read": logic.auth_signed_in}


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.notify import logic

    return {"splpdepok_unread_notices": logic.unread_for_current_user}


def blueprints() -> list[Any]:
    from ckanext.splpdepok.notify.views import blueprint

    return [blueprint]
