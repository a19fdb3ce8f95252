"""Auth functions of the validation plugin: who may read a resource may read its
report; who may edit it may validate it again; only sysadmins see and work the queue
(it names resources of every dataset, closed ones included)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

__all__ = ["shanghai_dataset_quality_show", "shanghai_resource_validation_run",
           "shanghai_resource_validation_show", "shanghai_validation_queue_show",
           "shanghai_validation_retry", "shanghai_validation_revalidate_all"]


@tk.auth_allow_anonymous_access
def shanghai_resource_validation_show(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("resource_show", context, data_dict)


def shanghai_resource_validation_run(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("resource_update", context, data_dict)


@tk.auth_allow_anonymous_access
def shanghai_dataset_quality_show(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, data_dict)


def _operators_only() -> AuthResult:
    # Sysadmins never reach an auth function: CKAN lets them through first.
    return {"success": False, "msg": tk._("Only sysadmins may see or work the validation queue")}


def shanghai_validation_queue_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _operators_only()


def shanghai_validation_retry(context: Context, data_dict: DataDict) -> AuthResult:
    return _operators_only()


def shanghai_validation_revalidate_all(context: Context, data_dict: DataDict) -> AuthResult:
    return _operators_only()
