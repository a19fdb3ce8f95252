"""The validation report page of a resource: errors by row and field, in Chinese."""
from __future__ import annotations

from itertools import groupby
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from flask import Blueprint

from . import explain, runner

__all__ = ["shanghai_validation"]

shanghai_validation = Blueprint("shanghai_validation", __name__)


def _context() -> Context:
    user = tk.current_user
    return {"user": user.name if user and user.is_authenticated else ""}


@shanghai_validation.route("/dataset/<id>/resource/<resource_id>/validation")
def report(id: str, resource_id: str) -> str:
    """The report page (404 if the resource or its report is unknown, 403 if hidden)."""
    context = _context()
    try:
        package = tk.get_action("package_show")(dict(context), {"id": id})
        resource = tk.get_action("resource_show")(dict(context), {"id": resource_id})
        found = tk.get_action("shanghai_resource_validation_show")(
            dict(context), {"id": resource_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Validation report not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this report"))
    if resource["package_id"] != package["id"]:
        return tk.abort(404, tk._("Validation report not found"))
    schema = runner.resolve_schema(resource, package)
    fields = schema[1]["fields"] if schema else []
    titles = {f["name"]: f.get("title", "") for f in fields}
    errors: list[dict[str, Any]] = [
        dict(e, explanation=explain.explain(e, titles),
             title_zh=explain.TITLES_ZH.get(e.get("type", ""), e.get("title", "")),
             field_title=titles.get(e.get("fieldName") or "", ""))
        for e in found["report"].get("errors") or []]
    by_row = [(row, list(items)) for row, items in
              groupby(errors, key=lambda e: e.get("rowNumber"))]
    by_field: dict[str, int] = {}
    for error in errors:
        key = error.get("fieldName") or "-"
        by_field[key] = by_field.get(key, 0) + 1
    return tk.render("shanghai/validation/report.html", {
        "pkg": package, "res": resource, "found": found, "by_row": by_row,
        "by_field": sorted(by_field.items(), key=lambda item: -item[1]),
        "titles": titles, "schema_fields": fields})
