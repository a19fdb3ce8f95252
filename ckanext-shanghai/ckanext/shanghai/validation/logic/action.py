"""Actions of the validation plugin, and strict mode wrapped around core's
``resource_create`` / ``resource_update``."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Action, Context, DataDict

from .. import explain, quality, runner
from .. import queue as validation_queue
from ..model import SHOWN_KEYS, Report
from . import schema as schemas

__all__ = ["package_create", "package_update", "resource_create", "resource_update",
           "shanghai_dataset_quality_show", "shanghai_resource_validation_run",
           "shanghai_resource_validation_show", "shanghai_validation_queue_show",
           "shanghai_validation_retry", "shanghai_validation_revalidate_all"]

#: The most jobs of each kind ``shanghai_validation_queue_show`` lists.
MAX_LISTED = 1000


def _resource(context: Context, resource_id: str) -> dict[str, Any]:
    return tk.get_action("resource_show")(
        {"ignore_auth": True, "user": context.get("user")}, {"id": resource_id})


@tk.side_effect_free
@validate(schemas.resource_ref)
def shanghai_resource_validation_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The latest validation report of a resource.

    :param id: the resource's id
    :type id: string
    :returns: ``status`` (pending, running, success, failure, error), ``schema``,
        ``created``/``started``/``finished``, ``rows``, ``error_count``, ``message``
        (why a file could not be validated, also as ``message_zh``), ``report``
        (frictionless-shaped: ``errors`` with ``type``, ``rowNumber``, ``fieldName``,
        ``cell``, ``note``, ``message`` …), ``datastore_rows`` and, while pending,
        ``queue``: ``ahead`` (jobs before it), ``position`` (ahead + 1) and
        ``expected_seconds`` (until its report, from recent jobs; null without any)
    :rtype: dictionary
    """
    tk.check_access("shanghai_resource_validation_show", context, data_dict)
    report = Report.get(_resource(context, data_dict["id"])["id"])
    if report is None:
        raise tk.ObjectNotFound(tk._("This resource has not been validated"))
    found = report.as_dict()
    if report.status == "pending":
        place = validation_queue.place(report.resource_id)
        found["queue"] = place.as_dict() if place else None
    return found


@validate(schemas.resource_ref)
def shanghai_resource_validation_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Validate a resource again, in the background (editors of its dataset).

    :param id: the resource's id
    :type id: string
    :returns: the pending report (see ``shanghai_resource_validation_show``)
    :rtype: dictionary
    """
    tk.check_access("shanghai_resource_validation_run", context, data_dict)
    resource = _resource(context, data_dict["id"])
    if not runner.tabular_format(resource):
        raise tk.ValidationError({"format": [tk._(
            "Only CSV, XLSX and JSON resources can be validated")]})
    package = tk.get_action("package_show")({"ignore_auth": True},
                                            {"id": resource["package_id"]})
    if not runner.resolve_schema(resource, package):
        raise tk.ValidationError({"schema": [tk._(
            "No Table Schema applies: give the resource a schema, or the dataset a domain "
            "with a default schema")]})
    runner.enqueue(resource, force=True)
    report = Report.get(resource["id"])
    assert report is not None
    return report.as_dict()


@tk.side_effect_free
@validate(schemas.dataset_ref)
def shanghai_dataset_quality_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A dataset's quality score (0–100) and its four parts of 25 points each.

    :param id: the dataset's id or name
    :type id: string
    :returns: ``score``, ``level`` (high ≥ 80, medium ≥ 60, low) and ``parts``
        (``valid``, ``complete``, ``up_to_date``, ``open_format``)
    :rtype: dictionary
    """
    tk.check_access("shanghai_dataset_quality_show", context, data_dict)
    package = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    return quality.of_dataset(package, {r.resource_id: r.status
                                        for r in Report.for_package(package["id"])})


@tk.side_effect_free
@validate(schemas.queue_listing)
def shanghai_validation_queue_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The validation queue for operators (sysadmins): pending, running and failed jobs
    (rq's queue and registries) and the reports that ended as ``error``.

    :param limit: how many of each kind to list (default 200, at most 1000)
    :type limit: int
    :returns: ``pending``, ``running``, ``failed``, ``errors``: lists of ``job_id``,
        ``resource_id``, ``resource_name``, ``dataset``, ``dataset_title``, ``since``,
        ``age_seconds`` (pending: ``position``; failed and errors: ``reason``);
        ``counts`` (the totals), ``workers`` and ``per_job_seconds`` (recent jobs)
    :rtype: dictionary
    """
    tk.check_access("shanghai_validation_queue_show", context, data_dict)
    return validation_queue.overview(min(data_dict.get("limit", validation_queue.LISTED),
                                         MAX_LISTED))


@validate(schemas.resource_ref)
def shanghai_validation_retry(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Validate a resource again and forget its failed jobs (sysadmins).

    :param id: the resource's id
    :type id: string
    :returns: the pending report (see ``shanghai_resource_validation_show``)
    :rtype: dictionary
    """
    tk.check_access("shanghai_validation_retry", context, data_dict)
    resource = _resource(context, data_dict["id"])
    found = tk.get_action("shanghai_resource_validation_run")(dict(context), {"id": resource["id"]})
    validation_queue.forget_failed(resource["id"])
    return found


def shanghai_validation_revalidate_all(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Validate every resource that has a report again (sysadmins). A background job
    (CKAN's default queue) queues them, as it reads every resource.

    :returns: ``job_id`` of that job
    :rtype: dictionary
    """
    tk.check_access("shanghai_validation_revalidate_all", context, data_dict)
    job = tk.enqueue_job(validation_queue.revalidate_all, title="validate everything again")
    return {"job_id": job.id}


def _strict_check(context: Context, data_dict: DataDict) -> None:
    """In strict mode, refuse (409) an upload whose data breaks its Table Schema."""
    upload = data_dict.get("upload")
    stream = getattr(upload, "stream", None)
    if not tk.config.get("ckanext.shanghai.validation.strict") or stream is None:
        return
    package_id = data_dict.get("package_id")
    if not package_id and data_dict.get("id"):
        package_id = _resource(context, data_dict["id"])["package_id"]
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    resource = dict(data_dict, url=data_dict.get("url") or getattr(upload, "filename", ""))
    fmt, found = runner.tabular_format(resource), runner.resolve_schema(resource, package)
    if not fmt or not found:
        return
    with tempfile.TemporaryDirectory(prefix="shanghai-strict-") as tmp:
        path = runner.copy_upload(stream, Path(tmp), getattr(upload, "filename", ""))
        outcome = runner.check_file(path, fmt, found[1])
    if outcome.status == "success":
        return
    raise tk.ValidationError({"upload": [summary(outcome, found[1])]})


def summary(outcome: runner.Outcome, descriptor: dict[str, Any], shown: int = 5) -> str:
    """The refusal message: what kind of failure, and the first errors explained."""
    if outcome.status == "error":
        return tk._("The file cannot be validated: {message} / {message_zh}").format(
            message=outcome.message, message_zh=outcome.message_zh)
    titles = {f["name"]: f.get("title", "") for f in descriptor["fields"]}
    errors = outcome.report.get("errors") or []
    lines = [f"第 {e.get('rowNumber', '-')} 行: {explain.explain(e, titles)}"
             for e in errors[:shown]]
    more = len(errors) - shown
    head = tk._("Strict mode: the data does not match its Table Schema ({count} errors "
                "in {rows} rows); it was not published.").format(
                    count=outcome.error_count, rows=outcome.rows)
    tail = [tk._("… and {count} more").format(count=more)] if more > 0 else []
    return " ".join([head, *lines, *tail])


@tk.chained_action
def resource_create(up_func: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Core's resource_create; in strict mode an invalid upload is refused first."""
    tk.check_access("resource_create", context, data_dict)
    _strict_check(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def resource_update(up_func: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Core's resource_update; in strict mode an invalid new upload is refused first."""
    tk.check_access("resource_update", context, data_dict)
    _strict_check(context, data_dict)
    return up_func(context, data_dict)


def _strip_shown_keys(data_dict: DataDict) -> None:
    # package_show adds the quality and the validation status to every resource; a dict
    # sent back to package_update (core's resource_update/delete do that) must not store them.
    data_dict.pop("quality", None)
    data_dict.pop("quality_level", None)
    for resource in data_dict.get("resources") or []:
        if isinstance(resource, dict):
            for key in SHOWN_KEYS:
                resource.pop(key, None)


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Core's package_create, without the shown validation keys in its resources."""
    _strip_shown_keys(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Core's package_update, without the shown validation keys in its resources; when
    it changed what decides the resources' schemas (the domain, a resource's
    ``schema``), the resources are validated again, and the resources it added are
    validated (not with ``defer_commit``: the caller has not committed yet, and the
    job would read the old dataset)."""
    _strip_shown_keys(data_dict)
    ref = data_dict.get("id") or data_dict.get("name")
    before = validation_queue.schema_inputs(ref) if isinstance(ref, str) else None
    result = up_func(context, data_dict)
    if before is not None and not context.get("defer_commit"):
        validation_queue.requeue_updated(before)
    return result
