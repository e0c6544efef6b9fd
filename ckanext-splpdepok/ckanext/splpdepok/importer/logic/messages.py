"""The import report's messages (English msgids, Indonesian in i18n/.../parts/importer.po)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.splpdepok.importer import mapping, planner


def reason(code: str | None, detail: str = "") -> str:
    texts = {
        planner.NO_ORGANIZATION: tk._(
            "The dataset has no organization on the old portal: give it one there (or in the "
            "organization map) and run the import again."),
        planner.ORG_MISSING: tk._(
            "Organization '{detail}' is not available here: create it or correct the "
            "organization map, then run the import again."),
        planner.NOT_DATASET: tk._("Type '{detail}' is not a dataset: not imported."),
        planner.NOT_ACTIVE: tk._("A draft or deleted on the old portal: not imported."),
        planner.BAD_NAME: tk._("'{detail}' is not a valid name here: not imported."),
        planner.NAME_TAKEN: tk._(
            "Another dataset here already has this name: left untouched (the import keeps "
            "names and ids as they are)."),
        planner.DELETED_HERE: tk._(
            "This dataset was deleted here: purge or restore it, then run the import again."),
        planner.NOT_IMPORTED: tk._(
            "A dataset with this id exists here but was not created by the import: left "
            "untouched."),
        planner.EDITED_HERE: tk._(
            "Edited here since the last import: not overwritten."),
    }
    return texts.get(code or "", code or "").format(detail=detail)


def invalid(errors: dict[str, Any]) -> str:
    parts = []
    for key, value in sorted(errors.items()):
        text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{key}: {text}")
    return tk._(
        "Not imported: it does not pass this portal's dataset schema ({errors}). Correct it "
        "on the old portal and run the import again.").format(errors=" | ".join(parts))


def failed(error: str) -> str:
    return tk._("Not imported: {error}").format(error=error)


def unmapped(row: mapping.Unmapped) -> str:
    if row.reason == mapping.BAD_VALUE:
        text = tk._("The value is not one of this field's choices")
    elif row.reason == mapping.RESERVED:
        text = tk._("The key is a core CKAN field and cannot be an extra")
    else:
        text = tk._("No field of the SDI schema")
    if row.kept_as:
        return tk._("{text}: kept as extra '{kept}'.").format(text=text, kept=row.kept_as)
    return tk._("{text}: dropped.").format(text=text)


def uploads(count: int) -> str:
    return tk._(
        "{count} resource(s) are files uploaded to the old portal: their addresses point at "
        "the old server, copy the files before the address moves.").format(count=count)


def source_error(error: str) -> str:
    return tk._("The old portal could not be read: {error}").format(error=error)
