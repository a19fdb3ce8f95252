"""Who may see and run harvests: the whole policy in one place.

Harvest sources, jobs, objects and logs are operators' data. A source's operators
are the sysadmins and the admins of the source's organisation (its department);
editors, members and everyone else see none of it. The auth functions in
:mod:`ckanext.shanghai.harvest.logic.auth` ask :func:`is_operator`; the permission labels below give a
source dataset (type ``harvest``) one label that only its operators hold, so CKAN's
``package_show`` auth and every search (``package_search``, the ``/harvest`` pages)
follow the same rule. Source datasets are also kept private (:func:`keep_private`), so
that ``package_list`` and the other listings of public datasets leave them out.

Creating or changing a source is for its operators, and an organisation admin only
within the allow-lists of the config (:func:`change_refusal`). Credentials never
live in a source's config (see :func:`secret_keys`): a source names an environment
variable (``token_env``), read at gather time only.
"""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.lib.plugins import DefaultPermissionLabels

#: ckanext-harvest's dataset type of a harvest source
SOURCE_DATASET_TYPE = "harvest"

#: config keys that hold a credential (``token_env`` and the like only name one)
_SECRET_KEY = re.compile(r"token|secret|passw|api_?key|credential|authori[sz]ation", re.IGNORECASE)


def operators_label(org_id: str) -> str:
    """The permission label of the harvest sources of one organisation."""
    return f"harvest-operators-{org_id}"


def is_operator(user: str | None, org_id: str | None) -> bool:
    """Whether ``user`` (a name or id) operates the harvest sources of organisation
    ``org_id``: a sysadmin, or an admin of that organisation."""
    if not user:
        return False
    if authz.is_sysadmin(user):
        return True
    return bool(org_id) and authz.users_role_for_group_or_org(org_id, user) == "admin"


class PermissionLabels(DefaultPermissionLabels):
    """CKAN's labels, except that a harvest source carries only its operators' label."""

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        if dataset_obj.type == SOURCE_DATASET_TYPE:
            # no owner: nobody but sysadmins (who are not filtered by labels)
            return [operators_label(dataset_obj.owner_org)] if dataset_obj.owner_org else []
        return super().get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        labels = super().get_user_dataset_labels(user_obj)
        if user_obj and not user_obj.is_anonymous:
            labels += [operators_label(org_id) for org_id in admin_orgs(user_obj)]
        return labels


def keep_private(package: model.Package) -> None:
    """Make a source dataset private, whatever its creator asked (a source without an
    organisation cannot be private in CKAN; its label already hides it)."""
    if package.type == SOURCE_DATASET_TYPE and package.owner_org:
        package.private = True


def admin_orgs(user_obj: model.User) -> list[str]:
    """The ids of the organisations ``user_obj`` is an admin of."""
    return [g.id for g in user_obj.get_groups(capacity="admin") if g.is_organization]


def secret_keys(config: dict[str, Any]) -> list[str]:
    """The keys of a source config that look like credentials (``token_env`` and
    other ``…_env`` keys only name an environment variable)."""
    return [k for k in config if _SECRET_KEY.search(k) and not k.endswith("_env")]


def public_source(source: dict[str, Any]) -> dict[str, Any]:
    """A shown source (``package_show``, ``harvest_source_list``) without credentials:
    a legacy config's secret-looking keys are removed from the config and from the
    top level, where ckanext-harvest copies every config key."""
    try:
        config = json.loads(source.get("config") or "{}")
    except (TypeError, ValueError):
        config = None
    if not isinstance(config, dict):  # unreadable: it may hold anything
        source["config"] = ""
        return source
    for key in secret_keys(config):
        del config[key]
        source.pop(key, None)
    if source.get("config"):
        source["config"] = json.dumps(config, ensure_ascii=False)
    return source


def change_refusal(user: str, org_id: str | None, source_type: str | None, urls: list[str]) -> str | None:
    """Why ``user`` may not create (or change) a source of ``source_type`` in
    organisation ``org_id`` that contacts ``urls``; ``None`` if they may.

    Sysadmins may do anything; the admins of ``org_id`` only the source types of
    ``ckanext.shanghai.harvest.allowed_source_types`` and http(s) URLs on the hosts of
    ``ckanext.shanghai.harvest.allowed_hosts``. Local paths are the harvester's
    concern (the catalogue folder), for everyone.
    """
    if authz.is_sysadmin(user):
        return None
    if not is_operator(user, org_id):
        return tk._("Only sysadmins and the admins of the source's organisation may create or change "
                    "harvest sources")
    if source_type not in tk.config.get("ckanext.shanghai.harvest.allowed_source_types"):
        return tk._("Organisation admins may not create harvest sources of type {type}").format(type=source_type)
    hosts = {h.lower() for h in tk.config.get("ckanext.shanghai.harvest.allowed_hosts")}
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or (parts.hostname or "") not in hosts:
            return tk._("Organisation admins may only harvest http(s) addresses on the allowed hosts; "
                        "{url} is not one").format(url=url)
    return None
