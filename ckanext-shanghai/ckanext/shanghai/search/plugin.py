"""shanghai_search: CKAN's dataset search on PostgreSQL, with no Solr."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig

from . import backend


@tk.blanket.config_declarations
class ShanghaiSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        # Runs before CKAN's start-up Solr check, on every (re)load of plugins.
        backend.install()
