"""Temporary re-export: moved to ``sop.logic.standards`` (deleted once every import switched)."""
from ckanext.splpdepok.sop.logic.standards import (
    all_standards,
    calendar,
    standard_minutes,
    standard_text,
)

__all__ = ["all_standards", "calendar", "standard_minutes", "standard_text"]
