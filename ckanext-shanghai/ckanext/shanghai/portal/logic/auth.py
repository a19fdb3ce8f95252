"""Auth functions of the shanghai plugin.

The DataStore's reads and the validation reports (which quote cells) are chained onto
the portal's access rule (``portal/access.py``): whoever may not read a resource's data
gets none of its rows, by any action or view that reads them (``/datastore/dump``, the
DataTables views and the report page go through these too).
"""
from __future__ import annotations

import sys

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from .. import access

__all__ = ["datastore_info", "datastore_search", "datastore_search_sql",
           "package_collaborator_list", "shanghai_catalogue_stats",
           "shanghai_resource_validation_show", "unfollow_dataset"]

#: Chained onto other plugins' auth functions: registered only with that plugin.
_CHAINED_ON = {"datastore_info": "datastore", "datastore_search": "datastore",
               "datastore_search_sql": "datastore",
               "shanghai_resource_validation_show": "shanghai_validation"}


def auth_functions() -> dict[str, AuthFunction]:
    """What the plugin registers: ``__all__``, without the chains onto a plugin that is
    not loaded (CKAN refuses a chain on a missing function)."""
    module = sys.modules[__name__]
    return {name: getattr(module, name) for name in __all__
            if name not in _CHAINED_ON or p.plugin_loaded(_CHAINED_ON[name])}


@tk.auth_allow_anonymous_access
def shanghai_catalogue_stats(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone may see the statistics of the catalogue they can see."""
    return {"success": True}


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def _chain_rows(next_auth: AuthFunction, context: Context, data_dict: DataDict,
                *resource_ids: str) -> AuthResult:
    """Refused with the rule's reason unless the caller may read the data of every one
    of the resources; else the next check in the chain."""
    for resource_id in resource_ids:
        decision = access.decide_for_resource(_user(context), resource_id)
        if not decision.can_read:
            return {"success": False, "msg": decision.message}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth: AuthFunction, context: Context,
                     data_dict: DataDict) -> AuthResult:
    """Rows only for those who may read the resource's data (``access.decide``)."""
    # The action has already turned an alias (or ``id``) into the real ``resource_id``.
    return _chain_rows(next_auth, context, data_dict, data_dict.get("resource_id") or "")


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_info(next_auth: AuthFunction, context: Context,
                   data_dict: DataDict) -> AuthResult:
    """Columns and row counts only for those who may read the resource's data."""
    # The action puts the real resource id in ``id`` (``resource_id`` may be an alias).
    return _chain_rows(next_auth, context, data_dict,
                       data_dict.get("id") or data_dict.get("resource_id") or "")


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth: AuthFunction, context: Context,
                         data_dict: DataDict) -> AuthResult:
    """Disabled on the portal (``ckan.datastore.sqlsearch.enabled = false``); should it
    be enabled, every table a query reads is under the rule."""
    return _chain_rows(next_auth, context, data_dict, *(context.get("table_names") or []))


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def shanghai_resource_validation_show(next_auth: AuthFunction, context: Context,
                                      data_dict: DataDict) -> AuthResult:
    """A validation report quotes the file's cells: only for those who may read its data."""
    return _chain_rows(next_auth, context, data_dict, data_dict.get("id") or "")


@tk.chained_auth_function
def package_collaborator_list(next_auth: AuthFunction, context: Context,
                              data_dict: DataDict) -> AuthResult:
    """Logged-in users only: CKAN's own check assumes a user (an anonymous call was a
    500); who among them may list the collaborators stays CKAN's decision."""
    if _user(context) is None:
        return {"success": False,
                "msg": tk._("Log in to see who collaborates on a dataset.")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def unfollow_dataset(next_auth: AuthFunction, context: Context,
                     data_dict: DataDict) -> AuthResult:
    """As for following (CKAN's rule): only a dataset the caller may see. CKAN let any
    user "unfollow" any dataset, and its answer (done, or no such dataset) told whether
    a private dataset's id or name exists."""
    allowed = next_auth(context, data_dict)
    if not allowed["success"]:
        return allowed
    try:
        tk.check_access("package_show", {"user": context.get("user")},
                        {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False,
                "msg": tk._("You may not unfollow a dataset you cannot see.")}
    except tk.ObjectNotFound:
        pass  # the action answers "not found" itself
    return {"success": True}
