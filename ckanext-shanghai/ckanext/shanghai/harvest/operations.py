"""Running harvests from the command line, the seed and the benchmark.

:func:`run_source` runs one source's job in this process (gather, then fetch and
import of each object, as the queue consumers would) and returns its
:class:`Summary`; :func:`summarise` reads one from a finished job's records.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectError

from .consumers import source_lock
from .department import SOURCE_TYPE

#: harvest objects loaded at once by :func:`run_source`
CHUNK = 200

#: ckanext-harvest's report_status → our summary columns
REPORT_COLUMNS = {"added": "created", "updated": "updated", "not modified": "unchanged",
                  "deleted": "withdrawn", "errored": "errors"}


@dataclass
class Summary:
    """What one harvest job did."""

    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    errors: int = 0
    gather_errors: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def row(self) -> list[Any]:
        return [self.source, self.created, self.updated, self.unchanged, self.withdrawn,
                self.errors + len(self.gather_errors)]


def site_context() -> dict[str, Any]:
    """A context that acts as the site user (the harvests' own calls)."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def run_source(source: str, progress: Callable[[int, int], None] | None = None,
               limit: int | None = None) -> Summary:
    """Run one harvest job of ``source`` (id or name) to the end, in this process.

    ``progress(done, total)`` is called after each object; ``limit`` stops after
    that many objects, leaving the job unfinished (as a killed worker would).
    """
    context = site_context()
    source_dict = tk.get_action("harvest_source_show")(dict(context), {"id": source})
    # One runner per source: a second run_source, or the queue consumers, wait.
    with source_lock(source_dict["id"]):
        return _run(context, source_dict, progress, limit)


def _run(context: dict[str, Any], source_dict: dict[str, Any],
         progress: Callable[[int, int], None] | None, limit: int | None) -> Summary:
    # A job left Running by a killed run would block a new one: abort it first.
    running = tk.get_action("harvest_job_list")(dict(context), {"source_id": source_dict["id"], "status": "Running"})
    if running:
        tk.get_action("harvest_job_abort")(dict(context), {"source_id": source_dict["id"]})
    job_dict = tk.get_action("harvest_job_create")(dict(context), {"source_id": source_dict["id"], "run": False})
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester(source_dict["source_type"])
    ids = queue.gather_stage(harvester, job)
    ids = ids if isinstance(ids, list) else []
    done = 0
    for start in range(0, len(ids), CHUNK):
        # One query per chunk of objects rather than one per object; a chunk at a
        # time keeps memory flat whatever the catalogue's size.
        chunk = ids[start:start + CHUNK]
        objects = {o.id: o for o in model.Session.query(HarvestObject).options(
            sa.orm.selectinload(HarvestObject.extras)).filter(HarvestObject.id.in_(chunk))}
        for object_id in chunk:
            if limit is not None and done >= limit:
                return summarise(job.id, source_dict["name"])
            queue.fetch_and_import_stages(harvester, objects.pop(object_id))
            done += 1
            if progress:
                progress(done, len(ids))
    tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source_dict["id"]})
    return summarise(job.id, source_dict["name"])


def summarise(job_id: str, name: str) -> Summary:
    """Counts and messages of one job, from ckanext-harvest's own records."""
    summary = Summary(name)
    statuses = model.Session.query(HarvestObject.report_status).filter(HarvestObject.harvest_job_id == job_id)
    for (status,) in statuses:
        column = REPORT_COLUMNS.get(status or "")
        if column:
            setattr(summary, column, getattr(summary, column) + 1)
    job = HarvestJob.get(job_id)
    summary.gather_errors = [e.message for e in job.gather_errors]
    errors = model.Session.query(HarvestObject.guid, HarvestObjectError.message).join(HarvestObject).filter(
        HarvestObject.harvest_job_id == job_id).order_by(HarvestObjectError.created)
    # Ours name file, sheet and row; other harvesters' messages (ckanext-dcat's) may not
    # say which dataset they are about: its guid (the dataset's URI) does.
    named = job.source.type == SOURCE_TYPE
    summary.messages = [m if named or not guid or guid in m else f"{guid}: {m}" for guid, m in errors]
    return summary
