"""The SPLP adapter wired to the portal settings: credentials come from environment variables
whose NAMES are settings, so no secret is ever in the database, the config file, logs or pages.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ckanext.splpdepok import config
from ckanext.splpdepok.lid.splp import (
    ClientCredentials,
    PublisherClient,
    RetryPolicy,
    SplpConfigurationError,
    Timeouts,
    TokenProvider,
)
from ckanext.splpdepok.lid.splp.client import TOKEN_PATH


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


def _credentials(id_env: str, secret_env: str) -> ClientCredentials:
    client_id, secret = os.environ.get(id_env, ""), os.environ.get(secret_env, "")
    if not client_id or not secret:
        raise SplpConfigurationError(
            f"SPLP credentials are missing: set the environment variables {id_env} and "
            f"{secret_env} for the web server and the jobs worker")
    return ClientCredentials(client_id, secret)


def check_base_url(url: str) -> str:
    """The plan's SPLP URL must be the configured one: credentials go nowhere else."""
    wanted = config.splp_base_url()
    if not wanted:
        raise SplpConfigurationError(
            "ckanext.splpdepok.splp.base_url is not set; the walidata must configure SPLP first")
    if url.rstrip("/") != wanted:
        raise SplpConfigurationError(
            f"the connection plan names {url}, but this portal is configured for {wanted}")
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
    return TokenProvider(client.base_url + TOKEN_PATH, _credentials(id_env, secret_env),
                         client.transport, scopes=())
