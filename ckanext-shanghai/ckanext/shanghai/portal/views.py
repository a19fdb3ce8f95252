"""Views of the shanghai plugin: the guard on the views that serve a resource's data."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.views.api import i18n_js_translations
from flask import Blueprint, request
from werkzeug.wrappers.response import Response

from . import access
from .operations import operations
from .security import security

__all__ = ["operations", "security", "shanghai"]

shanghai = Blueprint("shanghai", __name__)


def _resource_requested() -> model.Resource | None:
    """The resource whose data the request reads, for the views that serve data."""
    endpoint, args = request.endpoint or "", request.view_args or {}
    # "<dataset type>_resource.download" and ".view" (a preview on a page of its own):
    # CKAN registers one blueprint per dataset type.
    if endpoint.endswith(("resource.download", "resource.view")) or endpoint == "datastore.dump":
        return model.Resource.get(args.get("resource_id") or "")
    if endpoint in ("datatablesview.ajax", "datatablesview.filtered_download"):
        view = model.ResourceView.get(args.get("resource_view_id") or "")
        return model.Resource.get(view.resource_id) if view else None
    return None


@shanghai.before_app_request
def guard_data() -> Response | None:
    """Files, dumps, previews and DataTables rows only for those the access rule lets read them,
    refused with its reason (403). The DataStore actions behind these views ask the
    same rule (``logic/auth.py``); this answers the views with a message, not CKAN's
    404 (dump) or 500 (a private dataset's DataTables view)."""
    resource = _resource_requested()
    if resource is None or resource.package is None:
        return None
    decision = access.decide(access.current_user(), resource.package)
    return None if decision.can_read else tk.abort(403, decision.message)


@shanghai.route("/api/i18n/<lang>")
def js_translations(lang: str) -> Response | str:
    """CKAN's scripts ask for ``zh_Hans-CN`` (they replace only the first ``-`` of the
    page's ``zh-Hans-CN``) and start no module when that fails: answer for the locale
    meant, so the Chinese pages' scripts (previews, menus) run."""
    return i18n_js_translations(lang.replace("-", "_"))
