"""Search facets: our fields with translated titles, and codes shown as labels."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context

from ckanext.scheming.helpers import (
    scheming_choices_label,
    scheming_field_by_name,
    scheming_get_dataset_schema,
)

from . import domains

#: Facets of the dataset search, in display order (field → title).
DATASET_FACETS = {
    "data_domain": "Data domain",
    "organization": "Departments",
    "open_type": "Open type",
    "tags": "Tags",
    "res_format": "Formats",
    "license_id": "Licenses",
}
_CHOICE_FIELDS = ("data_domain", "open_type", "update_frequency", "share_type")


def dataset_facets() -> dict[str, str]:
    """The dataset facets with titles in the user's language."""
    return {name: tk._(title) for name, title in DATASET_FACETS.items()}


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show choice codes (``transport``) by their labels (道路交通 / Road traffic), and
    departments by their English names on English pages."""
    schema = scheming_get_dataset_schema("dataset")
    if not schema or not has_request_context():
        # Labels depend on the request's language; outside a request there is none.
        return search_results
    for name in _CHOICE_FIELDS:
        facet = search_results.get("search_facets", {}).get(name)
        field = scheming_field_by_name(schema["dataset_fields"], name)
        if not facet or not field:
            continue
        choices = tk.h.scheming_field_choices(field) or []
        for item in facet["items"]:
            item["display_name"] = scheming_choices_label(choices, item["name"])
    departments = search_results.get("search_facets", {}).get("organization")
    if departments and tk.h.shanghai_is_english():
        english = domains.organization_english_titles([i["name"] for i in departments["items"]])
        for item in departments["items"]:
            item["display_name"] = english.get(item["name"], item["display_name"])
    return search_results
