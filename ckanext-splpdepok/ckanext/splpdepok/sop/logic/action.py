"""The sop read action: the SOP table (steps, standards, transitions) for the API and pages."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from ckanext.splpdepok.sop import helpers, table
from ckanext.splpdepok.sop.logic import schema, standards


@tk.side_effect_free
@tk.validate(schema.steps_schema)
def sop_steps(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The 18 SOP steps with their actor, time standard and the transitions carrying them out.

    Each step: ``number``, ``activity``, ``actor`` (role key) and ``actor_label``,
    ``required_input``, ``output``, ``branch``, ``standard`` (``text`` as configured and
    ``minutes``, working minutes), ``transitions`` (per workflow subject type: ``name``,
    ``source``, ``target``, ``variant``, ``actor``, ``performers`` (as written), ``may``
    (who the auth functions accept), ``label``,
    ``note_required``, ``automatic``, ``restarts_clock``, ``follow_ups``). Texts are translated.

    :param step: optional, one step number (1-18)
    :param subject_type: optional, one workflow (``registration`` or ``lid_plan``)
    """
    tk.check_access("splpdepok_sop_steps", context, data_dict)
    machines = table.machines()
    if data_dict.get("subject_type"):
        machines = [m for m in machines if m.subject_type == data_dict["subject_type"]]
    rows = table.steps_table(standards.all_standard_texts(), machines, helpers.label)
    if data_dict.get("step"):
        rows = [r for r in rows if r["number"] == data_dict["step"]]
    return {"steps": rows, "subject_types": [m.subject_type for m in machines]}
