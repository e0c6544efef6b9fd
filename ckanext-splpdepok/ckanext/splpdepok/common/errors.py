"""Errors the API maps to HTTP statuses."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


class Conflict(tk.ValidationError):
    """Someone else changed the record first, or the record's state forbids the change now.

    A ``ValidationError`` whose only key is ``conflict``: CKAN's action API answers 409 for it,
    pages show the message.
    """

    def __init__(self, message: str) -> None:
        super().__init__({"conflict": [message]}, error_summary={"Conflict": message})
