"""One runner per harvest source at a time, and ckanext-harvest's queue consumers
that keep to it.

A source's harvest may run in this process (:func:`ckanext.shanghai.harvest.operations.run_source`,
``ckan shanghai-harvest harvest-all``) or through the gather and fetch queues. Left alone,
the two import the same catalogue entries at once: the scheduler's
``harvest_jobs_run`` puts every ``WAITING`` object back on the fetch queue, including
those of a job that ``run_source`` is importing, and both create the same dataset
(``UniqueViolation`` on its name). So each run holds :func:`source_lock`, a
PostgreSQL advisory lock keyed by the source's id, for as long as it runs, and the
consumers here hold it for each job they gather and each object they import; what
another runner finished meanwhile (an object already ``COMPLETE`` or ``ERROR``, a job
already ``Finished``) is acknowledged and skipped.
"""
from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

#: the first key of our advisory locks (the second is the source's): harvest sources
LOCK_CLASS = zlib.crc32(b"shanghai:harvest-source") - 2**31


@contextlib.contextmanager
def source_lock(source_id: str) -> Iterator[None]:
    """Hold the harvest source's lock, waiting for whoever holds it. On a connection of
    its own (in autocommit: no transaction stays open), so that the caller's commits do
    not release it; a process that dies releases it with its connection."""
    with model.meta.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        key = {"cls": LOCK_CLASS, "source": source_id}
        conn.execute(sa.text("SELECT pg_advisory_lock(:cls, hashtext(:source))"), key)
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:cls, hashtext(:source))"), key)


Callback = Callable[[Any, Any, Any, bytes], Any]


def _one_source_at_a_time(callback: Callback, key: str,
                          find: Callable[[str], tuple[str, bool] | None]) -> Callback:
    """``callback`` run under the lock of the source of the message's ``key`` id, unless
    another runner did the work meanwhile. ``find(id)`` gives (source id, still to do),
    or None for an unknown id, which ``callback`` reports as it always has."""
    def locked(channel: Any, method: Any, header: Any, body: bytes) -> Any:
        try:
            item = str(json.loads(body)[key])
        except (ValueError, KeyError, TypeError):
            return callback(channel, method, header, body)
        found = find(item)
        model.Session.remove()  # no transaction is kept open while waiting
        if found is None:
            return callback(channel, method, header, body)
        with source_lock(found[0]):
            again = find(item)
            if again is None or again[1]:
                return callback(channel, method, header, body)
            model.Session.remove()
            channel.basic_ack(method.delivery_tag)
            return False

    return locked


def _job(job_id: str) -> tuple[str, bool] | None:
    job = model.Session.get(HarvestJob, job_id)
    return None if job is None else (job.source_id, job.status != "Finished")


def _object(object_id: str) -> tuple[str, bool] | None:
    obj = model.Session.get(HarvestObject, object_id)
    return None if obj is None else (obj.harvest_source_id, obj.state not in ("COMPLETE", "ERROR"))


def consume(stage: str) -> None:
    """Consume the ``gather`` or ``fetch`` queue for ever, as ``ckan harvester
    gather-consumer`` / ``fetch-consumer`` do, one source at a time."""
    if stage == "gather":
        consumer, name = queue.get_gather_consumer(), queue.get_gather_queue_name()
        callback = _one_source_at_a_time(queue.gather_callback, "harvest_job_id", _job)
    else:
        consumer, name = queue.get_fetch_consumer(), queue.get_fetch_queue_name()
        callback = _one_source_at_a_time(queue.fetch_callback, "harvest_object_id", _object)
    for method, header, body in consumer.consume(queue=name):
        callback(consumer, method, header, body)
