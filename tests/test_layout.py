"""The package keeps the shape the README's "Layout" section describes.

Each capability folder has the same files; everything in it that is not CKAN-facing by name is
pure (no ckan, ckanext, flask or sqlalchemy import, directly or through another module of the
package); ``demo/``, ``security/`` and ``schemas/`` use the same names where they apply;
``common/``'s pure modules stay pure; ``search/`` is a plugin of its own whose modules are
classified below. Imports are read with ``ast``, nothing is imported.
"""
from __future__ import annotations

import ast
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "ckanext-splpdepok/ckanext/splpdepok"
PKG_NAME = "ckanext.splpdepok"

CAPABILITIES = ("registration", "lid", "sync", "notify", "sop", "importer")
REQUIRED = (
    "capability.py", "logic/__init__.py", "logic/action.py", "logic/auth.py", "logic/schema.py",
    "logic/validators.py",
)
# Pages live in views.py and commands in cli.py, and a capability has the module exactly when its
# capability.py contributes them (``blueprints()``, ``cli_commands()``): no empty files.
WHERE_DEFINED = {"views.py": "blueprints", "cli.py": "cli_commands"}
# Top-level names inside a capability folder that may talk to CKAN; everything else is pure.
CKAN_FACING = {"capability.py", "cli.py", "views.py", "helpers.py", "jobs.py", "model.py",
               "model", "logic"}
FORBIDDEN = ("ckan", "ckanext", "flask", "sqlalchemy")

# demo/, security/, schemas/: the standard names where they apply; any other module must be pure
# or be listed here with the reason it talks to CKAN.
SUPPORT_FOLDERS = ("demo", "security", "schemas")
NOT_PURE_ALLOWED = {
    # a ckanext-dcat RDF profile: subclasses ckanext.dcat.profiles.RDFProfile
    "schemas/dcat_profile.py",
    # chained package_show/package_search/dcat_datasets_list actions and the /skema-sdi
    # blueprint around the pure national_output.py (named by the README and tests/sync)
    "schemas/harvest_api.py",
}
COMMON_PURE = ("clock.py", "ids.py", "text.py", "paging.py", "progress.py")

# search/ is the separate ``splpdepok_search`` plugin (PostgreSQL instead of Solr), with its own
# structure: every module is listed with its role, and the pure ones are checked.
SEARCH_MODULES = {
    "__init__.py": "pure",
    "plugin.py": "the plugin (IConfigurer, IConfigurable, IActions)",
    "actions.py": "the package_search action wrapper",
    "backend.py": "installs the connection in place of CKAN's Solr one",
    "connection.py": "the Solr-connection replacement (reads and writes the index table)",
    "settings.py": "reads the text-search configuration from config.py",
    "table.py": "the index table (SQLAlchemy Core)",
    "sql.py": "Lucene query tree -> SQLAlchemy expressions",
    "statement.py": "search request -> one SQL statement",
    "lucene.py": "pure",
    "params.py": "pure",
    "fields.py": "pure",
    "documents.py": "pure",
}


def _rel(path: Path) -> str:
    return path.relative_to(PKG).as_posix()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PKG_NAME, *parts])


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import that runs (module level or inside functions), not ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@cache
def _imports(module: str) -> frozenset[str]:
    """Absolute names the module imports (for ``from a import b``: ``a`` and ``a.b``)."""
    path = _modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        else:
            base = _absolute(node, module, path.name == "__init__.py")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(names)


def _why_impure(module: str, seen: frozenset[str] = frozenset()) -> str | None:
    """None if pure, else the import chain that reaches a forbidden package."""
    ours = _modules()
    for name in sorted(_imports(module)):
        if name == PKG_NAME or name.startswith(PKG_NAME + "."):
            for dependency in _with_parents(name):
                if dependency in ours and dependency not in seen and dependency != module:
                    chain = _why_impure(dependency, seen | {module})
                    if chain:
                        return f"{dependency} -> {chain}"
        elif name.split(".")[0] in FORBIDDEN and name != "ckanext":
            return name
    return None


def _pure_problems(paths: list[Path]) -> list[str]:
    problems = []
    for path in paths:
        chain = _why_impure(_module_name(path))
        if chain:
            problems.append(f"{_rel(path)} imports {chain}")
    return problems


def _sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_capability_has_the_standard_files(capability: str) -> None:
    folder = PKG / capability
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if not (folder / "model.py").is_file() and not (folder / "model").is_dir():
        missing.append("model.py or model/")
    assert not missing, (
        f"{capability}/ lacks {missing}: every capability has capability.py, logic/{{action, "
        "auth, schema, validators}.py, model.py or model/ (README, Layout)"
    )


def _top_level_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_views_and_cli_modules_exist_exactly_when_the_capability_adds_them(
    capability: str,
) -> None:
    hooks = _top_level_functions(PKG / capability / "capability.py")
    for module, hook in WHERE_DEFINED.items():
        exists = (PKG / capability / module).is_file()
        assert exists == (hook in hooks), (
            f"{capability}/: {module} {'exists' if exists else 'is missing'} but capability.py "
            f"{'does not define' if exists else 'defines'} {hook}() — pages go in views.py, "
            "commands in cli.py, registered by capability.py"
        )


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_blueprints_only_in_views_and_commands_only_in_cli(capability: str) -> None:
    misplaced = []
    for path in _sources(PKG / capability):
        text = path.read_text(encoding="utf-8")
        if path.name != "views.py" and re.search(r"\bBlueprint\(", text):
            misplaced.append(f"{_rel(path)} makes a Blueprint (pages belong in views.py)")
        if path.name != "cli.py" and re.search(r"@click\.(command|group)\b|\.command\(", text):
            misplaced.append(f"{_rel(path)} defines click commands (they belong in cli.py)")
    assert not misplaced, "\n".join(misplaced)


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_a_model_folder_holds_one_class_per_file(capability: str) -> None:
    folder = PKG / capability / "model"
    crowded = {}
    for path in _sources(folder) if folder.is_dir() else []:
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        if len(classes) > 1:
            crowded[_rel(path)] = classes
    assert not crowded, f"model/ is one class per file; split: {crowded}"


def _capability_pure_modules(capability: str) -> list[Path]:
    folder = PKG / capability
    return [p for p in _sources(folder)
            if p.relative_to(folder).parts[0] not in CKAN_FACING]


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_capability_modules_outside_the_ckan_facing_names_are_pure(capability: str) -> None:
    problems = _pure_problems(_capability_pure_modules(capability))
    assert not problems, (
        f"these {capability}/ modules must not import {', '.join(FORBIDDEN)} (other than pure "
        f"{PKG_NAME} modules): move the CKAN-facing code to {sorted(CKAN_FACING)} or make "
        "them pure:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("folder", SUPPORT_FOLDERS)
def test_support_folders_are_pure_outside_standard_names_and_the_allowlist(folder: str) -> None:
    candidates = [p for p in _capability_pure_modules(folder) if _rel(p) not in NOT_PURE_ALLOWED]
    problems = _pure_problems(candidates)
    assert not problems, (
        f"{folder}/: use a standard name ({sorted(CKAN_FACING)}), make these pure, or list them "
        "with a reason in NOT_PURE_ALLOWED:\n" + "\n".join(problems)
    )


def test_the_allowlist_names_existing_modules_only() -> None:
    stale = [name for name in NOT_PURE_ALLOWED if not (PKG / name).is_file()]
    assert not stale, f"drop these from NOT_PURE_ALLOWED (no such module): {stale}"


def test_security_validators_live_in_logic() -> None:
    assert (PKG / "security/logic/validators.py").is_file()


def test_common_pure_modules_are_pure() -> None:
    paths = [PKG / "common" / name for name in COMMON_PURE]
    missing = [_rel(p) for p in paths if not p.is_file()]
    assert not missing, f"common/ lost {missing}"
    problems = _pure_problems(paths)
    assert not problems, "common/'s pure modules must stay pure:\n" + "\n".join(problems)


def test_search_plugin_modules_are_classified_and_the_pure_ones_are_pure() -> None:
    present = {_rel(p).removeprefix("search/") for p in _sources(PKG / "search")}
    assert present == set(SEARCH_MODULES), (
        f"classify search/ modules in SEARCH_MODULES: new {sorted(present - set(SEARCH_MODULES))}"
        f", gone {sorted(set(SEARCH_MODULES) - present)}"
    )
    pure = [PKG / "search" / name for name, role in SEARCH_MODULES.items() if role == "pure"]
    problems = _pure_problems(pure)
    assert not problems, "search/'s pure modules must stay pure:\n" + "\n".join(problems)


def test_the_purity_check_sees_indirect_imports() -> None:
    """The check itself: a CKAN-facing module is impure, a pure one that imports it is too."""
    assert _why_impure(f"{PKG_NAME}.common.clock") is None
    assert _why_impure(f"{PKG_NAME}.common.context")
    assert _why_impure(f"{PKG_NAME}.search.statement") == (
        f"{PKG_NAME}.search.sql -> {PKG_NAME}.search.table -> sqlalchemy")


# --- paths -------------------------------------------------------------------------------------

# The names are assembled from parts so that this file, which only looks for such paths, does
# not itself contain one (nothing here reads outside the checkout).
_SIBLING = "/".join(("..", "sha" + "red"))  # the workplace folder beside the checkout
_MACHINE = "/" + "wo" + "rk" + "/"  # this machine's work folder
OUTSIDE = (re.escape(_SIBLING) + "|" + re.escape(_MACHINE)
           + r"|(^|[^A-Za-z0-9_.~-])/(home|root|Users)/[A-Za-z0-9_.-]")


def test_no_tracked_file_points_outside_the_checkout() -> None:
    result = subprocess.run(
        ["git", "grep", "-nIE", OUTSIDE, "--", ".", ":(exclude)tests/test_layout.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: nothing found
    assert not result.stdout, (
        f"these tracked lines name a path outside the checkout ({_SIBLING}, {_MACHINE}, a home "
        "folder); use a path relative to the checkout:\n" + result.stdout
    )


def test_the_path_pattern_catches_what_it_should() -> None:
    pattern = re.compile(OUTSIDE)
    for bad in (f"{_SIBLING}/x", f"{_MACHINE}main/x", "open('/home/ali/x')", "/root/.cache"):
        assert pattern.search(bad), bad
    for good in ("templates/home/index.html", "https://x.test/home/", "~/home/x"):
        assert not pattern.search(good), good
