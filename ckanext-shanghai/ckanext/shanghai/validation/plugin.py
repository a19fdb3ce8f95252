"""shanghai_validation: every tabular resource checked against its Frictionless Table
Schema in the background; reports, badges, a quality score, strict mode, and valid
data loaded into the DataStore."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.types import Context

from . import quality, runner
from .model import SHOWN_KEYS, Report


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
class ShanghaiValidationPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")

    # IResourceController: validate after every change; show the latest status.

    def after_resource_create(self, context: Context, resource: dict[str, Any]) -> None:
        runner.enqueue(resource)

    def after_resource_update(self, context: Context, resource: dict[str, Any]) -> None:
        runner.enqueue(resource)

    def read(self, entity: model.Package) -> None:
        # package_show calls this before showing each resource: the dataset's reports
        # in one query, held by the session (its identity map holds them only weakly)
        # for the per-resource lookups below to find.
        model.Session.info["shanghai_validation_reports"] = Report.for_package(entity.id)

    def before_resource_show(self, resource_dict: dict[str, Any]) -> dict[str, Any]:
        for key in SHOWN_KEYS:
            resource_dict.pop(key, None)  # a stale copy sent back by a client
        if resource_dict.get("id"):
            report = Report.get(resource_dict["id"])
            if report is not None:
                resource_dict.update(report.summary())
        return resource_dict

    # IPackageController: the quality score is shown, and (the index storing what
    # package_show returns) searchable and a facet.

    def after_dataset_show(self, context: Context, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        found = quality.of_dataset(pkg_dict, {r.resource_id: r.status
                                              for r in Report.for_package(pkg_dict["id"])})
        pkg_dict["quality"] = found["score"]
        pkg_dict["quality_level"] = found["level"]
        return pkg_dict

    def after_dataset_delete(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        Report.delete_for_package(pkg_dict["id"])

    # IResourceController (deletions)

    def before_resource_delete(self, context: Context, resource: dict[str, Any],
                               resources: list[dict[str, Any]]) -> None:
        Report.delete_for_resource(resource["id"])
