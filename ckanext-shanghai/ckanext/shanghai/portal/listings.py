"""Listings that must not reveal datasets the caller may not see.

CKAN hides private datasets from searches, pages and most lists by permission labels;
two places escaped it:

- ``member_list`` of an organisation or group listed the ids of all its datasets,
  private (non-open) ones included: :func:`visible_members` keeps those the caller may
  ``package_show`` (chained action in ``logic/action.py``).
- The activity stream labels each activity with the dataset's permission labels *when
  it was recorded*, so the earlier activity of a dataset made private later (for example
  turned non-open) stayed public on the site-wide, user and dashboard streams:
  :func:`relabel_activities` gives a dataset's activities its current labels whenever it
  changes (``after_dataset_update`` of the ``shanghai`` plugin).
- ``tag_list``, ``tag_search`` and ``tag_autocomplete`` listed every tag, those only
  non-open datasets carry included: :func:`visible_tags` keeps the tags of datasets the
  caller may see (chained actions in ``logic/action.py``).
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.plugins import get_permission_labels
from ckan.types import Context
from sqlalchemy.dialects.postgresql import ARRAY

from ckanext.activity.model import Activity

__all__ = ["relabel_activities", "visible_members", "visible_tags"]


def visible_members(context: Context, members: list[Any]) -> list[Any]:
    """``member_list``'s ``(id, type, capacity)`` rows without the datasets the caller
    may not see."""
    ids = [member[0] for member in members if member[1] == "package"]
    public = set(model.Session.scalars(
        sa.select(model.Package.id).where(model.Package.id.in_(ids),
                                          model.Package.state == "active",
                                          model.Package.private.is_(False))))

    def may_show(package_id: str) -> bool:
        if package_id in public:
            return True
        try:
            return tk.check_access("package_show", {"user": context.get("user", "")},
                                   {"id": package_id})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            return False

    return [member for member in members if member[1] != "package" or may_show(member[0])]


def relabel_activities(package_id: str) -> None:
    """Give every activity of the dataset its current permission labels (in the
    session of the change, so they commit together)."""
    package = model.Package.get(package_id)
    if package is None or not p.plugin_loaded("activity"):
        return
    labels = get_permission_labels().get_dataset_labels(package)
    # The column is text[] in the database (the model declares it Text); only activities
    # whose labels differ are written, so an ordinary update rewrites nothing.
    stored = sa.column("permission_labels", ARRAY(sa.Text))
    model.Session.execute(sa.update(Activity).where(
        Activity.object_id == package.id,
        stored.is_distinct_from(sa.literal(labels, ARRAY(sa.Text)))).values(permission_labels=labels))


def visible_tags(context: Context, names: list[str]) -> list[str]:
    """``names`` without the free tags that only datasets hidden from the caller carry.

    A tag some public active dataset carries is visible to all; the others (the tags of
    private datasets only, few) only if ``package_search`` shows the caller a private
    dataset carrying them, so CKAN's permission labels decide, as for the datasets.
    """
    on_public = set(model.Session.scalars(
        sa.select(model.Tag.name).join(model.PackageTag).join(model.Package)
        .where(model.Tag.name.in_(names), model.PackageTag.state == "active",
               model.Package.state == "active", model.Package.private.is_(False))))
    if len(on_public) == len(set(names)):
        return names
    private = tk.get_action("package_search")(
        {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
        {"fq": "capacity:private", "include_private": True, "rows": 0,
         "facet.field": ["tags"], "facet.limit": -1})
    shown = on_public | {item["name"] for item in private["search_facets"]["tags"]["items"]}
    return [name for name in names if name in shown]
