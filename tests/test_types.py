"""The type gate: pyright, in the mode pyproject.toml sets (standard), finds no error.

It checks what pyproject.toml's ``[tool.pyright] include`` names: the extension package, the
tests and the benchmarks. pyright runs on Node.js; ``scripts/test`` installs Debian's ``nodejs``
when it is missing and fetches the pinned pyright beforehand (``ensure_pyright`` in
scripts/lib.sh), so this test does not download anything on a prepared machine.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["ckanext-splpdepok", "tests", "benchmarks"]
PYRIGHT = Path(sys.executable).with_name("pyright")


def _pyright_section() -> str:
    # tomllib is Python 3.11+; the README promises 3.10, and this section is two plain lines.
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[tool\.pyright\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert section, "pyproject.toml has no [tool.pyright] section"
    return section.group(1)


def test_the_gate_covers_package_tests_and_benchmarks_in_standard_mode() -> None:
    section = _pyright_section()
    include = re.search(r"^include = \[(.*)\]$", section, re.M)
    assert include, "[tool.pyright] names no include list"
    assert re.findall(r'"([^"]+)"', include.group(1)) == CHECKED
    assert re.search(r'^typeCheckingMode = "standard"$', section, re.M), section


def _error_lines(report: dict[str, object]) -> list[str]:
    diagnostics = report.get("generalDiagnostics", [])
    assert isinstance(diagnostics, list)
    lines = []
    for item in diagnostics:
        if item.get("severity") != "error":
            continue
        where = Path(item.get("file", "?"))
        if where.is_absolute() and where.is_relative_to(ROOT):
            where = where.relative_to(ROOT)
        start = item.get("range", {}).get("start", {})
        message = " ".join(str(item.get("message", "")).split())
        rule = f" [{item['rule']}]" if item.get("rule") else ""
        lines.append(
            f"{where}:{start.get('line', -1) + 1}:{start.get('character', -1) + 1}: "
            f"{message}{rule}"
        )
    return sorted(lines)


def test_pyright_finds_no_error() -> None:
    assert PYRIGHT.exists(), f"{PYRIGHT} missing: install requirements-test.txt (scripts/test does)"
    env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"}
    result = subprocess.run(
        [str(PYRIGHT), "--outputjson", "--project", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(
            f"pyright did not run (exit {result.returncode}); is Node.js installed "
            f"(scripts/test installs it)?\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        ) from None
    errors = _error_lines(report)
    summary = report.get("summary", {})
    assert not errors, (
        f"pyright (standard mode) found {len(errors)} error(s) in {summary.get('filesAnalyzed')} "
        "files; fix the causes (a narrow, commented ignore only where CKAN's own typing is "
        "wrong):\n" + "\n".join(errors)
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
