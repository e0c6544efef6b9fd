"""Mails and on-site notices of the connection check (SOP steps 16-18), through ``notify``.

The texts are msgids translated with the extension's catalog by ``notify.logic.mail.gettext`` (the
portal's notification language), so they read the same from a page, the CLI or a job.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.splpdepok.lid.model import Lid, Plan
from ckanext.splpdepok.notify.logic.mail import Message, Recipient, gettext
from ckanext.splpdepok.registration.model import Ippd


def _site() -> tuple[str, str]:
    return (tk.config.get("ckan.site_url", "").rstrip("/"),
            tk.config.get("ckan.site_title", "Satu Data Kota Depok"))


def recipients(plan: Plan, lids: list[Lid]) -> list[Recipient]:
    """The IPPD admin and the operators owning the LIDs (each once, active users only)."""
    ippd = Ippd.by_domain(plan.ippd_domain)
    ids = ([ippd.admin_user_id] if ippd and ippd.admin_user_id else [])
    ids += [lid.owner_user_id for lid in lids]
    found: list[Recipient] = []
    for user_id in dict.fromkeys(ids):
        user = model.User.get(user_id)
        if user is not None and user.state == model.State.ACTIVE:
            found.append(Recipient(user.fullname or user.name, user.email or "", user.id))
    return found


def on_connected(plan: Plan, lids: list[Lid]) -> list[Message]:
    site, title = _site()
    link = f"{site}/katalog-lid/rencana/{plan.id}"
    names = "\n".join(f"- {lid.name} (/t/{plan.tenant_domain}/{lid.context}/{lid.version})"
                      for lid in lids)
    out = []
    for recipient in recipients(plan, lids):
        subject = gettext("[%(site)s] SPL IPPD %(domain)s is connected to SPLP",
                          site=title, domain=plan.ippd_domain)
        body = "\n\n".join([
            gettext("Dear %(name)s,", name=recipient.name),
            gettext("The connection check with SPLP passed: SPL IPPD Mandiri %(domain)s is "
                    "connected to SPLP (SOP steps 17-18).", domain=plan.ippd_domain),
            gettext("Connected LIDs:") + "\n" + names,
            gettext("Open the connection plan:") + " " + link,
        ])
        out.append(Message(recipient, subject, body + "\n", link))
    return out


def on_check_failed(plan: Plan, reasons: list[str]) -> list[Message]:
    site, title = _site()
    link = f"{site}/katalog-lid/rencana/{plan.id}"
    ippd = Ippd.by_domain(plan.ippd_domain)
    admin = model.User.get(ippd.admin_user_id) if ippd and ippd.admin_user_id else None
    if admin is None or admin.state != model.State.ACTIVE:
        return []
    recipient = Recipient(admin.fullname or admin.name, admin.email or "", admin.id)
    subject = gettext("[%(site)s] SPLP connection check failed: %(domain)s",
                      site=title, domain=plan.ippd_domain)
    body = "\n\n".join([
        gettext("Dear %(name)s,", name=recipient.name),
        gettext("The connection check with SPLP failed. Fix the problems below and "
                "synchronise the LID catalog again (back to SOP step 15)."),
        "\n".join(f"- {reason}" for reason in reasons),
        gettext("Open the connection plan:") + " " + link,
    ])
    return [Message(recipient, subject, body + "\n", link)]
