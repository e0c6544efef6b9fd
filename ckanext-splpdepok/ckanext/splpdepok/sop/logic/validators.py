"""Validators of sop: an SOP step number, a workflow's subject type (from the SOP table)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.sop import table
from ckanext.splpdepok.sop.steps import STEPS


def splpdepok_sop_step_number(value: Any) -> Any:
    """One of the SOP's step numbers (1-18), as an int."""
    if value is None or value is tk.missing:
        return value
    if isinstance(value, bool):
        raise tk.Invalid(tk._("Must be an SOP step number (1-18)"))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise tk.Invalid(tk._("Must be an SOP step number (1-18)")) from None
    if number not in STEPS:
        raise tk.Invalid(tk._("Must be an SOP step number (1-18)"))
    return number


def splpdepok_sop_subject_type(value: Any) -> Any:
    """The subject type of one of the SOP's workflows (``registration``, ``lid_plan``)."""
    if value is None or value is tk.missing:
        return value
    known = [m.subject_type for m in table.machines()]
    if value not in known:
        raise tk.Invalid(tk._("Must be one of: %(choices)s") % {"choices": ", ".join(known)})
    return value
