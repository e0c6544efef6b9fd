"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

Import the fixtures into a test module::

    from tests.support.browser import browser, page  # noqa: F401

``page`` is a fresh browser context per test (no shared cookies); when the test fails, a
full-page screenshot goes to ``.run/screenshots/<test name>.png``. Playwright never downloads
a browser here: the executable is ``$SPLPDEPOK_CHROMIUM`` (default /usr/bin/chromium).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(os.environ.get("SPLPDEPOK_ROOT") or Path(__file__).resolve().parents[2])
SCREENSHOTS = ROOT / ".run/screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    return os.environ.get("SPLPDEPOK_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def screenshot_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150] + ".png"


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(20_000)
    new_page = context.new_page()
    failed_before = request.session.testsfailed
    yield new_page
    # The call phase has been reported by now, so a failure of this test is already counted.
    if request.session.testsfailed > failed_before:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # A dead page must not hide the test's own failure.
        with contextlib.suppress(Exception):
            new_page.screenshot(
                path=str(SCREENSHOTS / screenshot_name(request.node.nodeid)), full_page=True
            )
    context.close()


def login(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through CKAN's login form (CSRF token included by the form itself)."""
    page.goto(f"{base_url}/user/login")
    page.fill("#field-login", username)
    page.fill("#field-password", password)
    page.locator("form:has(#field-login) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
