"""Template helpers of the shanghai plugin."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.shanghai.common.domains import Domain

from . import access, domains

__all__ = [
    "shanghai_domain_choices", "shanghai_domains", "shanghai_catalogue_stats",
    "shanghai_localized", "shanghai_newest_datasets", "shanghai_is_english",
    "shanghai_organization_title", "shanghai_data_refusal",
]


def shanghai_is_english() -> bool:
    """Whether the page is being shown in English."""
    # lang() is None in a request context that has no CKAN language (jobs, benchmarks).
    return (tk.h.lang() or "").startswith("en")


def shanghai_domain_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming choices of ``data_domain``: the configured domains, bilingual."""
    return [{"value": d.code, "label": {"zh_Hans_CN": d.title, "en": d.title_en}}
            for d in domains.configured_domains()]


def shanghai_domains() -> tuple[Domain, ...]:
    """The configured domains, in their configured order."""
    return domains.configured_domains()


def shanghai_catalogue_stats() -> dict[str, Any]:
    """The catalogue statistics for the current user (see the action)."""
    return tk.get_action("shanghai_catalogue_stats")({}, {})


def shanghai_newest_datasets(limit: int = 6) -> list[dict[str, Any]]:
    """The most recently published datasets the current user may see."""
    return tk.get_action("package_search")(
        {}, {"rows": limit, "sort": "metadata_created desc"})["results"]


def shanghai_organization_title(org: dict[str, Any] | None) -> str:
    """A department's title in the page's language (English from its extras)."""
    if not org:
        return ""
    if shanghai_is_english():
        group = model.Group.get(org.get("id") or org.get("name"))
        if group is not None and group.extras.get("title_en"):
            return group.extras["title_en"]
    return org.get("title") or org.get("name") or ""


def shanghai_localized(obj: dict[str, Any], key: str = "title") -> str:
    """``obj[key]``, or its English ``<key>_en`` (top level or extras) on English pages."""
    value = obj.get(key) or ""
    if not shanghai_is_english():
        return value
    english = obj.get(f"{key}_en")
    if not english:
        english = next((e["value"] for e in obj.get("extras") or []
                        if e.get("key") == f"{key}_en"), None)
    return english or value


def shanghai_data_refusal(resource_id: str) -> str | None:
    """Why the current user may not read the resource's data (None: they may)."""
    return access.decide_for_resource(access.current_user(), resource_id).message
