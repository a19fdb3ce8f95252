"""Actions of the shanghai plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.shanghai.common import vocabulary

from .. import domains, listings

__all__ = ["member_list", "shanghai_catalogue_stats", "tag_autocomplete", "tag_list",
           "tag_search"]

_FACETS = ("open_type", "data_domain", "organization", "num_resources", "num_data_items")


def _weighted_sum(counts: dict[str, int]) -> int:
    # A facet on a per-dataset number gives {number: datasets}; their product sums it.
    return sum(int(value) * n for value, n in counts.items() if value.isdigit())


@tk.side_effect_free
def shanghai_catalogue_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Statistics of the catalogue the caller may see.

    Counted by ``package_search`` over the caller's visible datasets, so a private
    or non-open dataset is only counted for those who may read it.

    :returns: ``datasets``, ``resources``, ``data_items`` (fields of the datasets'
        Table Schemas), ``departments`` (departments with datasets),
        ``by_open_type`` ({type: count} for the three open types),
        ``by_domain`` (every domain: ``code``, ``title``, ``title_en``, ``icon``,
        ``count``) and ``by_department`` (``name``, ``title``, ``count``, most
        datasets first).
    :rtype: dictionary
    """
    tk.check_access("shanghai_catalogue_stats", context, data_dict)
    result = tk.get_action("package_search")(
        {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
        {"rows": 0, "include_private": True, "facet.field": list(_FACETS),
         "facet.limit": -1})
    facets: dict[str, dict[str, int]] = {
        name: {item["name"]: item["count"] for item in result["search_facets"][name]["items"]}
        for name in _FACETS}

    by_domain = [
        {"code": d.code, "title": d.title, "title_en": d.title_en, "icon": d.icon,
         "count": facets["data_domain"].get(d.code, 0)}
        for d in domains.configured_domains()]
    titles = domains.organization_titles(list(facets["organization"]))
    by_department = [
        {"name": name, "title": titles.get(name, name), "count": count}
        for name, count in sorted(facets["organization"].items(),
                                  key=lambda item: (-item[1], item[0]))]
    return {
        "datasets": result["count"],
        "resources": _weighted_sum(facets["num_resources"]),
        "data_items": _weighted_sum(facets["num_data_items"]),
        "departments": len(by_department),
        "by_open_type": {t.code: facets["open_type"].get(t.code, 0) for t in vocabulary.open_types()},
        "by_domain": by_domain,
        "by_department": by_department,
    }


@tk.chained_action
@tk.side_effect_free
def member_list(original_action: Action, context: Context,
                data_dict: DataDict) -> list[Any]:
    """CKAN's ``member_list``, without the datasets the caller may not see (private and
    non-open ones of other departments): see ``listings.visible_members``."""
    return listings.visible_members(context, original_action(context, data_dict))


def _page(data_dict: DataDict) -> tuple[DataDict, slice]:
    """``data_dict`` without paging, and the page it asked for (applied after filtering,
    so that counts and pages are those of the visible tags)."""
    try:
        start = max(int(data_dict.get("offset") or 0), 0)
        limit = data_dict.get("limit")
        stop = start + max(int(limit), 0) if limit not in (None, "") else None
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [tk._("Must be a whole number")]}) from None
    whole = {key: value for key, value in data_dict.items() if key not in ("limit", "offset")}
    return whole, slice(start, stop)


@tk.chained_action
@tk.side_effect_free
def tag_list(original_action: Action, context: Context, data_dict: DataDict) -> list[Any]:
    """CKAN's ``tag_list`` without the tags only datasets hidden from the caller carry
    (``listings.visible_tags``); vocabulary tags are CKAN's."""
    tags = original_action(context, data_dict)
    if data_dict.get("vocabulary_id"):
        return tags
    names = set(listings.visible_tags(
        context, [t["name"] if isinstance(t, dict) else t for t in tags]))
    return [t for t in tags if (t["name"] if isinstance(t, dict) else t) in names]


@tk.chained_action
@tk.side_effect_free
def tag_search(original_action: Action, context: Context,
               data_dict: DataDict) -> dict[str, Any]:
    """CKAN's ``tag_search`` over the tags the caller may see (as ``tag_list``)."""
    if data_dict.get("vocabulary_id"):
        return original_action(context, data_dict)
    whole, page = _page(data_dict)
    tags = original_action(context, whole)["results"]
    names = set(listings.visible_tags(context, [tag["name"] for tag in tags]))
    shown = [tag for tag in tags if tag["name"] in names]
    return {"count": len(shown), "results": shown[page]}


@tk.chained_action
@tk.side_effect_free
def tag_autocomplete(original_action: Action, context: Context,
                     data_dict: DataDict) -> list[str]:
    """CKAN's ``tag_autocomplete`` over the tags the caller may see (as ``tag_list``)."""
    if data_dict.get("vocabulary_id"):
        return original_action(context, data_dict)
    whole, page = _page(data_dict)
    return listings.visible_tags(context, original_action(context, whole))[page]
