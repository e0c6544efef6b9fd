"""What sop adds to CKAN (see ckanext.splpdepok.registry): the SOP table's read action, its
label helpers, the printable records (pages and their auth), the 18 step-standard settings
and the ``ckan splpdepok sop`` trace."""
from __future__ import annotations

from typing import Any

import click
from ckan.config.declaration import Declaration, Key


def actions() -> dict[str, Any]:
    from ckanext.splpdepok.sop.logic import action

    return {"splpdepok_sop_steps": action.sop_steps}


def auth_functions() -> dict[str, Any]:
    from ckanext.splpdepok.sop.logic import auth

    return {"splpdepok_sop_steps": auth.sop_steps,
            "splpdepok_sop_record_print": auth.sop_record_print}


def validators() -> dict[str, Any]:
    from ckanext.splpdepok.sop.logic import validators as v

    return {"splpdepok_sop_step_number": v.splpdepok_sop_step_number,
            "splpdepok_sop_subject_type": v.splpdepok_sop_subject_type}


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.sop import helpers as h

    return {f.__name__: f for f in (h.splpdepok_sop_label, h.splpdepok_sop_actor_label,
                                    h.splpdepok_sop_activity_label, h.splpdepok_sop_step,
                                    h.splpdepok_sop_standard)}


def blueprints() -> list[Any]:
    from ckanext.splpdepok.sop import views

    return [views.blueprint]


def declare_config_options(declaration: Declaration, key: Key) -> None:
    from ckanext.splpdepok.sop.logic import standards

    standards.declare_options(declaration, key)


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.sop.cli import sop

    return [sop]
