"""Registration documents: type checked by content, size-limited, stored outside the public tree.

Files live under ``ckan.storage_path``/splpdepok/registrations/<registration id>/<document id>
(never under a public directory) and are only served through the auth-checked download view.
Every upload stays on disk as evidence: a replaced document is marked superseded by the new one
(``superseded_by``, ``superseded_at``), the current one of a kind is the one not superseded.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import IO, Any

import ckan.plugins.toolkit as tk
import magic
from ckan import model
from ckanext.splpdepok import config
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.common.ids import new_id
from ckanext.splpdepok.registration.model import Document

ALLOWED: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
}
UPLOAD_FIELDS = {"letter": "letter_upload", "kajian": "kajian_upload"}


@dataclass
class CheckedUpload:
    kind: str
    filename: str
    mimetype: str
    content: bytes


def _stream(upload: Any) -> tuple[str, IO[bytes]] | None:
    """(filename, stream) of a werkzeug FileStorage / cgi FieldStorage, None when empty."""
    if upload is None or isinstance(upload, str | bytes) or upload is tk.missing:
        return None
    filename = getattr(upload, "filename", None)
    stream = getattr(upload, "stream", None) or getattr(upload, "file", None)
    if not filename or stream is None:
        return None
    return os.path.basename(str(filename).replace("\\", "/")), stream


def check_upload(kind: str, upload: Any, max_bytes: int | None = None) -> CheckedUpload | None:
    """Reads and checks one upload; raises ValueError with a user-facing msgid."""
    found = _stream(upload)
    if found is None:
        if isinstance(upload, str) and upload.strip():
            raise ValueError("Upload a file (PDF, DOCX or ODT)")
        return None
    filename, stream = found
    if any(ch == "\x00" or "\ud800" <= ch <= "\udfff" for ch in filename):
        raise ValueError("The file name contains invalid characters")
    limit = max_bytes if max_bytes is not None else config.registration_max_document_bytes()
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise ValueError("The file is too large")
    if not content:
        raise ValueError("The file is empty")
    mimetype = magic.from_buffer(content[:65536], mime=True)
    extensions = ALLOWED.get(mimetype)
    if extensions is None:
        raise ValueError("Only PDF, DOCX and ODT documents are accepted")
    if not filename.lower().endswith(extensions):
        raise ValueError("The file name does not match its content (PDF, DOCX or ODT)")
    return CheckedUpload(kind, filename[:200], mimetype, content)


def _directory(registration_id: str) -> str:
    root = tk.config.get("ckan.storage_path")
    if not root:
        raise RuntimeError("ckan.storage_path is not set: registration documents need it")
    return os.path.join(root, "splpdepok", "registrations", registration_id)


def path_of(document: Document) -> str:
    return os.path.join(_directory(document.registration_id), document.id)


def store(registration_id: str, upload: CheckedUpload, user_id: str,
          replaces: Document | None = None) -> Document:
    """Writes the file and adds its metadata row to the caller's transaction; the document it
    ``replaces`` (the current one of its kind) stays, marked superseded by the new one."""
    doc = Document(
        id=new_id(),
        registration_id=registration_id,
        kind=upload.kind,
        filename=upload.filename,
        mimetype=upload.mimetype,
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        uploaded_by=user_id,
        created=clock.now(),
    )
    if replaces is not None:
        replaces.superseded_by, replaces.superseded_at = doc.id, doc.created
        model.Session.flush()  # before the insert: one current document per kind (index)
    directory = _directory(registration_id)
    os.makedirs(directory, mode=0o750, exist_ok=True)
    with open(os.path.join(directory, doc.id), "wb") as handle:
        handle.write(upload.content)
    model.Session.add(doc)
    return doc

