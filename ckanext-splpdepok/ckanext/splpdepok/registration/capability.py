"""What the registration capability adds to CKAN (see ckanext.splpdepok.registry)."""
from __future__ import annotations

from typing import Any

import click


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.registration.logic import action, queries

    return {
        "splpdepok_registration_create": action.registration_create,
        "splpdepok_registration_update": action.registration_update,
        "splpdepok_registration_submit": action.registration_submit,
        "splpdepok_registration_approve": action.registration_approve,
        "splpdepok_registration_return": action.registration_return,
        "splpdepok_registration_reject": action.registration_reject,
        "splpdepok_registration_show": queries.registration_show,
        "splpdepok_registration_plan": queries.registration_plan,
        "splpdepok_registration_list": queries.registration_list,
        "splpdepok_sla_report": queries.sla_report,
    }


def auth_functions() -> dict[str, Any]:
    from ckanext.splpdepok.registration.logic import auth

    return {
        "splpdepok_registration_create": auth.registration_create,
        "splpdepok_registration_update": auth.registration_update,
        "splpdepok_registration_submit": auth.registration_submit,
        "splpdepok_registration_approve": auth.registration_approve,
        "splpdepok_registration_return": auth.registration_return,
        "splpdepok_registration_reject": auth.registration_reject,
        "splpdepok_registration_show": auth.registration_show,
        "splpdepok_registration_plan": auth.registration_plan,
        "splpdepok_registration_list": auth.registration_list,
        "splpdepok_registration_review_queue": auth.registration_review_queue,
        "splpdepok_sla_report": auth.sla_report,
        "splpdepok_registration_export": auth.registration_export,
    }


def validators() -> dict[str, Any]:
    from ckanext.splpdepok.registration.logic import validators as v

    return v.all_validators()


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.registration import helpers as h

    return h.all_helpers()


def blueprints() -> list[Any]:
    from ckanext.splpdepok.registration import views

    return [views.applicant, views.admin]


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.registration.cli import registrations

    return [registrations]


def admin_tabs() -> list[tuple[str, str, str]]:
    return [("splpdepok_registration_admin.queue", "Registrations", "id-card")]
