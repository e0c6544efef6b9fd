"""Self-service sign-up with e-mail confirmation (the views are in ``security/views.py``).

A person who signs up at ``/user/register`` gets a **pending** account, marked in the user's
``plugin_extras`` (``splpdepok_signup``: when the current link was made and mailed), and a
link ``/user/konfirmasi/<id>?key=<reset key>`` mailed to the address. Following it activates
the account once (the key is replaced, so the link works a single time) within ``KEY_HOURS``.
Accounts an approval invites are pending too, but carry no mark: they keep CKAN's
``/user/reset`` link, and nothing here touches them.

The mark holds no secret (two timestamps); the key is CKAN's ``reset_key``.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.notify.logic.mail import Message, Recipient, send

MARK = "splpdepok_signup"
KEY_HOURS = 72
RESEND_SECONDS = 60


class Sent(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    TOO_SOON = "too_soon"
    NOT_PENDING = "not_pending"


class Confirmed(enum.Enum):
    DONE = "done"
    BAD_KEY = "bad_key"
    EXPIRED = "expired"
    ALREADY_ACTIVE = "already_active"


def _mark(user: model.User) -> dict[str, Any] | None:
    extras = user.plugin_extras or {}
    mark = extras.get(MARK) if isinstance(extras, dict) else None
    return mark if isinstance(mark, dict) else None


def _set_mark(user: model.User, mark: dict[str, Any] | None) -> None:
    extras = dict(user.plugin_extras or {})
    if mark is None:
        extras.pop(MARK, None)
    else:
        extras[MARK] = mark
    user.plugin_extras = extras  # a new dict: the JSON column sees the change


def _when(mark: dict[str, Any], field: str) -> dt.datetime | None:
    try:
        return clock.aware(dt.datetime.fromisoformat(str(mark[field])))
    except (KeyError, TypeError, ValueError):
        return None


def awaits_confirmation(user: model.User | None) -> bool:
    """A self-registered account whose link has not been followed yet."""
    return user is not None and user.state == model.State.PENDING and _mark(user) is not None


def find(login: str) -> model.User | None:
    """The user a sign-in or resend form names (name or e-mail address), or None."""
    login = (login or "").strip()
    if not login or len(login) > 200:
        return None
    return model.User.by_name(login) or model.User.by_email(login)


def make_pending(user: model.User) -> None:
    """The account a sign-up just created (not committed yet) waits for its link."""
    user.state = model.State.PENDING
    user.reset_key = mailer.make_key()
    _set_mark(user, {"key_made": clock.now().isoformat(), "mailed": None})
    model.repo.commit()


def confirm_url(user: model.User) -> str:
    return tk.h.url_for("splpdepok_signup.confirm", id=user.id, key=user.reset_key,
                        qualified=True)


def _body(user: model.User) -> str:
    site = tk.config.get("ckan.site_title") or "Satu Data Kota Depok"
    return "\n\n".join([
        tk._("Hello {name},").format(name=user.fullname or user.name),
        tk._("Someone (hopefully you) signed up for an account on {site} with this e-mail "
             "address. To activate the account, open this link within {hours} hours:").format(
                 site=site, hours=KEY_HOURS),
        confirm_url(user),
        tk._("The link works once. If you did not sign up, ignore this e-mail: the account "
             "stays inactive."),
    ]) + "\n"


def send_link(user: model.User, *, fresh_key: bool = False) -> Sent:
    """Mails the confirmation link (at most once per ``RESEND_SECONDS`` per account); a resend
    makes a new key, so only the newest link works. A mail failure is logged as one warning
    line (``notify.logic.mail.send``) and reported, and the account stays pending."""
    mark = _mark(user)
    if mark is None or user.state != model.State.PENDING:
        return Sent.NOT_PENDING
    mailed = _when(mark, "mailed")
    now = clock.now()
    if mailed is not None and (now - mailed).total_seconds() < RESEND_SECONDS:
        return Sent.TOO_SOON
    if fresh_key or not user.reset_key:
        user.reset_key = mailer.make_key()
        mark = {**mark, "key_made": now.isoformat()}
    # the attempt counts for the rate limit whether or not the mail goes out
    _set_mark(user, {**mark, "mailed": now.isoformat()})
    model.repo.commit()
    subject = tk._("Confirm your account on {site}").format(
        site=tk.config.get("ckan.site_title") or "Satu Data Kota Depok")
    # notify's sender: a failure is one WARNING line, CKAN's mailer traceback is kept quiet
    message = Message(Recipient(user.fullname or user.name, user.email or ""), subject,
                      _body(user))
    return Sent.SENT if send(message) else Sent.FAILED


def confirm(user: model.User, key: str) -> Confirmed:
    """Activates a self-registered account whose link (``key``) is right and fresh; the key is
    cleared, so the link works once."""
    if user.state == model.State.ACTIVE:
        return Confirmed.ALREADY_ACTIVE
    mark = _mark(user)
    if mark is None or user.state != model.State.PENDING:
        return Confirmed.BAD_KEY
    if not mailer.verify_reset_link(user, key):
        return Confirmed.BAD_KEY
    made = _when(mark, "key_made")
    if made is None or clock.now() - made > dt.timedelta(hours=KEY_HOURS):
        return Confirmed.EXPIRED
    user.state = model.State.ACTIVE
    user.reset_key = None
    _set_mark(user, None)
    model.repo.commit()
    return Confirmed.DONE
