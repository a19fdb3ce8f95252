"""The job worker runs jobs in its own process, warm, and cleans up between them; the
number of workers comes from ``SHANGHAI_WORKERS``."""
from __future__ import annotations

import os

import ckan.lib.jobs as jobs
import ckan.model as model
import pytest

from ckanext.shanghai.stack.supervisor import worker_count
from ckanext.shanghai.stack.worker import Worker

QUEUE = "shanghai:test-worker"


def _dirty_the_session() -> str:
    """A job that leaves an uncommitted change behind, then fails."""
    model.Session.add(model.User(name="left-behind", email="x@example.org", password="x" * 12))
    model.Session.flush()
    raise RuntimeError("boom")


def _user_left_behind() -> bool:
    return model.Session.query(model.User).filter_by(name="left-behind").count() > 0


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_jobs_run_in_the_worker_process_and_leave_nothing_to_the_next():
    queue = jobs.get_queue(QUEUE)
    queue.empty()
    pid = jobs.enqueue(os.getpid, queue=QUEUE)
    failing = jobs.enqueue(_dirty_the_session, queue=QUEUE)
    after = jobs.enqueue(_user_left_behind, queue=QUEUE)
    Worker([QUEUE]).work(burst=True)
    assert pid.return_value() == os.getpid()  # no work-horse forked
    failing.refresh()
    assert failing.is_failed and "boom" in (failing.latest_result().exc_string or "")
    assert after.return_value() is False  # the failed job's change was rolled back
    assert not _user_left_behind()


def test_worker_count_defaults_to_the_cpus_and_refuses_nonsense():
    assert worker_count({}) == (os.cpu_count() or 1)
    assert worker_count({"SHANGHAI_WORKERS": " 3 "}) == 3
    for bad in ("0", "-1", "two", "1.5"):
        with pytest.raises(SystemExit, match="SHANGHAI_WORKERS"):
            worker_count({"SHANGHAI_WORKERS": bad})
