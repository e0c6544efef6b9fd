"""On-site notices: the same messages as the emails, shown to signed-in users on the portal."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.common.ids import new_id

if TYPE_CHECKING:
    from ckanext.splpdepok.notify.logic.mail import Message

# Notices on one page of /pemberitahuan and of ``splpdepok_notice_list`` (within MAX_LIMIT).
NOTICE_PAGE = 50

notices_table = sa.Table(
    "splpdepok_notices",
    tk.BaseModel.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("user_id", sa.UnicodeText, nullable=False),
    sa.Column("subject", sa.UnicodeText, nullable=False),
    sa.Column("body", sa.UnicodeText, nullable=False),
    sa.Column("link", sa.UnicodeText, nullable=False, default=""),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True)),
)


class Notice(tk.BaseModel):  # type: ignore[misc, valid-type]
    __table__ = notices_table

    id: str
    user_id: str
    subject: str
    body: str
    link: str
    created: dt.datetime
    read_at: dt.datetime | None

    def dictize(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "body": self.body,
            "link": self.link,
            "created": self.created.isoformat(),
            "read": self.read_at is not None,
        }


def add(user_id: str, subject: str, body: str, link: str = "") -> Notice:
    """Adds a notice in the caller's transaction."""
    notice = Notice(id=new_id(), user_id=user_id, subject=subject, body=body,
                    link=link, created=clock.now())
    model.Session.add(notice)
    return notice


def add_notice(message: Message) -> None:
    """Adds the on-site notice of a mail (in the caller's transaction): its own short text
    when the message has one, else the mail's subject and body."""
    if not message.recipient.user_id:
        return
    if message.notice:
        add(message.recipient.user_id, message.notice, message.notice_detail, message.link)
    else:
        add(message.recipient.user_id, message.subject, message.body, message.link)


def get_own(user_id: str, notice_id: str) -> Notice | None:
    """One notice of ``user_id`` (None for someone else's: nobody opens another's notice)."""
    notice = model.Session.get(Notice, notice_id)
    return notice if notice is not None and notice.user_id == user_id else None


def for_user(user_id: str, *, unread_only: bool = False, limit: int = NOTICE_PAGE,
             offset: int = 0) -> list[Notice]:
    """The user's notices, newest first (one page)."""
    query = model.Session.query(Notice).filter(Notice.user_id == user_id)
    if unread_only:
        query = query.filter(notices_table.c.read_at.is_(None))
    return (query.order_by(notices_table.c.created.desc(), notices_table.c.id)
            .offset(offset).limit(limit).all())


def unread_count(user_id: str) -> int:
    return (model.Session.query(sa.func.count(Notice.id))
            .filter(Notice.user_id == user_id, notices_table.c.read_at.is_(None)).scalar() or 0)


def mark_read(user_id: str, notice_ids: list[str] | None = None) -> int:
    query = model.Session.query(Notice).filter(Notice.user_id == user_id,
                                               notices_table.c.read_at.is_(None))
    if notice_ids:
        query = query.filter(notices_table.c.id.in_(notice_ids))
    return query.update({Notice.read_at: clock.now()}, synchronize_session=False)
