"""Schemas of the sop actions (``ckan.logic.schema.validator_args`` style)."""
from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args

Schema = dict[str, Any]


@validator_args
def steps_schema(ignore_missing: Any, splpdepok_sop_step_number: Any,
                 splpdepok_sop_subject_type: Any) -> Schema:
    """``step`` (only that step) and ``subject_type`` (only that workflow's transitions)."""
    return {"step": [ignore_missing, splpdepok_sop_step_number],
            "subject_type": [ignore_missing, splpdepok_sop_subject_type]}
