"""Temporary re-export: SOP events moved to ``sop.model`` (deleted once every import switched)."""
from ckanext.splpdepok.sop.model import (
    SopEvent,
    events_table,
    for_subject,
    measured_samples,
    record,
)

__all__ = ["SopEvent", "events_table", "for_subject", "measured_samples", "record"]
