"""Standing checks of the code base itself: lint-clean and files small enough to read."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
CHECKED = ("ckanext-splpdepok", "tests", "benchmarks", "scripts")


def _tracked_sources() -> list[Path]:
    files: list[Path] = []
    for top in CHECKED:
        for suffix in ("*.py", "*.html", "*.js"):
            files.extend((ROOT / top).rglob(suffix))
    return [f for f in files if "__pycache__" not in f.parts]


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *CHECKED, "setup.py"],
        cwd=ROOT,
        capture_output=True,
        text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_source_file_is_over_the_size_limit() -> None:
    too_long = {
        str(f.relative_to(ROOT)): n
        for f in _tracked_sources()
        if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these by responsibility: {too_long}"


def test_every_pin_is_exact() -> None:
    for name in ("requirements.txt", "requirements-test.txt"):
        for line in (ROOT / name).read_text().splitlines():
            entry = line.strip()
            if entry and not entry.startswith(("#", "-r")):
                assert "==" in entry, f"{name}: '{entry}' is not pinned"
