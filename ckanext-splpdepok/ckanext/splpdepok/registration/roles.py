"""TEMPORARY re-export for lid/ and sync/ until they import the new paths (issue 11 merge):
``common.roles`` (is_walidata, user_obj) and ``registration.logic.auth``. Delete at merge."""
from ckanext.splpdepok.common.roles import is_walidata, user_obj, walidata_org
from ckanext.splpdepok.registration.logic.auth import administered_domains

__all__ = ["administered_domains", "is_walidata", "user_obj", "walidata_org"]
