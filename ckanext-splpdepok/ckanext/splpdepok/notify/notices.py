"""Temporary re-export: notices moved to ``notify.model`` (deleted once every import switched)."""
from ckanext.splpdepok.notify.model import (
    Notice,
    add,
    add_notice,
    for_user,
    mark_read,
    notices_table,
    unread_count,
)

__all__ = ["Notice", "add", "add_notice", "for_user", "mark_read", "notices_table", "unread_count"]
