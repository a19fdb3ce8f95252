"""shanghai_department_harvester and shanghai_dcat_harvester: department catalogues
and district DCAT catalogues harvested with ckanext-harvest, harvests for their
operators only.

ckanext-harvest finds a harvester among the plugins that implement ``IHarvester``, so
each plugin here is its harvester class with the portal's hooks on top; the
harvesters themselves (``department.py``, ``dcat.py``) hold only their stages.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import CKANConfig
from ckan.types import Context, SignalMapping

from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.harvest.model import HarvestObject
from ckanext.shanghai.portal import signals

from . import access, dcat, framework, seed
from .department import DepartmentCatalogueHarvester
from .logic import auth

_LABELS = access.PermissionLabels()


@tk.blanket.actions
@tk.blanket.auth_functions(auth.auth_functions)
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
class ShanghaiDepartmentHarvesterPlugin(DepartmentCatalogueHarvester):
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        # Before CKAN builds its action and auth registries (lazily, on first use).
        framework.separate_registries()

    # IPermissionLabels: a harvest source is labelled for its operators only

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        return _LABELS.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        return _LABELS.get_user_dataset_labels(user_obj)

    # IPackageController: sources private and without credentials

    def create(self, entity: model.Package) -> None:
        access.keep_private(entity)

    def edit(self, entity: model.Package) -> None:
        access.keep_private(entity)

    def after_dataset_show(self, context: Context, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        if pkg_dict.get("type") == access.SOURCE_DATASET_TYPE:
            access.public_source(pkg_dict)
        return pkg_dict

    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        framework.flush_new_source(pkg_dict)

    # ISignal: `ckan shanghai setup` makes the seed's harvest sources too

    def get_signal_subscriptions(self) -> SignalMapping:
        return {signals.setup_done: [seed.on_setup_done]}


class ShanghaiDCATHarvesterPlugin(dcat.DistrictDCATHarvester):
    p.implements(IDCATRDFHarvester, inherit=True)

    # IDCATRDFHarvester: revive withdrawn datasets, skip unchanged ones

    def before_update(self, harvest_object: HarvestObject, dataset_dict: dict[str, Any],
                      temp_dict: dict[str, Any]) -> None:
        dcat.before_update(self, harvest_object, dataset_dict)
