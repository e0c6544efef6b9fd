"""The demo catalog (ckanext/splpdepok/demo/data) validates against the SDI schema."""
from __future__ import annotations

from ckan.tests.helpers import call_action
from ckanext.splpdepok.schemas import fields
from ckanext.splpdepok.sync.readiness import TARGET_TYPES, missing_fields

from tests.schema.plugin_config import SDI_SCHEMA_MARKS, load_demo_catalog

pytestmark = SDI_SCHEMA_MARKS


def test_every_demo_dataset_is_accepted_with_its_national_fields() -> None:
    created = load_demo_catalog()
    assert len(created) >= 40
    for pkg in created:
        shown = call_action("package_show", id=pkg["id"])
        assert shown["accessRights"] in fields.choices("accessRights")
        assert shown["accrualPeriodicity"] in fields.choices("accrualPeriodicity")
        assert shown["publisher_type"] == "daerah-kota"
        assert shown["satuan"] and shown["ukuran"] and shown["theme"]


def test_demo_datasets_are_ready_for_every_target() -> None:
    created = load_demo_catalog()
    shown = [call_action("package_show", id=pkg["id"]) for pkg in created]
    not_ready = {
        (pkg["name"], target): missing_fields(pkg, target)
        for pkg in shown
        for target in TARGET_TYPES
    }
    assert {key: gaps for key, gaps in not_ready.items() if gaps} == {}
