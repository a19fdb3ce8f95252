"""Actions the harvesters add or wrap."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.types import Action, AuthResult, Context, DataDict

__all__ = ["harvest_source_clear", "harvest_source_reindex", "shanghai_harvest_status", "shanghai_harvest_status_auth"]


@tk.chained_action
def harvest_source_reindex(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Reindex a harvest source dataset through CKAN's search registry.

    ckanext-harvest instantiates the Solr ``PackageSearchIndex`` itself, which
    bypasses the search backend that ``shanghai_search`` registers (there is no
    Solr); ``search.rebuild`` goes through ``index_for`` and so reaches ours.

    :param id: the harvest source's id or name
    :type id: string
    :returns: ``True``
    """
    tk.check_access("harvest_source_reindex", context, data_dict)
    search.rebuild(tk.get_or_bust(data_dict, "id"), defer_commit=bool(context.get("defer_commit")))
    return True


@tk.chained_action
def harvest_source_clear(up_func: Action, context: Context, data_dict: DataDict) -> dict[str, str]:
    """Delete every dataset a harvest source made, and the source's jobs and
    objects; the source itself stays.

    ckanext-harvest's version removes the datasets from Solr over a direct
    connection (there is no Solr) and deletes them with SQL that bypasses the
    search index. This one purges dataset by dataset with CKAN's ``dataset_purge``
    (so the search index follows), each in one transaction with the harvest
    objects that point at it: an interrupted clear leaves whole datasets, and
    running it again finishes it. The jobs and the remaining objects go with
    ``harvest_source_job_history_clear``.

    :param id: the harvest source's id or name
    :type id: string
    :returns: ``{"id": <source id>}``
    """
    from ckanext.harvest.model import HarvestObject, HarvestObjectError, HarvestObjectExtra, HarvestSource

    tk.check_access("harvest_source_clear", context, data_dict)
    reference = tk.get_or_bust(data_dict, "id")
    source = HarvestSource.get(reference)
    if source is None:
        package = model.Package.get(reference)  # a source is also a dataset, known by its name
        source = HarvestSource.get(package.id) if package else None
    if source is None:
        raise tk.ObjectNotFound(tk._("Harvest source not found"))
    package_ids = [row[0] for row in model.Session.query(HarvestObject.package_id).filter(
        HarvestObject.harvest_source_id == source.id, HarvestObject.package_id.isnot(None)).distinct()]
    # The source's check above is the permission; purging is a sysadmin's action.
    purge_context: Context = {"user": context.get("user", ""), "ignore_auth": True}
    for package_id in package_ids:
        objects = sa.select(HarvestObject.id).where(HarvestObject.package_id == package_id)
        for table in (HarvestObjectError, HarvestObjectExtra):
            model.Session.query(table).filter(table.harvest_object_id.in_(objects)).delete(synchronize_session=False)
        model.Session.query(HarvestObject).filter(HarvestObject.package_id == package_id).delete(
            synchronize_session=False)
        if model.Package.get(package_id) is not None:
            tk.get_action("dataset_purge")(dict(purge_context), {"id": package_id})  # commits both
        else:
            model.Session.commit()
    tk.get_action("harvest_source_job_history_clear")(dict(context), {"id": source.id})
    return {"id": source.id}


def shanghai_harvest_status_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (CKAN lets them through before this is asked)."""
    return {"success": False, "msg": tk._("Only sysadmins may see the harvest status")}


@tk.side_effect_free
def shanghai_harvest_status(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every harvest source with its last job: status, times, counts and errors.

    :param errors_limit: how many error messages per source (default 50)
    :type errors_limit: int
    :returns: one dict per source: ``name``, ``title``, ``type``, ``organization``,
        ``last_job`` (``id``, ``status``, ``created``, ``finished``) or ``None``,
        ``counts`` (``created``, ``updated``, ``unchanged``, ``withdrawn``, ``errors``)
        and ``errors`` (messages naming file, sheet, row and field)
    """
    from ckanext.harvest.model import HarvestJob, HarvestSource

    from harvesters.operations import summarise

    tk.check_access("shanghai_harvest_status", context, data_dict)
    try:
        limit = int(data_dict.get("errors_limit", 50))
    except (TypeError, ValueError) as e:
        raise tk.ValidationError({"errors_limit": [tk._("Must be a whole number")]}) from e
    result = []
    for source in model.Session.query(HarvestSource).filter(HarvestSource.active.is_(True)):
        package = model.Package.get(source.id)
        if package is None or package.state != "active":
            continue
        job = model.Session.query(HarvestJob).filter(HarvestJob.source_id == source.id).order_by(
            HarvestJob.created.desc()).first()
        entry: dict[str, Any] = {
            "name": package.name, "title": source.title, "type": source.type,
            "organization": package.owner_org and model.Group.get(package.owner_org).name,
            "last_job": None, "counts": None, "errors": [],
        }
        if job is not None:
            summary = summarise(job.id, package.name)
            entry["last_job"] = {"id": job.id, "status": job.status,
                                 "created": job.created.isoformat() if job.created else None,
                                 "finished": job.finished.isoformat() if job.finished else None}
            entry["counts"] = dict(zip(("created", "updated", "unchanged", "withdrawn", "errors"),
                                       summary.row()[1:], strict=True))
            entry["errors"] = (summary.gather_errors + summary.messages)[:limit]
        result.append(entry)
    return sorted(result, key=lambda e: e["name"])
