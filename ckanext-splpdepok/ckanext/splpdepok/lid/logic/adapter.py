"""The SPLP adapter wired to the portal settings: credentials come from environment variables
whose NAMES are settings, so no secret is ever in the database, the config file, logs or pages.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from ckanext.splpdepok import config
from ckanext.splpdepok.lid import problems
from ckanext.splpdepok.lid.splp import (
    ClientCredentials,
    PublisherClient,
    RetryPolicy,
    SplpConfigurationError,
    SplpError,
    Timeouts,
    TokenProvider,
)
from ckanext.splpdepok.lid.splp.client import TOKEN_PATH

log = logging.getLogger(__name__)
ENV_SETTINGS = ("ckanext.splpdepok.splp.client_id_env",
                "ckanext.splpdepok.splp.client_secret_env")
GATEWAY_ENV_SETTINGS = ("ckanext.splpdepok.splp.gateway_client_id_env",
                        "ckanext.splpdepok.splp.gateway_client_secret_env")


@dataclass(frozen=True)
class Settings:
    base_url: str
    gateway_url: str
    resource_path: str
    verify: bool


def settings() -> Settings:
    read_timeout, _attempts, _backoff, verify = config.splp_http_settings()
    return Settings(config.splp_base_url(), config.splp_gateway_url(),
                    config.splp_check_resource_path(), verify)


def _credentials(id_env: str, secret_env: str,
                 settings: tuple[str, ...] = ENV_SETTINGS) -> ClientCredentials:
    client_id, secret = os.environ.get(id_env, ""), os.environ.get(secret_env, "")
    if not client_id or not secret:
        missing = tuple(n for n, v in ((id_env, client_id), (secret_env, secret)) if not v)
        raise SplpConfigurationError(
            f"SPLP credentials are missing: set the environment variables {id_env} and "
            f"{secret_env} for the web server and the jobs worker",
            details={"variables": missing, "settings": settings})
    return ClientCredentials(client_id, secret)


def check_base_url(url: str) -> str:
    """The plan's SPLP URL must be the configured one: credentials go nowhere else."""
    wanted = config.splp_base_url()
    if not wanted:
        raise SplpConfigurationError(
            "ckanext.splpdepok.splp.base_url is not set; the walidata must configure SPLP first",
            details={"setting": "ckanext.splpdepok.splp.base_url"})
    if url.rstrip("/") != wanted:
        raise SplpConfigurationError(
            f"the connection plan names {url}, but this portal is configured for {wanted}",
            details={"plan_url": url, "url": wanted})
    return wanted


def _policy() -> tuple[Timeouts, RetryPolicy, bool]:
    read_timeout, attempts, backoff, verify = config.splp_http_settings()
    return (Timeouts(connect=min(10.0, read_timeout), read=read_timeout),
            RetryPolicy(attempts=attempts, backoff_initial=backoff,
                        total_seconds=max(60.0, read_timeout * attempts)), verify)


def publisher(base_url: str | None = None) -> PublisherClient:
    """A publisher client for SPLP (raises SplpConfigurationError when not configured)."""
    url = check_base_url(base_url or config.splp_base_url())
    id_env, secret_env, _gid, _gsecret = config.splp_credential_env_names()
    timeouts, retry, verify = _policy()
    return PublisherClient(url, _credentials(id_env, secret_env), timeouts=timeouts,
                           retry=retry, verify=verify, scopes=config.splp_scopes())


def gateway_tokens(client: PublisherClient) -> TokenProvider:
    """Tokens of the application that calls LIDs through the gateway (step 16)."""
    _id, _secret, id_env, secret_env = config.splp_credential_env_names()
    return TokenProvider(client.base_url + TOKEN_PATH,
                         _credentials(id_env, secret_env, GATEWAY_ENV_SETTINGS),
                         client.transport, scopes=())


def plain(error: SplpError, where: str = "") -> dict[str, Any]:
    """The plain problem for ``error`` (``lid.problems``); its raw text goes to the log only."""
    log.warning("SPLP %s failed (%s): %s", where or "call", error.kind, error.message)
    return problems.problem(error.kind, error.network_kind, **error.details)
