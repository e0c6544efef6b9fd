"""Actions and helper for on-site notices (each user sees only their own)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from ckanext.splpdepok.common.context import commit_unless_deferred
from ckanext.splpdepok.notify import model as notices
from ckanext.splpdepok.notify.logic import schema


def _user_id(context: Context) -> str:
    user = model.User.get(context.get("user"))
    if user is None:
        raise tk.NotAuthorized(tk._("Sign in to see your notices"))
    return user.id


@tk.side_effect_free
@tk.validate(schema.list_schema)
def notice_list(context: Context, data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The caller's notices, newest first (one page).

    :param unread_only: optional boolean
    :param limit: optional, 1 to 100 (default 50)
    :param offset: optional, 0 or more (default 0)
    """
    tk.check_access("splpdepok_notice_list", context, data_dict)
    unread = bool(data_dict["unread_only"])
    return [n.dictize() for n in notices.for_user(_user_id(context), unread_only=unread,
                                                  limit=data_dict["limit"],
                                                  offset=data_dict["offset"])]


@tk.validate(schema.mark_read_schema)
def notice_mark_read(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Marks the caller's notices as read.

    :param ids: optional list of notice ids (default: all)
    """
    tk.check_access("splpdepok_notice_mark_read", context, data_dict)
    ids = data_dict.get("ids") or None
    count = notices.mark_read(_user_id(context), ids)
    commit_unless_deferred(context)
    return {"marked": count}
