"""TEMPORARY re-export for lid/ until it imports ``registration.logic.documents`` (issue 11
merge). Delete at merge."""
from ckanext.splpdepok.registration.logic.documents import CheckedUpload, check_upload

__all__ = ["CheckedUpload", "check_upload"]
