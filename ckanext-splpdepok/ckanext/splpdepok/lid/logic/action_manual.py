"""Actions of the manual path of SOP steps 15-18 (no REST access to the SPLP publisher) and the
plan's SOP events: the publication package, the manual publication, the manual connection
check, the events as a list. Kept apart from ``logic.action`` only for its size; the rules live
in ``logic.manual``, who may act in ``logic.auth``.
"""
from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context
from ckanext.splpdepok.common.context import actor, commit_unless_deferred
from ckanext.splpdepok.lid.logic import checking, manual, plans, schema
from ckanext.splpdepok.lid.model import Plan
from ckanext.splpdepok.lid.workflow import CHECK_MANUAL, MACHINE, PUBLISH_MANUAL, SUBJECT
from ckanext.splpdepok.sop import model as events
from ckanext.splpdepok.sop.helpers import splpdepok_sop_label as sop_label

Result = dict[str, Any]


def _plan(data_dict: dict[str, Any], action: str, context: Context) -> Plan:
    plan = plans.get(str(data_dict.get("id") or ""))
    tk.check_access(action, context, {"id": plan.id})
    return plan


@tk.side_effect_free
@validate(schema.id_schema)
def plan_package(context: Context, data_dict: dict[str, Any]) -> Result:
    """The publication package of a plan, for manual entry in the SPLP publisher portal: per
    planned LID ready for SPLP its name, description, endpoint, attributes, output format,
    terbuka/terbatas, context, version, the WSO2 API payload the REST path sends and an
    OpenAPI 3.0 definition; ``sha256`` fingerprints the whole.

    :param id: the plan (id or IPPD domain)
    """
    plan = _plan(data_dict, "splpdepok_lid_plan_package", context)
    return manual.package(plan)


@tk.side_effect_free
@validate(schema.id_schema)
def plan_events(context: Context, data_dict: dict[str, Any]) -> Result:
    """The plan's SOP events (steps 11-18), oldest first, each with its translated label,
    actor, time (UTC, ISO 8601), note, measured time and data (the evidence of manual records).

    :param id: the plan (id or IPPD domain)
    """
    plan = _plan(data_dict, "splpdepok_lid_plan_show", context)
    found = []
    for event in events.for_subject(SUBJECT, plan.id):
        found.append(dict(event.dictize(), subject_id=plan.id,
                          label=sop_label(SUBJECT, event.transition, event.from_state)))
    return {"plan_id": plan.id, "ippd_domain": plan.ippd_domain, "events": found}


def _manual(context: Context, data_dict: dict[str, Any], action: str, name: str,
            note_required: bool) -> tuple[Plan, Any, Any, str]:
    plan = _plan(data_dict, action, context)
    note = str(data_dict.get("note") or "").strip()[:2000]
    if note_required and not note:
        raise tk.ValidationError({"note": [tk._("Say what failed in the note")]})
    locked, transition = plans.locked_or_done(plan.id, name)
    return locked, transition, actor(context), note


@validate(schema.manual_schema)
def publish_manual(context: Context, data_dict: dict[str, Any]) -> Result:
    """Record that the plan's LIDs were entered by hand in the SPLP publisher portal (SOP step
    15, manual path), with evidence. A second identical request records nothing.

    :param id: the plan (id or IPPD domain)
    :param evidence_upload: a document (PDF, DOCX or ODT), or
    :param evidence_url: a web address (e.g. the API's page in the SPLP portal)
    :param note: optional
    """
    plan, transition, user, note = _manual(context, data_dict, "splpdepok_lid_publish_manual",
                                           PUBLISH_MANUAL, False)
    if transition is not None:
        found = manual.evidence(plan, data_dict.get("evidence_upload"),
                                data_dict.get("evidence_url"))
        manual.publish(plan, transition, user, found, note)
        commit_unless_deferred(context)
    else:
        model.Session.rollback()
    return plans.plan_dict(plans.get(plan.id))


@validate(schema.manual_schema)
def check_manual(context: Context, data_dict: dict[str, Any]) -> Result:
    """Record the outcome of a connection check done by hand (SOP step 16, manual path), with
    evidence: ``passed`` records steps 17-18 and notifies the IPPD admin and the LID operators;
    ``failed`` (note required) sends the plan back to step 15. A second identical request
    records nothing.

    :param id: the plan (id or IPPD domain)
    :param outcome: ``passed`` or ``failed``
    :param evidence_upload: a document (PDF, DOCX or ODT), or
    :param evidence_url: a web address
    :param note: optional for ``passed``, required for ``failed``
    """
    outcome = str(data_dict.get("outcome") or "")
    if outcome not in CHECK_MANUAL:
        raise tk.ValidationError({"outcome": [tk._("Choose passed or failed")]})
    name = CHECK_MANUAL[outcome]
    plan, transition, user, note = _manual(context, data_dict, "splpdepok_lid_check_manual",
                                           name, MACHINE.find(name, "synced").note_required)
    if transition is None:
        model.Session.rollback()
        return plans.plan_dict(plans.get(plan.id))
    found = manual.evidence(plan, data_dict.get("evidence_upload"),
                            data_dict.get("evidence_url"))
    outbox = manual.check(plan, transition, user, found, note)
    commit_unless_deferred(context)
    if context.get("defer_commit"):
        cast(dict[str, Any], context).setdefault("splpdepok_outbox", []).extend(outbox)
    else:
        checking.deliver(outbox)
    return plans.plan_dict(plans.get(plan.id))
