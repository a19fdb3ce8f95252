"""Auth functions of the validation plugin: who may read a resource may read its
report; who may edit it may validate it again."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

__all__ = ["shanghai_dataset_quality_show", "shanghai_resource_validation_run",
           "shanghai_resource_validation_show"]


@tk.auth_allow_anonymous_access
def shanghai_resource_validation_show(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("resource_show", context, data_dict)


def shanghai_resource_validation_run(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("resource_update", context, data_dict)


@tk.auth_allow_anonymous_access
def shanghai_dataset_quality_show(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, data_dict)
