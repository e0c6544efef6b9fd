"""Shared bits of the registration pages: contexts, error rendering, document download."""
from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from ckanext.splpdepok.registration import documents
from ckanext.splpdepok.registration.model import Document
from flask import send_file

FORM_FIELDS = ("kind", "ippd_domain", "ippd_name", "username", "full_name", "email",
               "organization", "new_organization", "phone", "note", "version")


def context() -> Context:
    user = tk.current_user
    return {"user": user.name if user.is_authenticated else "",
            "auth_user_obj": user if user.is_authenticated else None}


def form_data() -> dict[str, Any]:
    """Posted fields plus the uploaded files, in the shape the actions take."""
    data: dict[str, Any] = {k: v for k, v in tk.request.form.items()
                            if k in FORM_FIELDS and v != ""}
    if "version" in data:
        try:
            data["version"] = int(data["version"][:10])
        except ValueError:
            data.pop("version")
    for field in documents.UPLOAD_FIELDS.values():
        upload = tk.request.files.get(field)
        if upload is not None and upload.filename:
            data[field] = upload
    return data


def error_messages(error: tk.ValidationError) -> dict[str, list[Any]]:
    errors = error.error_dict if isinstance(error.error_dict, dict) else {}
    return {k: v if isinstance(v, list) else [str(v)] for k, v in errors.items()}


def download(registration_id: str, document_id: str) -> Any:
    """Serves a document to the applicant and the reviewers only, always as an attachment."""
    try:
        tk.check_access("splpdepok_registration_show", context(), {"id": registration_id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this registration"))
    doc = Document.get(document_id)
    if doc is None or doc.registration_id != registration_id:
        return tk.abort(404, tk._("Document not found"))
    path = documents.path_of(doc)
    if not os.path.isfile(path):
        return tk.abort(404, tk._("Document not found"))
    response = send_file(path, mimetype=doc.mimetype, as_attachment=True,
                         download_name=doc.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
