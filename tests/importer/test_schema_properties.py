"""Property-based: whatever the import actions receive, validation answers with errors (a 409),
never an exception, and what it accepts is safe to use."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.importer.logic.schema import import_schema
from hypothesis import given, settings
from hypothesis import strategies as st

junk = st.one_of(st.text(max_size=120), st.integers(), st.floats(), st.none(), st.booleans(),
                 st.lists(st.text(max_size=5), max_size=3),
                 st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
                 st.from_regex(r"\Ahttps?://[a-z0-9.\-]{1,20}(:[0-9]{1,6})?(/\S{0,10})?\Z"),
                 st.just("http://x\x00y"), st.just("http://\ud800"))
KEYS = ("url", "credential_ref", "org_map", "unmapped", "other")


@given(st.dictionaries(st.sampled_from(KEYS), junk, max_size=len(KEYS)))
@settings(max_examples=400, deadline=None)
def test_import_schema_never_raises_and_accepts_only_safe_values(data: dict[str, Any]) -> None:
    result, errors = tk.navl_validate(dict(data), import_schema(), {})
    if errors:
        assert all(isinstance(v, list) and v for v in errors.values())
        return
    assert re.match(r"\Ahttps?://[!-~]+\Z", result["url"]), result["url"]
    assert result["unmapped"] in ("keep", "drop")
    for old, new in (result.get("org_map") or {}).items():
        assert re.match(r"\A[a-z0-9_-]{2,100}\Z", old) and re.match(r"\A[a-z0-9_-]{2,100}\Z",
                                                                      new)
    assert "other" not in result
