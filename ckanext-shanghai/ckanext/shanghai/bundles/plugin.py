"""shanghai_bundles: SODA contest data bundles — contests, teams, terms, verification
and frozen, streamed, resumable one-package downloads."""
from __future__ import annotations

import os

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckan.types import SignalMapping

from . import subscriptions


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
class ShanghaiBundlesPlugin(DefaultTranslation, p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")

    # ITranslation: our own gettext domain, so our messages live next to our code.

    def i18n_directory(self) -> str:
        return os.path.join(os.path.dirname(__file__), "i18n")

    def i18n_domain(self) -> str:
        return "ckanext-shanghai_bundles"

    # ISignal: the contests are seeded when the portal's setup has loaded its seed.

    def get_signal_subscriptions(self) -> SignalMapping:
        return subscriptions.get_subscriptions()
