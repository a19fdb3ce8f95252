"""Auth functions of the harvest plugin: harvest internals are for operators.

ckanext-harvest forwards most of its checks to CKAN's ``package_show`` (a source is a
dataset of type ``harvest``), ``package_update`` and ``package_delete``, and lets
anyone read harvest objects. The chained functions here hold a source dataset, and
whatever is forwarded to it, to :mod:`ckanext.shanghai.harvest.access`; the checks that do not go
through a dataset (objects, logs) ask the same rule. ``package_show`` needs no chain:
the permission labels of :mod:`ckanext.shanghai.harvest.access` decide it.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic.auth import get_package_object
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.harvest.model import HarvestObject, HarvestSource
from ckanext.harvest.queue import get_harvester

from .. import access

__all__ = ["harvest_job_list", "harvest_log_list", "harvest_object_list", "harvest_object_show",
           "harvest_source_create", "package_create", "package_delete", "package_update", "shanghai_harvest_status"]


def _contacted_urls(source_type: str | None, url: str | None, config: str | None) -> list[str]:
    """What a source would fetch: its harvester says so (``contacted_urls``), else its url."""
    harvester = get_harvester(source_type) if source_type else None
    if harvester is not None and hasattr(harvester, "contacted_urls"):
        return harvester.contacted_urls(url, config)
    return [url or ""]


def _change(user: str, org_id: str | None, data_dict: DataDict, stored: HarvestSource | None = None) -> AuthResult:
    """Creating or changing a source: :func:`access.change_refusal` on what it would become."""
    source_type = data_dict.get("source_type") or (stored.type if stored else None)
    url = data_dict.get("url") or (stored.url if stored else None)
    config = data_dict.get("config") or (stored.config if stored else None)
    if isinstance(config, dict):
        config = json.dumps(config)
    reason = access.change_refusal(user, org_id, source_type, _contacted_urls(source_type, url, config))
    return {"success": False, "msg": reason} if reason else {"success": True}


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def package_create(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
    """A harvest source: sysadmins, or an admin of its organisation within the allow-lists."""
    data_dict = data_dict or {}
    if data_dict.get("type") == access.SOURCE_DATASET_TYPE:
        result = _change(context.get("user", ""), data_dict.get("owner_org"), data_dict)
        if not result["success"]:
            return result
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_source_create(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """As ``package_create`` of a source (ckanext-harvest's own check forwards there too)."""
    return package_create(next_auth, context, dict(data_dict or {}, type=access.SOURCE_DATASET_TYPE))


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def package_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """A harvest source (and its jobs, which ckanext-harvest checks here): its operators;
    what it fetches, within the allow-lists."""
    package = get_package_object(context, data_dict)
    if access.SOURCE_DATASET_TYPE in (package.type, data_dict.get("type")):
        user = context.get("user", "")
        if not access.is_operator(user, package.owner_org):
            return {"success": False, "msg": tk._("Only sysadmins and the admins of the source's organisation may "
                                                   "change harvest sources or run their jobs")}
        if {"source_type", "url", "config", "owner_org"} & set(data_dict):
            result = _change(user, data_dict.get("owner_org") or package.owner_org, data_dict,
                             HarvestSource.get(package.id))
            if not result["success"]:
                return result
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_delete(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """A harvest source: its operators."""
    package = get_package_object(context, data_dict)
    if package.type == access.SOURCE_DATASET_TYPE and not access.is_operator(context.get("user"), package.owner_org):
        return {"success": False, "msg": tk._("Only sysadmins and the admins of the source's organisation may "
                                               "delete harvest sources")}
    return next_auth(context, data_dict)


def _objects_refused() -> AuthResult:
    return {"success": False, "msg": tk._("Only sysadmins and the admins of the source's organisation may see "
                                          "harvest objects")}


def _source_orgs(source_ids: list[str]) -> list[str | None]:
    return [model.Session.query(model.Package.owner_org).filter(model.Package.id == s).scalar() for s in source_ids]


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def harvest_object_show(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """The operators of the object's source (by ``id``), or of the sources of a
    dataset's objects (by ``dataset_id``)."""
    if data_dict.get("id"):
        obj = HarvestObject.get(data_dict["id"])
        sources = [obj.harvest_source_id] if obj is not None else []
    else:
        package = model.Package.get(data_dict.get("dataset_id") or "")
        sources = [row[0] for row in model.Session.query(HarvestObject.harvest_source_id).filter(
            HarvestObject.package_id == package.id).distinct()] if package is not None else []
    user = context.get("user")
    if not sources or not all(access.is_operator(user, org) for org in _source_orgs(sources)):
        return _objects_refused()
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_object_list(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """The operators of ``source_id``'s source; every source's objects: sysadmins only."""
    source_id = data_dict.get("source_id")
    if not source_id or not access.is_operator(context.get("user"), _source_orgs([source_id])[0]):
        return _objects_refused()
    return next_auth(context, data_dict)


def shanghai_harvest_status(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (CKAN lets them through before this is asked); the harvest log too."""
    return {"success": False, "msg": tk._("Only sysadmins may see the harvest status")}


@tk.chained_auth_function
def harvest_job_list(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Jobs of one source for its operators; all jobs for sysadmins. ckanext-harvest's
    check read ``source_id`` without looking (a 500 when it was left out)."""
    if not data_dict.get("source_id") and not access.is_operator(context.get("user"), None):
        return {"success": False, "msg": tk._("Name the harvest source (source_id) whose jobs to list.")}
    return next_auth(context, data_dict)


#: ckanext-harvest's checks for sysadmins only, which look the user up without checking
#: there is one (``user_is_sysadmin``: an AttributeError, a 500, for anonymous callers).
_SYSADMIN_ONLY = ("harvest_job_abort", "harvest_job_create_all", "harvest_jobs_run", "harvest_objects_import",
                  "harvest_sources_clear", "harvest_sources_reindex")


def _signed_in_first() -> AuthFunction:
    @tk.chained_auth_function
    def check(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
        if model.User.get(context.get("user") or "") is None:
            return {"success": False, "msg": tk._("Only sysadmins may do this.")}
        return next_auth(context, data_dict)
    return check


def harvest_log_list(context: Context, data_dict: DataDict) -> AuthResult:
    """The harvest log spans every source: sysadmins only. ckanext-harvest's action asks
    a check of this name but declares none."""
    return shanghai_harvest_status(context, data_dict)


def auth_functions() -> dict[str, Any]:
    """Every auth function of this module, by name (for ``IAuthFunctions``)."""
    return {**{name: globals()[name] for name in __all__},
            **{name: _signed_in_first() for name in _SYSADMIN_ONLY}}
