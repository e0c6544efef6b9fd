"""Fixtures shared by every suite under tests/.

The Chromium fixtures live here, once: imported into several test modules, a session-scoped
Playwright fixture would be defined once per module and start a second browser inside the first
one's event loop.
"""
from tests.support.browser import browser, page  # noqa: F401
