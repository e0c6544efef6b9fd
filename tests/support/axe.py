"""axe-core (the npm package) in Playwright pages: install it once, inject it, run it.

The package is installed with npm into ``.run/axe-core-<version>/`` (or ``$SPLPDEPOK_AXE_DIR``)
the first time a test asks for it: ``npm install`` of a pinned version, with install scripts
off, so no browser or other binary is downloaded. Use from a test module::

    from tests.support.axe import axe_script  # noqa: F401

    def test_page(page, axe_script):
        page.goto(url)
        result = run_axe(page, axe_script)
        assert not result.blocking, result.describe()
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

ROOT = Path(os.environ.get("SPLPDEPOK_ROOT") or Path(__file__).resolve().parents[2])
AXE_VERSION = "4.10.3"
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = frozenset({"critical", "serious"})


def axe_dir() -> Path:
    """Where the pinned axe-core is installed (an npm prefix)."""
    configured = os.environ.get("SPLPDEPOK_AXE_DIR")
    return Path(configured) if configured else ROOT / f".run/axe-core-{AXE_VERSION}"


def _installed_script(prefix: Path) -> Path | None:
    package = prefix / "node_modules/axe-core"
    try:
        version = json.loads((package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None
    script = package / "axe.min.js"
    return script if version == AXE_VERSION and script.is_file() else None


def ensure_axe(prefix: Path | None = None) -> Path:
    """The path of ``axe.min.js`` of the pinned axe-core, installing it with npm if missing.

    The install goes to a temporary prefix beside the target, which is then moved into place,
    so an interrupted install never leaves a half-written package behind.
    """
    prefix = prefix or axe_dir()
    found = _installed_script(prefix)
    if found is not None:
        return found
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is missing: install Debian's nodejs and npm (scripts/lib.sh does)")
    prefix.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=prefix.name + ".", dir=prefix.parent))
    try:
        done = subprocess.run(
            [npm, "install", "--prefix", str(staging), "--no-save", "--no-audit", "--no-fund",
             "--ignore-scripts", "--loglevel=error", f"axe-core@{AXE_VERSION}"],
            capture_output=True, text=True, timeout=300, check=False, stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0 or _installed_script(staging) is None:
            raise RuntimeError(
                f"npm install axe-core@{AXE_VERSION} failed ({done.returncode}):\n"
                f"{done.stdout}\n{done.stderr}"
            )
        if prefix.exists():
            shutil.rmtree(prefix)
        staging.rename(prefix)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    found = _installed_script(prefix)
    assert found is not None
    return found


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """``axe.min.js`` of the pinned axe-core (installed on first use)."""
    return ensure_axe()


@dataclass
class AxeResult:
    """The violations axe-core found on one page."""

    url: str
    violations: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Violated nodes per impact (every impact named, zeros included)."""
        tally: Counter[str] = Counter()
        for violation in self.violations:
            tally[violation.get("impact") or "minor"] += len(violation["nodes"])
        return {impact: tally.get(impact, 0) for impact in IMPACTS}

    @property
    def blocking(self) -> list[dict[str, Any]]:
        """The serious and critical violations."""
        return [v for v in self.violations if v.get("impact") in BLOCKING]

    def describe(self, only_blocking: bool = False) -> str:
        """One line per violation: impact, rule, help and the first selectors."""
        lines = [f"axe {self.url}: {self.counts()}"]
        for violation in self.blocking if only_blocking else self.violations:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            lines.append(
                f"  [{violation.get('impact')}] {violation['id']}: {violation['help']} "
                f"({len(violation['nodes'])}): {targets}"
            )
        return "\n".join(lines)


RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300),
                              summary: n.failureSummary}))
  }));
}"""


def run_axe(page: Page, script: Path) -> AxeResult:
    """Inject axe-core into the page (once per document) and run every default rule."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    return AxeResult(url=page.url, violations=page.evaluate(RUN_AXE))
