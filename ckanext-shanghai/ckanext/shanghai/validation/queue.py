"""The validation queue as people see it, and the rounds that fill it again.

- A pending resource's place in rq's queue ``shanghai:validation`` and the expected
  time until its report (:func:`place`), from how fast recent reports finished.
- The operators' view (:func:`overview`): pending jobs (the queue), running jobs
  (rq's ``StartedJobRegistry``), failed jobs (``FailedJobRegistry``: a timeout or a
  killed work-horse) and the reports that ended as ``error``, each with its age.
- Forget a retried resource's failed jobs (:func:`forget_failed`) and validate everything again
  (:func:`revalidate_all`, a job of its own, as it reads every resource).
- The scheduling round (:func:`schedule_round`, run by ``ckan shanghai-validation
  scheduler`` beside the harvest scheduler): resources whose registered Table Schema
  changed are queued again, and URL resources whose dataset's ``update_frequency``
  period has passed since their last validation are validated again.

rq's job records are the truth about the queue; our report table about the outcomes.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import logging
import statistics
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import ckan.lib.jobs as jobs
import ckan.lib.search as search
import ckan.model as model
import ckan.plugins.toolkit as tk
import rq
import sqlalchemy as sa
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry

from ckanext.shanghai.common import table_schemas, vocabulary

from . import runner
from .model import Report, now

__all__ = ["Place", "estimate", "overview", "forget_failed", "place", "positions", "requeue_package",
           "requeue_updated", "revalidate_all", "schedule_round", "schema_inputs"]

log = logging.getLogger(__name__)

#: How many finished reports the expected time is taken from.
HISTORY = 50
#: Jobs read from Redis per round trip while looking for a resource's place.
CHUNK = 500
#: The digest of each registered Table Schema when its resources were last compared
#: (Redis hash: schema name → sha256 of its canonical JSON).
DIGESTS_KEY = "shanghai:validation:schema-digests"
#: Rows per list of the operators' page.
LISTED = 200


@dataclass(frozen=True)
class Place:
    """Where a pending resource stands: ``ahead`` jobs before it; ``expected_seconds``
    until its report is ready, None while there is no history to go by."""

    ahead: int
    expected_seconds: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"ahead": self.ahead, "position": self.ahead + 1,
                "expected_seconds": self.expected_seconds}


def estimate(history: Sequence[tuple[datetime.datetime, datetime.datetime, datetime.datetime]],
             ahead: int, workers: int) -> float | None:
    """Seconds until a job with ``ahead`` jobs before it is done, from recent reports'
    (created, started, finished) times, oldest first.

    The time between two reports finishing while the next was already queued is what
    one job costs the queue, per-job overhead included (a job's own started → finished
    window can be a sixth of it); it already accounts for every worker. Without two
    such busy intervals, the mean run time divided among the workers stands in."""
    busy = [(b[2] - a[2]).total_seconds() for a, b in zip(history, history[1:], strict=False)
            if b[0] <= a[2] and b[2] >= a[2]]
    if len(busy) >= 2:
        per_job = statistics.median(busy)
    elif history:
        per_job = statistics.fmean(max((f - s).total_seconds(), 0.0)
                                   for _, s, f in history) / max(workers, 1)
    else:
        return None
    return round((ahead + 1) * per_job, 1)


def _queue() -> rq.Queue:
    return jobs.get_queue(runner.QUEUE)


def _resource_id(job: Job | None) -> str | None:
    """The resource a validation job is for (None for any other job)."""
    if job is None or job.func_name != runner.JOB or not job.args:
        return None
    return str(job.args[0])


def _jobs(ids: Sequence[str]) -> Iterator[Job]:
    connection = _queue().connection
    for start in range(0, len(ids), CHUNK):
        yield from (j for j in Job.fetch_many(ids[start:start + CHUNK], connection=connection)
                    if j is not None)


def _workers() -> int:
    return len(rq.Worker.all(queue=_queue()))


def _history() -> list[tuple[datetime.datetime, datetime.datetime, datetime.datetime]]:
    rows = model.Session.execute(
        sa.select(Report.created, Report.started, Report.finished)
        .where(Report.started.is_not(None), Report.finished.is_not(None),
               Report.status.in_(("success", "failure", "error")))
        .order_by(Report.finished.desc()).limit(HISTORY)).all()
    return [(c, s, f) for c, s, f in reversed(rows)]


def positions() -> dict[str, int]:
    """resource id → jobs ahead of its job, for every queued validation job."""
    found: dict[str, int] = {}
    for ahead, job in enumerate(_jobs(_queue().get_job_ids())):
        resource_id = _resource_id(job)
        if resource_id is not None:
            found.setdefault(resource_id, ahead)
    return found


def place(resource_id: str, known: dict[str, int] | None = None) -> Place | None:
    """The place of a resource's job in the queue (from ``known`` positions when the
    caller has them), None when it is not queued (running, done, or its job lost)."""
    ahead = (positions() if known is None else known).get(resource_id)
    if ahead is None:
        return None
    return Place(ahead, estimate(_history(), ahead, _workers()))


def _age(moment: datetime.datetime | None, at: datetime.datetime) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return round((at - moment).total_seconds(), 1)


def _names(resource_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """resource id → its name and its dataset's name and title, in one query."""
    ids = list(set(resource_ids))
    if not ids:
        return {}
    rows = model.Session.execute(
        sa.select(model.Resource.id, model.Resource.name, model.Resource.url,
                  model.Package.name, model.Package.title)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .where(model.Resource.id.in_(ids))).all()
    # A resource without a name goes by its file name, as CKAN shows it.
    return {r: {"resource_name": rn or (url or "").rsplit("/", 1)[-1], "dataset": pn,
                "dataset_title": pt or pn}
            for r, rn, url, pn, pt in rows}


def _last_line(text: str | None) -> str:
    """The exception of a traceback (its last line), short."""
    lines = (text or "").strip().splitlines()
    return lines[-1][:300] if lines else ""


def _job_row(job: Job, moment: datetime.datetime | None, at: datetime.datetime,
             **extra: Any) -> dict[str, Any]:
    return {"job_id": job.id, "resource_id": _resource_id(job),
            "since": moment.isoformat() if moment else None, "age_seconds": _age(moment, at),
            **extra}


def overview(limit: int = LISTED) -> dict[str, Any]:
    """Pending, running and failed validation jobs and the latest ``error`` reports,
    each list the first ``limit`` with ages in seconds; ``counts`` has the totals."""
    queue, at = _queue(), datetime.datetime.now(datetime.timezone.utc)
    started = StartedJobRegistry(queue=queue)
    failed = FailedJobRegistry(queue=queue)
    pending = [_job_row(j, j.enqueued_at, at, position=i + 1)
               for i, j in enumerate(_jobs(queue.get_job_ids(0, limit)))]
    running = [_job_row(j, j.started_at, at) for j in _jobs(started.get_job_ids(0, limit - 1))]
    failures = [_job_row(j, j.ended_at, at, reason=_last_line(j.exc_info))
                for j in _jobs(failed.get_job_ids(0, limit - 1, desc=True))]
    errors = [{"job_id": None, "resource_id": r.resource_id,
               "since": r.finished.isoformat() if r.finished else None,
               "age_seconds": _age(r.finished, at), "reason": r.message}
              for r in model.Session.scalars(
                  sa.select(Report).where(Report.status == "error")
                  .order_by(Report.finished.desc()).limit(limit))]
    lists = {"pending": pending, "running": running, "failed": failures, "errors": errors}
    names = _names(r["resource_id"] for rows in lists.values() for r in rows
                   if r["resource_id"])
    for rows in lists.values():
        for row in rows:
            row.update(names.get(row["resource_id"] or "", {}))
    history = _history()
    workers = _workers()
    return {**lists, "workers": workers, "per_job_seconds": estimate(history, 0, workers),
            "counts": {"pending": queue.count, "running": started.count,
                       "failed": failed.count,
                       "errors": model.Session.scalar(
                           sa.select(sa.func.count()).select_from(Report)
                           .where(Report.status == "error"))}}


def _resource(resource_id: str) -> dict[str, Any]:
    return tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})


def forget_failed(resource_id: str) -> None:
    """Drop a resource's jobs from rq's failed registry (it was queued again)."""
    failed = FailedJobRegistry(queue=_queue())
    for job in _jobs(failed.get_job_ids()):
        if _resource_id(job) == resource_id:
            failed.remove(job, delete_job=True)


def revalidate_all() -> int:
    """The job behind "validate everything again": queue every resource of an active
    dataset that has a report. Returns how many were queued."""
    ids = model.Session.scalars(
        sa.select(Report.resource_id)
        .join(model.Resource, model.Resource.id == Report.resource_id)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .where(model.Resource.state == "active", model.Package.state == "active")
        .order_by(Report.created)).all()
    for resource_id in ids:
        runner.enqueue(_resource(resource_id), force=True)
    log.info("validate everything again: %d resources queued", len(ids))
    return len(ids)


SchemaInputs = tuple[str, tuple[Any, Any], dict[str, str]]


def schema_inputs(package_ref: str) -> SchemaInputs | None:
    """What decides the schemas of a dataset's resources (its domain and
    ``table_schema``; each resource's ``schema``), read from the model; None for an
    unknown dataset. Compared before and after ``package_update``."""
    package = model.Package.get(package_ref)
    if package is None:
        return None
    return (package.id, (package.extras.get("data_domain"), package.extras.get("table_schema")),
            {r.id: str(r.extras.get("schema") or "") for r in package.resources})


def requeue_updated(before: SchemaInputs) -> None:
    """After ``package_update``: queue every resource again when what decides their
    schemas changed (the dataset's, or a resource's own), else only the resources the
    update added (a resource added by ``resource_create`` is one; the others keep
    their reports)."""
    after = schema_inputs(before[0])
    if after is None:
        return
    kept = before[2].keys() & after[2].keys()
    if before[1] != after[1] or any(before[2][r] != after[2][r] for r in kept):
        requeue_package(before[0])
    elif added := after[2].keys() - kept:
        requeue_package(before[0], added)


def requeue_package(package_id: str, only: Collection[str] | None = None) -> None:
    """Queue again the resources of a dataset (or those of ``only``) whose schema
    differs from the one of their last validation (``runner.enqueue`` compares the
    fingerprints); the dataset is re-indexed once, not once a resource."""
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    queued = [runner.enqueue(resource, package=package, reindex=False)
              for resource in package.get("resources") or []
              if only is None or resource["id"] in only]
    if any(queued):
        search.rebuild(package_id)


def _digest(descriptor: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(descriptor, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def _requeue_changed_schemas() -> int:
    """Queue again the resources of every registered schema whose file changed since the
    last round (all of its resources on the first round, compared by fingerprint, so
    only those whose schema really differs from their last validation's run)."""
    connection = _queue().connection
    used = set(model.Session.scalars(sa.select(Report.schema_name).distinct()))
    queued = 0
    for name in sorted(used & set(table_schemas.names())):
        digest = _digest(table_schemas.load(name))
        known = connection.hget(DIGESTS_KEY, name)
        if isinstance(known, bytes):
            known = known.decode()
        if known == digest:
            continue
        for resource_id in model.Session.scalars(
                sa.select(Report.resource_id).where(Report.schema_name == name)):
            try:
                resource = _resource(resource_id)
            except tk.ObjectNotFound:
                continue
            before = Report.get(resource_id)
            created = before.created if before else None
            runner.enqueue(resource)
            after = Report.get(resource_id)
            queued += after is not None and after.created != created
        connection.hset(DIGESTS_KEY, name, digest)
    return queued


def _due_url_resources(at: datetime.datetime) -> list[str]:
    """URL resources validated longer ago than their dataset's update period."""
    frequency = model.Package.extras["update_frequency"].astext
    rows = model.Session.execute(
        sa.select(Report.resource_id, Report.finished, frequency)
        .join(model.Resource, model.Resource.id == Report.resource_id)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .where(model.Resource.state == "active", model.Package.state == "active",
               sa.func.coalesce(model.Resource.url_type, "") != "upload",
               Report.status.in_(("success", "failure", "error")),
               Report.finished.is_not(None))).all()
    due = []
    for resource_id, finished, freq in rows:
        days = vocabulary.update_period_days(freq or "")
        if days is not None and finished + datetime.timedelta(days=days) <= at:
            due.append(resource_id)
    return due


def schedule_round(at: datetime.datetime | None = None) -> dict[str, int]:
    """One scheduling round: resources of changed registered schemas, and URL
    resources whose update period has passed, go back in the queue."""
    schemas = _requeue_changed_schemas()
    due = _due_url_resources(at or now())
    for resource_id in due:
        runner.enqueue(_resource(resource_id), force=True)
    return {"schema_changed": schemas, "due": len(due)}
