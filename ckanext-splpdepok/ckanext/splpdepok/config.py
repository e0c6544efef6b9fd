"""Typed getters for every ``ckanext.splpdepok.*`` setting (declared in config_declaration.yaml).

Code never reads ``tk.config`` for our keys directly: one place knows names, types and defaults.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def walidata_organization() -> str:
    return tk.config["ckanext.splpdepok.walidata_organization"]
