"""The validation report page of a resource (errors by row and field, in Chinese) and
the operators' queue page (pending, running and failed jobs; retry; validate
everything again)."""
from __future__ import annotations

from itertools import groupby
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from flask import Blueprint
from werkzeug.wrappers.response import Response

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


def _operator_call(action: str, data_dict: dict[str, Any]) -> Any:
    """Call a sysadmins' action for the current user (403 for anyone else)."""
    try:
        return tk.get_action(action)(_context(), data_dict)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may see or work the validation queue"))


@shanghai_validation.route("/ckan-admin/validation")
def queue() -> str:
    """The validation queue for operators (sysadmins only)."""
    found = _operator_call("shanghai_validation_queue_show", {})
    return tk.render("shanghai/validation/queue.html", {"queue": found})


@shanghai_validation.route("/ckan-admin/validation/retry/<resource_id>", methods=["POST"])
def retry(resource_id: str) -> Response:
    """Validate one resource again, then back to the queue page."""
    try:
        _operator_call("shanghai_validation_retry", {"id": resource_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(str(m) for ms in error.error_dict.values()
                                  for m in (ms if isinstance(ms, list) else [ms])))
    else:
        tk.h.flash_success(tk._("The resource was queued for validation again."))
    return tk.redirect_to("shanghai_validation.queue")


@shanghai_validation.route("/ckan-admin/validation/revalidate", methods=["POST"])
def revalidate() -> Response:
    """Validate everything again, then back to the queue page."""
    _operator_call("shanghai_validation_revalidate_all", {})
    tk.h.flash_success(tk._("Every validated resource will be queued again in a moment."))
    return tk.redirect_to("shanghai_validation.queue")
