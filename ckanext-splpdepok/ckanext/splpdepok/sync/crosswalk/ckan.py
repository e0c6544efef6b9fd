"""Local package dict -> payload for a remote CKAN's ``package_create`` / ``package_update``."""
from __future__ import annotations

from typing import Any

from ckanext.splpdepok.schemas.fields import (
    LOCAL_DATASET_FIELDS,
    SDI_DATASET_FIELDS,
    SDI_RESOURCE_FIELDS,
)

from .common import extras_dict, group_names, is_blank, live_resources, tag_names, value

EXTRAS_MODES = ("fields", "extras")

# Core CKAN dataset keys that mean the same thing on any CKAN. Ids, timestamps, creator ids,
# organization ids and URLs of this portal are left out on purpose.
CORE_DATASET_KEYS: tuple[str, ...] = (
    "title",
    "notes",
    "url",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "license_id",
)

CORE_RESOURCE_KEYS: tuple[str, ...] = (
    "url",
    "name",
    "description",
    "format",
    "mimetype",
    "size",
    "hash",
)

NATIONAL_KEYS: tuple[str, ...] = SDI_DATASET_FIELDS + LOCAL_DATASET_FIELDS


def _resource_payload(resource: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in CORE_RESOURCE_KEYS + SDI_RESOURCE_FIELDS:
        found = resource.get(key)
        if not is_blank(found):
            out[key] = found
    return out


def to_ckan(
    pkg: dict[str, Any], *, name: str, owner_org: str, extras_mode: str = "fields"
) -> dict[str, Any]:
    """Payload for a remote CKAN; ``name`` and ``owner_org`` are the remote ones.

    ``extras_mode="fields"``: the remote runs this (SDI) schema, national fields go top level
    (a remote running the national fork silently drops the local ones it does not know).
    ``extras_mode="extras"``: a plain CKAN, national fields travel as ``extras`` key/values.
    Blank values are left out; text (Markdown, HTML) is passed as data, never escaped.
    """
    if extras_mode not in EXTRAS_MODES:
        raise ValueError(f"extras_mode must be one of {EXTRAS_MODES}, not {extras_mode!r}")

    payload: dict[str, Any] = {"name": name, "owner_org": owner_org}
    for key in CORE_DATASET_KEYS:
        found = value(pkg, key)
        if found is not None:
            payload[key] = found
    payload["private"] = bool(pkg.get("private", False))
    payload["tags"] = [{"name": tag} for tag in tag_names(pkg)]
    payload["groups"] = [{"name": group} for group in group_names(pkg)]

    national = {key: value(pkg, key) for key in NATIONAL_KEYS}
    national = {k: v for k, v in national.items() if v is not None}

    # Free-form extras of the local dataset travel in both modes (never our own field names).
    extras = {
        k: v for k, v in extras_dict(pkg).items()
        if k not in NATIONAL_KEYS and k not in payload and not is_blank(v)
    }
    if extras_mode == "fields":
        payload.update(national)
    else:
        extras.update({k: v if isinstance(v, str) else str(v) for k, v in national.items()})
    payload["extras"] = [{"key": k, "value": extras[k]} for k in sorted(extras)]

    payload["resources"] = [_resource_payload(r) for r in live_resources(pkg)]
    return payload
