"""The ``splpdepok`` plugin: registrations, LID catalog, catalog sync, pages and CLI.

Kept lean on purpose: what each capability contributes is gathered by ``registry`` and
registered here through ``tk.blanket``.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation
from ckanext.splpdepok import cli, registry


@tk.blanket.actions(registry.actions)
@tk.blanket.auth_functions(registry.auth_functions)
@tk.blanket.validators(registry.validators)
@tk.blanket.helpers(registry.helpers)
@tk.blanket.blueprints(registry.blueprints)
@tk.blanket.cli(cli.get_commands)
@tk.blanket.config_declarations(registry.config_declarations_subject)
class SplpdepokPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "splpdepok")
