"""The sysadmin harvest status page: ``/ckan-admin/harvest-status``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

__all__ = ["blueprint"]

blueprint = Blueprint("shanghai_harvest", __name__)


@blueprint.route("/ckan-admin/harvest-status")
def status() -> str:
    """Sources, last job, counts and errors (the shanghai_harvest_status action)."""
    try:
        sources = tk.get_action("shanghai_harvest_status")({"user": tk.current_user.name}, {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may see the harvest status"))
    return tk.render("shanghai/harvest_status.html", {"sources": sources})
