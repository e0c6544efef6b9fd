"""Count the searches CKAN runs: every SELECT on the search index table (the PostgreSQL search
backend runs one statement per search), on CKAN's engine in this process."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

INDEX_TABLE = "splpdepok_search_index"


@contextmanager
def counting_index_selects() -> Iterator[list[str]]:
    """The SELECT statements on the search index table run inside the block (a list that
    grows while the block runs)."""
    from ckan import model
    from sqlalchemy import event

    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        text = statement.lstrip().lower()
        if INDEX_TABLE in text and text.startswith(("select", "with")):
            seen.append(statement)

    engine = model.meta.engine
    assert engine is not None, "CKAN's engine is not configured"
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
