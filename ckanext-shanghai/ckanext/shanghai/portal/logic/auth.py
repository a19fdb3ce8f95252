"""Auth functions of the shanghai plugin."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["shanghai_catalogue_stats"]


@tk.auth_allow_anonymous_access
def shanghai_catalogue_stats(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone may see the statistics of the catalogue they can see."""
    return {"success": True}
