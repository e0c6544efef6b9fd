"""Schemas of the notice actions (``ckan.logic.schema.validator_args`` style)."""
from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args
from ckanext.splpdepok.common.schema import paging
from ckanext.splpdepok.notify.model import NOTICE_PAGE

Schema = dict[str, Any]


@validator_args
def list_schema(default: Any, splpdepok_bool: Any) -> Schema:
    """``unread_only`` and one page (``limit`` up to the common maximum, ``offset``)."""
    return {"unread_only": [default(False), splpdepok_bool], **paging(NOTICE_PAGE)}


@validator_args
def mark_read_schema(ignore_missing: Any, splpdepok_text_list: Any) -> Schema:
    return {"ids": [ignore_missing, splpdepok_text_list(1000, 100)]}
