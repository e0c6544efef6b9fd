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


def _user_id(context: Context) -> str:
    user = model.User.get(context.get("user"))
    if user is None:
        raise tk.NotAuthorized(tk._("Sign in to see your notices"))
    return user.id


@tk.side_effect_free
def notice_list(context: Context, data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The caller's notices, newest first.

    :param unread_only: optional boolean
    """
    tk.check_access("splpdepok_notice_list", context, data_dict)
    unread = tk.asbool(data_dict.get("unread_only", False))
    return [n.dictize() for n in notices.for_user(_user_id(context), unread_only=unread)]


def notice_mark_read(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Marks the caller's notices as read.

    :param ids: optional list of notice ids (default: all)
    """
    tk.check_access("splpdepok_notice_mark_read", context, data_dict)
    ids = data_dict.get("ids") or None
    if ids is not None and (not isinstance(ids, list) or
                            not all(isinstance(i, str) for i in ids)):
        raise tk.ValidationError({"ids": [tk._("Must be a list of notice ids")]})
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
