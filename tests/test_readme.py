"""The README stays true: every setting the extension declares is documented there."""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DECLARATION = ROOT / "ckanext-splpdepok/ckanext/splpdepok/config_declaration.yaml"


def declared_keys() -> list[str]:
    data = yaml.safe_load(DECLARATION.read_text())
    return [option["key"] for group in data["groups"] for option in group["options"]]


def test_every_declared_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = declared_keys()
    assert keys, "no settings declared?"
    missing = [key for key in keys if f"`{key}`" not in readme]
    assert not missing, f"document these settings in README.md: {missing}"


def test_readme_names_the_two_commands_in_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("scripts/portal up") < readme.index("scripts/test")
    ci = (ROOT / ".ci/run").read_text()
    assert "scripts/test" in ci
