"""Typed getters for every ``ckanext.splpdepok.*`` setting (declared in config_declaration.yaml).

Code never reads ``tk.config`` for our keys directly: one place knows names, types and defaults.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def walidata_organization() -> str:
    return tk.config["ckanext.splpdepok.walidata_organization"]


def sop_session_minutes() -> int:
    """Length of "1 sesi" in working minutes (default one working day)."""
    return tk.config["ckanext.splpdepok.sop.session_minutes"]


def sop_calendar() -> tuple[str, str, str]:
    """(time zone, working hours, working days) of the SOP clocks."""
    return (
        tk.config["ckanext.splpdepok.sop.timezone"],
        tk.config["ckanext.splpdepok.sop.working_hours"],
        tk.config["ckanext.splpdepok.sop.working_days"],
    )


def sop_step_standard(number: int) -> str:
    """Time standard text of SOP step ``number`` ("10 min", "1 session")."""
    return tk.config[f"ckanext.splpdepok.sop.step_{number}.standard"]


def registration_max_document_bytes() -> int:
    return tk.config["ckanext.splpdepok.registration.max_document_mb"] * 1024 * 1024


def notify_locale() -> str:
    return tk.config["ckanext.splpdepok.notify.locale"]


def sync_retry_settings() -> tuple[int, float, float]:
    """(attempts, backoff base seconds, longest wait seconds) of remote calls."""
    return (
        tk.config["ckanext.splpdepok.sync.retries"],
        float(tk.config["ckanext.splpdepok.sync.backoff_seconds"]),
        float(tk.config["ckanext.splpdepok.sync.max_backoff_seconds"]),
    )


def sync_timeout_seconds() -> float:
    return float(tk.config["ckanext.splpdepok.sync.timeout_seconds"])


def sync_heartbeat_seconds() -> int:
    return tk.config["ckanext.splpdepok.sync.heartbeat_seconds"]


def sync_stale_after_seconds() -> int:
    return tk.config["ckanext.splpdepok.sync.stale_after_seconds"]


def sync_job_timeout_seconds() -> int:
    return tk.config["ckanext.splpdepok.sync.job_timeout_seconds"]


def sync_check_budget_seconds() -> int:
    return tk.config["ckanext.splpdepok.sync.check_budget_seconds"]


def search_text_config() -> str:
    """PostgreSQL text search configuration of the search index (default ``indonesian``)."""
    key = "ckanext.splpdepok.search.text_config"
    # declared by the ``splpdepok`` plugin; the search plugin may run without it (tests)
    # (``config.get`` would log "not declared" then; ``in`` does not)
    return (tk.config[key] if key in tk.config else None) or "indonesian"  # noqa: SIM401


def splp_base_url() -> str:
    return (tk.config["ckanext.splpdepok.splp.base_url"] or "").rstrip("/")


def splp_gateway_url() -> str:
    return (tk.config["ckanext.splpdepok.splp.gateway_url"] or "").rstrip("/")


def splp_tenant_domain() -> str:
    return tk.config["ckanext.splpdepok.splp.tenant_domain"] or ""


def splp_credential_env_names() -> tuple[str, str, str, str]:
    """NAMES of the environment variables (publisher id, secret, gateway id, secret); the
    gateway ones fall back to the publisher ones. Values are read by lid.adapter only."""
    client_id = tk.config["ckanext.splpdepok.splp.client_id_env"]
    secret = tk.config["ckanext.splpdepok.splp.client_secret_env"]
    return (client_id, secret,
            tk.config["ckanext.splpdepok.splp.gateway_client_id_env"] or client_id,
            tk.config["ckanext.splpdepok.splp.gateway_client_secret_env"] or secret)


def splp_scopes() -> tuple[str, ...]:
    return tuple(str(tk.config["ckanext.splpdepok.splp.scopes"]).split())


def splp_http_settings() -> tuple[float, int, float, bool]:
    """(read time-out seconds, attempts, first backoff seconds, verify TLS)."""
    return (float(tk.config["ckanext.splpdepok.splp.timeout_seconds"]),
            tk.config["ckanext.splpdepok.splp.retries"],
            float(tk.config["ckanext.splpdepok.splp.backoff_seconds"]),
            tk.config["ckanext.splpdepok.splp.verify_tls"])


def splp_check_resource_path() -> str:
    return tk.config["ckanext.splpdepok.splp.check_resource_path"] or ""


def splp_job_timeout_seconds() -> int:
    return tk.config["ckanext.splpdepok.splp.job_timeout_seconds"]
