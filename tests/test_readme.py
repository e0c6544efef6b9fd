"""The README stays true: every setting the extension declares is documented there."""
from __future__ import annotations

import re
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


# --- the Layout tree --------------------------------------------------------------------------

PKG_PATH = "ckanext-splpdepok/ckanext/splpdepok"
CAPABILITIES = ("registration", "lid", "sync", "notify", "sop", "importer")
SHAPE_NAMES = ("capability.py", "logic/", "action.py", "auth.py", "schema.py", "validators.py",
               "model.py", "model/", "views.py", "cli.py", "helpers.py", "jobs.py")


def layout_block() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```\n(.*?)\n```", section, re.S)
    assert match, "README's Layout section has no tree"
    return match.group(1).splitlines()


def _names(line: str) -> list[str]:
    """The file and folder names a tree line starts with (before its description)."""
    head = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
    return [t for t in re.split(r"[\s,]+", head) if t and t != "or"]


def layout_entries() -> tuple[list[str], list[str]]:
    """(paths named by the tree, relative to the checkout; the lines under ``<capability>/``)."""
    stack: list[tuple[int, str | None]] = []  # (indent, folder), None: not a real folder
    paths: list[str] = []
    shape: list[str] = []
    for line in layout_block():
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        names = _names(line)
        if parent is None:
            shape.append(line)
            continue
        folders: list[str | None] = []
        for name in names:
            if "<" in name:  # a placeholder: migration/<plugin>/, <capability>/, <other>.py
                real = name.split("<", 1)[0]
                if real:
                    paths.append(f"{parent}{real}")
                if name.endswith("/"):
                    folders.append(None)
                continue
            paths.append(f"{parent}{name}")
            if name.endswith("/"):
                folders.append(f"{parent}{name}")
        if len(folders) == 1:
            stack.append((indent, folders[0]))
    return paths, shape


def _with_parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def test_every_path_in_the_layout_tree_exists() -> None:
    paths, _shape = layout_entries()
    missing = [p for p in paths if not (ROOT / p).exists()]
    assert not missing, f"README's Layout tree names what the checkout lacks: {missing}"


def test_the_layout_tree_names_every_folder_of_the_package_and_every_common_module() -> None:
    paths, _shape = layout_entries()
    named = {parent for p in paths for parent in _with_parents(p.rstrip("/"))}
    package = ROOT / PKG_PATH
    wanted = [f"{PKG_PATH}/{d.name}" for d in package.iterdir()
              if d.is_dir() and d.name != "__pycache__"]
    wanted += [f"{PKG_PATH}/{f.name}" for f in package.glob("*.py") if f.name != "__init__.py"]
    wanted += [f"{PKG_PATH}/common/{f.name}" for f in (package / "common").glob("*.py")
               if f.name != "__init__.py"]
    wanted += [f"{PKG_PATH}/{name}" for name in CAPABILITIES]
    wanted += [d.name for d in ROOT.iterdir()
               if d.is_dir() and not d.name.startswith(".") and d.name != "__pycache__"
               and not d.name.endswith(".egg-info")]
    unnamed = sorted(set(wanted) - named)
    assert not unnamed, f"name these in README's Layout tree: {unnamed}"


def test_the_layout_tree_shows_the_capability_shape() -> None:
    _paths, shape = layout_entries()
    words = set(re.findall(r"[\w<>]+(?:\.py|/)", "\n".join(shape)))
    missing = [name for name in SHAPE_NAMES if name not in words]
    assert not missing, f"README's <capability>/ shape lacks {missing}"
