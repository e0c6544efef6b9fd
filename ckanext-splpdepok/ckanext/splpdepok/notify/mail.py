"""Temporary re-export: moved to ``notify.logic.mail`` (deleted once every import switched)."""
from ckanext.splpdepok.notify.logic.mail import (
    DOMAIN,
    Message,
    Recipient,
    add_notice,
    gettext,
    render,
    send,
)

__all__ = ["DOMAIN", "Message", "Recipient", "add_notice", "gettext", "render", "send"]
