"""Fixtures of the sop tests: the LID suite's people, plan helpers and SPLP double (the whole
SOP path 1-18 runs through registrations and a connection plan)."""
from __future__ import annotations

from tests.lid.conftest import (  # noqa: F401  (fixtures used by tests/sop)
    lid_db,
    lid_people,
    mail_to_test_smtp,
    smtp_server,
    splp_double,
    splp_portal,
)
