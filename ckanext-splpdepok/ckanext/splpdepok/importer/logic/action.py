"""Actions of the import: plan (a dry run) and run, for the walidata."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.splpdepok.importer.logic import runner, schema
from ckanext.splpdepok.sync.logic import credentials


def _options(context: Context, data_dict: DataDict, dry_run: bool) -> runner.Options:
    ref = data_dict.get("credential_ref") or ""
    token = credentials.resolve(ref) if ref else None
    if ref and not token:
        raise tk.ValidationError({"credential_ref": [tk._(
            "Nothing is set under this name on the server")]})
    return runner.Options(url=data_dict["url"], token=token,
                          org_map=data_dict.get("org_map") or {},
                          unmapped=data_dict["unmapped"], dry_run=dry_run,
                          commit=not context.get("defer_commit"))


def _run(options: runner.Options) -> dict[str, Any]:
    try:
        return runner.run_import(options)
    except runner.ImportFailed as exc:
        raise tk.ValidationError({"url": [str(exc)]}) from exc


@tk.side_effect_free
@tk.validate(schema.import_schema)
def import_plan(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What an import from the old portal would do; writes nothing.

    :param url: base address of the old CKAN (2.8/2.9), http(s)
    :param credential_ref: optional; name of the environment variable (``SPLPDEPOK_SYNC_*``) or
        setting (``ckanext.splpdepok.sync.credential.*``) holding an API token of the old portal,
        so private datasets are read too
    :param org_map: optional; ``{old organization name: organization name here}``, or the text
        of a YAML/CSV organization map
    :param unmapped: ``keep`` (default: fields without an SDI place stay as extras) or ``drop``
    :returns: the report: counts and items per organization, group and dataset (``create``,
        ``update``, ``unchanged``, ``conflict``, ``skip``), unmapped fields with samples
    """
    tk.check_access("splpdepok_import_plan", context, data_dict)
    return _run(_options(context, data_dict, dry_run=True))


@tk.validate(schema.import_schema)
def import_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import organizations, groups, datasets and resources from the old portal, keeping
    dataset ids, names, resource ids and resource URLs. Runs in the request: large catalogs are
    better imported with ``ckan splpdepok import``. Safe to repeat (nothing changes the second
    time).

    :param url, credential_ref, org_map, unmapped: as in ``splpdepok_import_plan``
    :returns: the report (as ``splpdepok_import_plan``, with ``failed`` items)
    """
    tk.check_access("splpdepok_import_run", context, data_dict)
    return _run(_options(context, data_dict, dry_run=False))

