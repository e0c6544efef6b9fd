"""Check that one LID is connected to SPLP (SOP step 16): its API exists in the national
catalogue with the same fields, is published and deployed, and answers through the gateway.
A failed check sends the IPPD back to step 15 with the list of what to fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .client import PublisherClient
from .errors import SplpError
from .gateway import GatewayCheckResult, check_gateway
from .mapping import FieldDiff, MappingOptions, compare, map_lid


@dataclass
class ConnectionReport:
    """Everything the reviewer needs to decide step 16; ``problems`` is empty when connected."""

    context: str
    version: str
    api_id: str | None = None
    lifecycle: str | None = None
    deployed: bool = False
    same_fields: bool = False
    differences: list[FieldDiff] = field(default_factory=list)
    gateway: GatewayCheckResult | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def connected(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "context": self.context, "version": self.version, "api_id": self.api_id,
            "lifecycle": self.lifecycle, "deployed": self.deployed,
            "same_fields": self.same_fields, "connected": self.connected,
            "differences": [d.as_dict() for d in self.differences],
            "gateway": self.gateway.as_dict() if self.gateway else None,
            "problems": list(self.problems),
        }


def check_connection(
    client: PublisherClient,
    lid: dict[str, Any],
    *,
    gateway: str,
    gateway_token: str | None,
    resource_path: str = "",
    options: MappingOptions | None = None,
    timeout: tuple[float, float] = (5.0, 15.0),
    verify: bool | str = True,
) -> ConnectionReport:
    """Read the LID's API back from SPLP, compare it and call it through the gateway.

    Never raises for SPLP failures: they become ``problems`` (the LID entry itself must be
    valid, else :class:`LidMappingError` is raised as for a sync).
    """
    desired = map_lid(lid, options)
    tenant = str(lid.get("tenant_domain") or "")
    report = ConnectionReport(context=desired["context"], version=desired["version"])
    try:
        info = client.find_api(desired["context"], desired["version"], tenant)
        if info is None:
            report.problems.append("the API is not in the national LID catalogue: sync it")
            return report
        remote = client.get_api(str(info["id"]))
        report.api_id = str(remote["id"])
        report.lifecycle = str(remote.get("lifeCycleStatus") or "")
        comparison = compare(desired, remote, tenant)
        report.same_fields, report.differences = comparison.same, comparison.differences
        served = client.deployed_revision(report.api_id)
        report.deployed = served is not None
        stale = served is not None and not compare(desired, served, tenant).same
    except SplpError as exc:
        report.problems.append(f"SPLP could not be read: {exc.message}")
        return report
    if not report.same_fields:
        report.problems.append(
            "fields differ from the LID entry: " + ", ".join(comparison.fields) + "; sync again"
        )
    if report.lifecycle.upper() != "PUBLISHED":
        report.problems.append(f"the API is {report.lifecycle or 'not published'}, not PUBLISHED")
    if not report.deployed:
        report.problems.append("no revision of the API is deployed to a gateway")
    elif stale:
        report.problems.append("the gateway serves an older revision of the API: sync again")
    report.gateway = check_gateway(
        gateway, tenant, desired["context"], desired["version"], token=gateway_token,
        resource_path=resource_path, timeout=timeout, verify=verify,
    )
    if not report.gateway.ok:
        report.problems.append(f"the gateway call failed: {report.gateway.message}")
    return report
