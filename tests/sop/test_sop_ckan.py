"""The SOP settings, the ``splpdepok_sop_steps`` action and the label helper inside CKAN."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.config.declaration import Declaration, Key
from ckan.tests import factories, helpers
from ckanext.splpdepok import config, registry
from ckanext.splpdepok.notify import model as notices
from ckanext.splpdepok.sop import helpers as sop_helpers
from ckanext.splpdepok.sop.logic import standards
from ckanext.splpdepok.sop.steps import STEPS


def test_declared_defaults_are_the_standards_of_steps_py() -> None:
    declaration = Declaration()
    registry.config_declarations(declaration, Key())
    for number, step in STEPS.items():
        option = declaration.get(standards.option_key(number))
        assert option is not None and option.default == step.default_standard, number
    # the other SOP settings still come from config_declaration.yaml
    minutes = declaration.get("ckanext.splpdepok.sop.session_minutes")
    assert minutes is not None and minutes.default == 480


@pytest.mark.usefixtures("with_plugins")
def test_configured_standards_default_to_steps_py() -> None:
    for number, step in STEPS.items():
        assert config.sop_step_standard(number) == step.default_standard


@pytest.mark.ckan_config("ckanext.splpdepok.sop.step_3.standard", "2 session")
@pytest.mark.ckan_config("ckanext.splpdepok.sop.step_4.standard", "45 min")
@pytest.mark.usefixtures("with_plugins")
def test_an_ini_setting_overrides_a_standard() -> None:
    assert config.sop_step_standard(3) == "2 session"
    assert standards.standard_minutes(3) == 960
    assert standards.standard_minutes(4) == 45
    assert standards.standard_minutes(5) == 20


@pytest.mark.usefixtures("with_plugins", "with_request_context")
def test_sop_steps_action_is_public_and_reads_the_table() -> None:
    anonymous: Any = {"user": "", "ignore_auth": False}
    result = helpers.call_action("splpdepok_sop_steps", context=anonymous)
    assert [s["number"] for s in result["steps"]] == list(range(1, 19))
    assert result["subject_types"] == ["registration", "lid_plan"]
    step3 = result["steps"][2]
    assert step3["standard"] == {"text": "1 session", "minutes": 480.0}
    approve = next(t for t in step3["transitions"]["registration"] if t["name"] == "approve")
    assert approve["follow_ups"] == ["approve:provision"] and approve["may"] == ["reviewer"]
    only = helpers.call_action("splpdepok_sop_steps", context=anonymous, step="16",
                               subject_type="lid_plan")
    assert [s["number"] for s in only["steps"]] == [16]
    assert list(only["steps"][0]["transitions"]) == ["lid_plan"]
    for bad in ({"step": "19"}, {"step": "x"}, {"subject_type": "nothing"}):
        with pytest.raises(tk.ValidationError):
            helpers.call_action("splpdepok_sop_steps", context=anonymous, **bad)


@pytest.mark.usefixtures("with_plugins")
def test_sop_steps_over_the_api(app: Any) -> None:
    response = app.get("/api/3/action/splpdepok_sop_steps?step=11")
    assert response.status_code == 200
    assert response.json["result"]["steps"][0]["actor"] == "lid_operator"


@pytest.mark.usefixtures("with_plugins", "with_request_context")
def test_label_helper_reads_the_table() -> None:
    label = sop_helpers.splpdepok_sop_label
    assert label("registration", "update", "returned", "ippd") == "Returned registration edited"
    assert label("lid_plan", "check_pass") == "Connection check passed"
    assert label("nothing", "approve") == "approve"
    assert sop_helpers.splpdepok_sop_actor_label("splp") == "SPLP (national)"
    assert sop_helpers.splpdepok_sop_activity_label(99) == ""
    assert "splpdepok_sop_label" in tk.h


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_notice_list_pages_with_the_common_rule() -> None:
    user = factories.User()
    for number in range(3):
        notices.add(user["id"], f"subject {number}", "body")
    from ckan import model

    model.repo.commit()
    mine: Any = {"user": user["name"], "ignore_auth": False}
    assert len(helpers.call_action("splpdepok_notice_list", context=mine)) == 3
    first = helpers.call_action("splpdepok_notice_list", context=mine, limit=2)
    rest = helpers.call_action("splpdepok_notice_list", context=mine, limit=2, offset=2)
    assert len(first) == 2 and len(rest) == 1
    assert {n["id"] for n in first}.isdisjoint({n["id"] for n in rest})
    with pytest.raises(tk.ValidationError):
        helpers.call_action("splpdepok_notice_list", context=mine, limit=101)
    marked = helpers.call_action("splpdepok_notice_mark_read", context=mine)
    assert marked == {"marked": 3}
    assert helpers.call_action("splpdepok_notice_list", context=mine, unread_only=True) == []
