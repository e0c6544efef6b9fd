"""Template helpers of the dataset pages and form (registered by ``schemas/capability.py``).

Two of them keep the dataset page cheap (templates/package/read_base.html):
``splpdepok_dataset_organization`` gives the sidebar its organization from one row instead of
CKAN's ``organization_show`` (which counts the organization's datasets and its groups' datasets
with two searches, and runs twice because CKAN's page.html renders the sidebar twice), and
``splpdepok_structured_data`` serves ckanext-dcat's JSON-LD block from Redis per dataset
revision.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import plugins
from ckanext.splpdepok.schemas import dcat_vocab
from ckanext.splpdepok.schemas.logic import facets, themes

log = logging.getLogger(__name__)

DCAT_FORMATS = (("rdf", "RDF/XML"), ("ttl", "Turtle"), ("jsonld", "JSON-LD"))
JSONLD_KEY_PREFIX = "splpdepok:jsonld:"
# a revision's block is never wrong (the key changes with the dataset), only unused once the
# dataset changes again: let Redis drop those
JSONLD_TTL_SECONDS = 7 * 24 * 3600


def splpdepok_theme_choices(field: Mapping[str, Any]) -> list[dict[str, str]]:
    """scheming ``choices_helper`` of Kategori: the portal's theme groups."""
    return themes.choices()


def splpdepok_facet_label_function(facet: str) -> Callable[[Mapping[str, Any]], str]:
    return facets.label_function(facet)


def splpdepok_dcat_links(pkg: Mapping[str, Any]) -> list[dict[str, str]]:
    """The dataset's DCAT documents (ckanext-dcat's ``/dataset/<id>.<format>``); none where the
    ``dcat`` plugin is not loaded (its endpoints do not exist there)."""
    if not plugins.plugin_loaded("dcat"):
        return []
    name = pkg.get("name") or pkg.get("id")
    return [{"format": fmt, "label": label,
             "url": tk.h.url_for("dcat.read_dataset", _id=name, _format=fmt)}
            for fmt, label in DCAT_FORMATS]


def splpdepok_resource_download(pkg: Mapping[str, Any],
                                res: Mapping[str, Any]) -> dict[str, Any] | None:
    """What the resource's button offers: ``url``, ``is_file`` (download vs. open link) and
    ``format``; None when the resource has no address."""
    url = res.get("url")
    if not url:
        return None
    # package_show already gives an upload's full /dataset/<id>/resource/<id>/download/<file>
    is_file = dcat_vocab.is_file_url(str(url), res.get("format"), res.get("url_type"))
    return {"url": url, "is_file": is_file, "format": (res.get("format") or "").strip()}


def splpdepok_has_value(value: Any) -> bool:
    """Whether a metadata value is worth a row (not empty text, an empty list or None)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict | tuple):
        return bool(value)
    return True


def splpdepok_dataset_organization(pkg: Mapping[str, Any]) -> dict[str, Any]:
    """The sidebar's organization of a dataset page: what CKAN's ``organization_show`` gives
    the snippet (name, title, description, image, state, type), read from the organization's
    row. An organization that is not active goes through ``h.get_organization`` as in CKAN
    (``organization_show`` and its auth: only those who may see it get it)."""
    from ckan import model

    org = pkg.get("organization")
    org_id = org.get("id") if isinstance(org, Mapping) else None
    if not isinstance(org_id, str):
        return {}
    group = model.Group.get(org_id)
    if group is None or group.state != "active" or not group.is_organization:
        return dict(tk.h.get_organization(org_id))
    return {
        "id": group.id, "name": group.name, "title": group.title, "type": group.type,
        "description": group.description, "state": group.state,
        "is_organization": group.is_organization, "approval_status": group.approval_status,
        "image_url": group.image_url, "image_display_url": _image_display_url(group.image_url),
    }


def _image_display_url(image_url: str | None) -> str | None:
    """Where an organization's image is shown (CKAN's group_dictize rule: an uploaded file is
    served from the uploads folder, an address as it is)."""
    if not image_url or image_url.startswith("http"):
        return image_url
    from ckan.lib import munge

    return tk.h.url_for_static(
        f"uploads/group/{munge.munge_filename_legacy(image_url)}", qualified=True)


def jsonld_cache_key(pkg: Mapping[str, Any], locale: str, site_url: str,
                     profiles: str) -> str | None:
    """The Redis key of a dataset revision's JSON-LD block (None: not cached; private datasets
    and dicts without id or ``metadata_modified`` are rendered every time)."""
    dataset_id, modified = pkg.get("id"), pkg.get("metadata_modified")
    if not dataset_id or not modified or pkg.get("private") is not False:
        return None
    digest = hashlib.sha256("\n".join(
        (site_url, locale, profiles, str(dataset_id), str(modified))).encode()).hexdigest()
    return f"{JSONLD_KEY_PREFIX}{dataset_id}:{digest[:32]}"


def _jsonld_key(pkg: Mapping[str, Any]) -> str | None:
    profiles = tk.config.get("ckanext.dcat.structured_data.profiles") or ["schemaorg"]
    if not isinstance(profiles, str):
        profiles = " ".join(str(p) for p in profiles)
    try:
        locale = str(tk.h.lang() or "")
    except (RuntimeError, AttributeError):
        locale = ""
    return jsonld_cache_key(pkg, locale, str(tk.config.get("ckan.site_url") or ""), profiles)


def splpdepok_structured_data(pkg: Mapping[str, Any]) -> str:
    """ckanext-dcat's ``h.structured_data(pkg)`` (the page's JSON-LD block), rendered once per
    public dataset revision and then read from Redis; without Redis it is rendered as before.
    The page shows it only to those who may see the dataset; private datasets are never
    cached."""
    from redis.exceptions import RedisError

    key = _jsonld_key(pkg)
    if key is None:
        return str(tk.h.structured_data(pkg))
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()
    try:
        cached = redis.get(key)
    except RedisError as error:
        log.warning("JSON-LD cache unavailable (%s); rendering the block", error)
        return str(tk.h.structured_data(pkg))
    if isinstance(cached, bytes):
        return cached.decode("utf-8")
    block = str(tk.h.structured_data(pkg))
    try:
        redis.set(key, block.encode("utf-8"), ex=JSONLD_TTL_SECONDS)
    except RedisError as error:
        log.warning("JSON-LD cache unavailable (%s); block not stored", error)
    return block


def all_helpers() -> dict[str, Any]:
    return {
        "splpdepok_theme_choices": splpdepok_theme_choices,
        "splpdepok_facet_label_function": splpdepok_facet_label_function,
        "splpdepok_dcat_links": splpdepok_dcat_links,
        "splpdepok_resource_download": splpdepok_resource_download,
        "splpdepok_has_value": splpdepok_has_value,
        "splpdepok_dataset_organization": splpdepok_dataset_organization,
        "splpdepok_structured_data": splpdepok_structured_data,
    }
