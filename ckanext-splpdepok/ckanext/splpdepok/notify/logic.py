"""Actions and helper for on-site notices (each user sees only their own)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.notify import notices


def auth_signed_in(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    if not user or model.User.get(user) is None:
        return {"success": False, "msg": tk._("Sign in to see your notices")}
    return {"success": True}


def list_schema() -> dict[str, Any]:
    v = tk.get_validator
    return {"unread_only": [v("default")(False), v("splpdepok_bool")]}


def mark_read_schema() -> dict[str, Any]:
    v = tk.get_validator
    return {"ids": [v("ignore_missing"), v("splpdepok_text_list")(1000, 100)]}


def _user_id(context: Context) -> str:
    user = model.User.get(context.get("user"))
    if user is None:
        raise tk.NotAuthorized(tk._("Sign in to see your notices"))
    return user.id


@tk.side_effect_free
@tk.validate(list_schema)
def notice_list(context: Context, data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The caller's notices, newest first.

    :param unread_only: optional boolean
    """
    tk.check_access("splpdepok_notice_list", context, data_dict)
    unread = bool(data_dict["unread_only"])
    return [n.dictize() for n in notices.for_user(_user_id(context), unread_only=unread)]


@tk.validate(mark_read_schema)
def notice_mark_read(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Marks the caller's notices as read.

    :param ids: optional list of notice ids (default: all)
    """
    tk.check_access("splpdepok_notice_mark_read", context, data_dict)
    ids = data_dict.get("ids") or None
    count = notices.mark_read(_user_id(context), ids)
    if not context.get("defer_commit"):
        model.repo.commit()
    return {"marked": count}


def unread_for_current_user() -> int:
    """Unread notices of the signed-in user (0 for anonymous): for the header badge."""
    user = tk.current_user
    if not getattr(user, "is_authenticated", False):
        return 0
    return notices.unread_count(user.id)
