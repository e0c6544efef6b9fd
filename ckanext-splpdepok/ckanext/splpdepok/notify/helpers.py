"""Template helpers of notify: the header's unread-notices badge."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.notify import model as notices


def unread_for_current_user() -> int:
    """Unread notices of the signed-in user (0 for anonymous): for the header badge."""
    user = tk.current_user
    if not getattr(user, "is_authenticated", False):
        return 0
    return notices.unread_count(user.id)
