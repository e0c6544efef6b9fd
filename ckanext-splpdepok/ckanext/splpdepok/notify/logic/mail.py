"""Notification emails through CKAN's mailer, in the portal's language (Indonesian by default).

Texts are Jinja templates under templates/splpdepok/notify/<name>.txt (first line: subject),
and the on-site notice's own short text under notices/<name>.txt (first line: the notice,
then an optional detail), rendered with the extension's own compiled catalog, so mails read
the same from a web request, a CLI command or a background job. Each send also leaves an
on-site notice for portal users.
"""
from __future__ import annotations

import logging
import os
import smtplib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
from babel.support import NullTranslations, Translations
from ckan.lib import mailer
from ckanext.splpdepok import config
from ckanext.splpdepok.notify.model import add_notice

__all__ = ["DOMAIN", "Message", "Recipient", "add_notice", "gettext", "render", "send"]

log = logging.getLogger(__name__)
_sending = threading.local()


class _QuietCkanMailer(logging.Filter):
    """CKAN's mailer logs every failure with a traceback at ERROR before raising; while this
    module sends, the failure is ours to report (one WARNING line), so those records are dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (getattr(_sending, "active", False) and record.levelno >= logging.ERROR)


logging.getLogger(mailer.__name__).addFilter(_QuietCkanMailer())


@contextmanager
def _quiet() -> Iterator[None]:
    _sending.active = True
    try:
        yield
    finally:
        _sending.active = False


_HERE = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
_TEMPLATES = os.path.join(_HERE, "templates", "splpdepok", "notify")
_I18N = os.path.join(_HERE, "i18n")
DOMAIN = "ckanext-splpdepok"


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    user_id: str | None = None  # a portal user also gets an on-site notice


@dataclass(frozen=True)
class Message:
    recipient: Recipient
    subject: str
    body: str
    link: str = ""
    # the on-site notice: one short line (and an optional detail, e.g. the reviewer note),
    # its own text (templates/splpdepok/notify/notices/<name>.txt), never the mail body
    notice: str = ""
    notice_detail: str = ""


@lru_cache(maxsize=8)
def _translations(locale: str) -> NullTranslations:
    if locale != "en":
        loaded = Translations.load(_I18N, [locale], domain=DOMAIN)
        if isinstance(loaded, Translations):
            return loaded
    return NullTranslations()


@lru_cache(maxsize=8)
def _environment(locale: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=False,  # plain-text mail; the HTML pages escape notices themselves
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        _translations(locale), newstyle=True)
    return env


def gettext(message: str, locale: str | None = None, **variables: Any) -> str:
    text = _translations(locale or config.notify_locale()).gettext(message)
    return text % variables if variables else text


def render(name: str, recipient: Recipient, locale: str | None = None,
           **variables: Any) -> Message:
    """Renders ``<name>.txt``: the first line is the subject, the rest the body."""
    env = _environment(locale or config.notify_locale())
    text = env.get_template(f"{name}.txt").render(recipient=recipient, **variables)
    subject, _sep, body = text.strip().partition("\n")
    notice, detail = "", ""
    if os.path.isfile(os.path.join(_TEMPLATES, "notices", f"{name}.txt")):
        short = env.get_template(f"notices/{name}.txt").render(recipient=recipient, **variables)
        notice, _sep, detail = short.strip().partition("\n")
    return Message(recipient, subject.strip(), body.strip() + "\n", variables.get("link", ""),
                   notice=notice.strip(), notice_detail=detail.strip())


def send(message: Message) -> bool:
    """Sends one email; True when the mail server accepted it.

    A failure is one WARNING line (recipient and reason, no traceback) and is never raised: the
    decision it reports already happened. Callers tell the user the mail did not go out.
    """
    if not message.recipient.email:
        return False
    try:
        with _quiet():
            mailer.mail_recipient(message.recipient.name or message.recipient.email,
                                  message.recipient.email, message.subject, message.body)
    except (mailer.MailerException, smtplib.SMTPException, OSError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        log.warning("notification to %s not sent: %s", message.recipient.email, reason)
        return False
    return True
