"""Actions of the harvest plugin: ours, and ckanext-harvest's that it wraps."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import authz, model
from ckan.lib import search
from ckan.types import Action, Context, DataDict

from ckanext.harvest.logic import HarvestJobExists, HarvestSourceInactiveError
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectError, HarvestObjectExtra, HarvestSource

from .. import access
from ..operations import summarise

__all__ = ["harvest_abort_failed_jobs", "harvest_job_create", "harvest_source_clear",
           "harvest_source_list", "harvest_source_reindex", "harvest_sources_reindex",
           "shanghai_harvest_status"]


@tk.chained_action
def harvest_job_create(up_func: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """ckanext-harvest's, with its refusals as a 409 that says why (they were 500s).

    :param source_id: the harvest source's id
    :type source_id: string
    :param run: whether to send the job to the gather queue too (default ``True``)
    :type run: bool
    :returns: the new job
    """
    try:
        return up_func(context, data_dict)
    except HarvestJobExists as e:
        raise tk.ValidationError({"source_id": [tk._(
            "This source already has a harvest job waiting or running; wait for it to finish, "
            "or abort it first")]}) from e
    except HarvestSourceInactiveError as e:
        raise tk.ValidationError({"source_id": [tk._("This harvest source is inactive")]}) from e


@tk.side_effect_free
@tk.chained_action
def harvest_source_list(up_func: Action, context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The sources the caller operates (all for sysadmins, those of the organisations
    they admin for others, none for anyone else), without credentials.

    ckanext-harvest's lists every source to anonymous callers and none to organisation
    admins (it filters by "publisher" groups, which this portal has not got): for
    those it is asked as the site user, one organisation at a time.

    :param organization_id: only this organisation's sources
    :type organization_id: string
    :param only_active: only active sources (default ``False``)
    :type only_active: bool
    :param return_last_job_status: add each source's last job (default ``False``)
    :type return_last_job_status: bool
    :returns: the sources, newest first
    """
    tk.check_access("harvest_source_list", context, data_dict)
    user = context.get("user")
    if context.get("ignore_auth") or authz.is_sysadmin(user):  # the commands' own calls
        sources = up_func(context, data_dict)
    else:
        user_obj = model.User.get(user) if user else None
        orgs = access.admin_orgs(user_obj) if user_obj else []
        if data_dict.get("organization_id"):
            orgs = [o for o in orgs if o == data_dict["organization_id"]]
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        sources = [s for org in orgs for s in up_func(dict(context, user=site_user),
                                                       dict(data_dict, organization_id=org))]
    return [access.public_source(s) for s in sources]


@tk.chained_action
def harvest_abort_failed_jobs(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's, for sysadmins only (it checked nobody's access).

    :param life_span: days after which a running job counts as failed (default 7)
    :type life_span: int
    :param include: only these source ids (comma-separated)
    :type include: string
    :param exclude: all but these source ids (comma-separated)
    :type exclude: string
    :returns: a message naming the aborted jobs
    """
    tk.check_access("harvest_jobs_run", context, data_dict)
    return up_func(context, data_dict)


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
def harvest_sources_reindex(up_func: Action, context: Context, data_dict: DataDict) -> bool:
    """Reindex every active harvest source dataset through CKAN's search registry (as
    :func:`harvest_source_reindex`; ckanext-harvest's commits to Solr: a 500).

    :returns: ``True``
    """
    tk.check_access("harvest_sources_reindex", context, data_dict)
    ids = model.Session.scalars(sa.select(model.Package.id).join(
        HarvestSource, HarvestSource.id == model.Package.id).where(model.Package.state == "active"))
    for package_id in list(ids):
        search.rebuild(package_id, defer_commit=True)
    search.commit()
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
