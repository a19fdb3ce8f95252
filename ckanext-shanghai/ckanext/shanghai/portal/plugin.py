"""shanghai: the portal's theme and languages, the 12 data domains, the dataset
schema's validators and the catalogue statistics."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckan.types import Context

from . import domains, downloads, facets, helpers, inputs, listings, operations
from .logic import auth


@tk.blanket.actions
@tk.blanket.auth_functions(auth.auth_functions)
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.cli
@tk.blanket.blueprints
@tk.blanket.config_declarations
class ShanghaiPlugin(DefaultTranslation, p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IUploader, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")

    # IMiddleware

    def make_middleware(self, app: Any, config: CKANConfig) -> Any:
        # Bad input (NUL, wrong types, oversized bodies) refused before anything reads it.
        # Then request ids, rate limits, secure cookies and metrics (operations.py).
        return operations.install(inputs.install(app))

    # IUploader, IResourceController: uploads keep their Chinese file names.

    def get_resource_uploader(self, data_dict: dict[str, Any]) -> Any:
        return downloads.resource_uploader(data_dict)

    def read(self, entity: model.Package) -> None:
        # package_show calls this before showing each resource: the dataset's resources
        # in one query, which readable_url's lookups then find in the session.
        downloads.load_resources(entity.id)

    def before_resource_show(self, resource_dict: dict[str, Any]) -> dict[str, Any]:
        downloads.readable_url(resource_dict)
        return resource_dict

    # IPackageController

    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        domains.sync_membership(pkg_dict["id"], pkg_dict.get("data_domain"))

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        domains.sync_membership(pkg_dict["id"], pkg_dict.get("data_domain"))
        listings.relabel_activities(pkg_dict["id"])

    def before_dataset_view(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        # Pages in English show the English title and description where given.
        if helpers.shanghai_is_english():
            for key in ("title", "notes"):
                if pkg_dict.get(f"{key}_en"):
                    pkg_dict[key] = pkg_dict[f"{key}_en"]
            if pkg_dict.get("organization"):
                pkg_dict["organization"] = dict(
                    pkg_dict["organization"],
                    title=helpers.shanghai_organization_title(pkg_dict["organization"]))
        return pkg_dict

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        return facets.label_facets(search_results)

    # IFacets

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return facets.dataset_facets()

    def organization_facets(self, facets_dict: dict[str, Any], organization_type: str,
                            package_type: str | None) -> dict[str, Any]:
        return facets.dataset_facets()

    def group_facets(self, facets_dict: dict[str, Any], group_type: str,
                     package_type: str | None) -> dict[str, Any]:
        return facets.dataset_facets()
