"""shanghai_search: CKAN's dataset search on PostgreSQL, with no Solr; Chinese words
and substrings in the DataStore's full-text search."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import flask
from ckan.common import CKANConfig

from . import backend, helpers
from .logic import action


@tk.blanket.config_declarations
@tk.blanket.helpers(helpers)
class ShanghaiSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IActions)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        # Runs before CKAN's start-up Solr check, on every (re)load of plugins.
        backend.install()
        # /dataset: matched words marked, and a line when results match only partly.
        tk.add_template_directory(config, "templates")

    # IActions

    def get_actions(self) -> dict[str, Any]:
        # A chained action needs its parent: without the DataStore there is none.
        return {"datastore_search": action.datastore_search} \
            if p.plugin_loaded("datastore") else {}

    # IPackageController

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        backend.check_parameter_types(search_params)
        return search_params

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        # Say when no dataset had all the words and the results match only some.
        relaxed = backend.last_relaxed() is not None
        if relaxed:
            search_results["relaxed"] = True
        if flask.has_request_context():
            tk.g.shanghai_search_relaxed = relaxed
        return search_results
