"""Who is acting, and the contexts actions are called with.

One place for what every capability needs around an action call: the acting user (refusing
anonymous callers with CKAN's own ``NotAuthorized``), the context of a page request, of the site
user (CLI, jobs, provisioning), and committing only when the caller did not ask to commit itself
(``defer_commit``).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context


def actor_or_none(context: Context) -> model.User | None:
    """The acting user as an object, or ``None`` for an anonymous caller."""
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def actor(context: Context) -> model.User:
    """The acting user; anonymous callers are refused (HTTP 403)."""
    user = actor_or_none(context)
    if user is None:
        raise tk.NotAuthorized(tk._("Sign in first"))
    return user


def request_context(**extra: Any) -> Context:
    """The context of the current page request (the signed-in user, or anonymous)."""
    user = tk.current_user
    name = user.name if user is not None and user.is_authenticated else ""
    context: dict[str, Any] = {"user": name, **extra}
    return context  # type: ignore[return-value]


def site_user_name() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def site_context(**extra: Any) -> Context:
    """The site user's context, for the CLI, background jobs and provisioning."""
    context: dict[str, Any] = {"user": site_user_name(), "ignore_auth": True, **extra}
    return context  # type: ignore[return-value]


def commit_unless_deferred(context: Context) -> None:
    """Commit the action's work unless the caller batches it (``defer_commit``)."""
    if not context.get("defer_commit"):
        model.repo.commit()
