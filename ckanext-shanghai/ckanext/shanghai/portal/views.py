"""Views of the shanghai plugin: the guard on files of conditionally open datasets."""
from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from flask import Blueprint, request
from werkzeug.wrappers.response import Response

from .security import security

__all__ = ["security", "shanghai"]

shanghai = Blueprint("shanghai", __name__)


def may_download_conditional(user: model.User | None, package: model.Package) -> bool:
    """Whether ``user`` may have the files of a conditionally open dataset directly:
    sysadmins and members of the publishing department. Others get such data only
    through a channel that checks their entitlement (an approved application, a
    SODA contest bundle)."""
    if user is None:
        return False
    return bool(user.sysadmin) or authz.has_user_permission_for_group_or_org(
        package.owner_org, user.name, "read")


@shanghai.before_app_request
def guard_conditional_downloads() -> Response | None:
    """有条件开放: the metadata is public, the files are not (reference: open types)."""
    # "<dataset type>_resource.download": CKAN registers one blueprint per dataset type.
    if not (request.endpoint or "").endswith("resource.download"):
        return None
    resource = model.Resource.get((request.view_args or {}).get("resource_id") or "")
    package = resource.package if resource else None
    if package is None or package.extras.get("open_type") != "conditional":
        return None
    user = tk.current_user if tk.current_user and tk.current_user.is_authenticated else None
    if may_download_conditional(user, package):  # type: ignore[arg-type]
        return None
    conditions = package.extras.get("open_conditions") or ""
    return tk.abort(403, tk._(
        "This dataset is conditionally open: its data is given only after an approved "
        "application and a data-use agreement. {conditions}").format(conditions=conditions))
