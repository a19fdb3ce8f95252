"""The portal's background-job worker: ``python -m ckanext.shanghai.stack worker QUEUE…``.

It is CKAN's own (``ckan jobs worker``) with two changes:

- **Warm: jobs run in the worker's own process.** CKAN's worker forks a work-horse
  per job and loads CKAN's environment again in it (``load_environment``), then
  throws the engine's connections away; on a small file that cost several times the
  validation itself. Ours runs each job in-process as rq's ``SimpleWorker`` does, on
  the app loaded once, and cleans up explicitly after every job: the session is
  removed (rolled back when the job left it dirty); the engine's pool is kept. A
  job's timeout still holds (rq's SIGALRM death penalty). Several workers
  (``SHANGHAI_WORKERS``) give parallelism; a job that crashes the process takes only
  its own worker down, and the supervisor starts it again.
- **No validation stays ``running`` after its worker died.** At start, every
  maintenance round (rq's, every 10 minutes) and after a job failed, the reports left
  ``running`` by a dead worker (SIGKILLed mid-job, say) are failed with a reason
  (:func:`ckanext.shanghai.validation.runner.fail_interrupted`); they are not queued
  again, so that a file that kills its worker cannot do so forever.
"""
from __future__ import annotations

import os
import socket
from typing import Any

import ckan.lib.jobs as jobs
import ckan.model as model
import rq
from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app
from rq.job import Job
from rq.queue import Queue

from ckanext.shanghai.validation import runner

from . import warmup


def load_app() -> Any:
    """CKAN's app (and so its configuration and plugins) from ``$CKAN_INI``, as the
    ``ckan`` command builds it before running a command."""
    return make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())


def _alive(pid: int | None) -> bool:
    if pid is None or pid == os.getpid():
        return pid is not None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


class Worker(rq.SimpleWorker, jobs.Worker):
    """CKAN's rq worker running jobs in-process (rq's ``SimpleWorker.execute_job``),
    which fails the validations that a dead worker left running."""

    def perform_job(self, job: Job, queue: Queue) -> bool:
        # rq's own, not CKAN's: CKAN's disposes the engine, meant for a horse about to exit.
        try:
            return rq.Worker.perform_job(self, job, queue)
        finally:
            model.Session.remove()

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        self.fail_interrupted()

    def handle_job_failure(self, *args: Any, **kwargs: Any) -> None:
        model.Session.remove()  # what the failed job left uncommitted is not ours to commit
        super().handle_job_failure(*args, **kwargs)
        self.fail_interrupted()

    def fail_interrupted(self) -> None:
        """Fail the reports left ``running``: all but those of the jobs that live
        workers (on any host) are running now. A registered worker on this host whose
        process is gone is dead, whatever its registration says until it expires."""
        here = socket.gethostname()
        running: set[str] = set()
        for worker in rq.Worker.all(connection=self.connection):
            if worker.name == self.name or (
                    worker.hostname == here and not _alive(worker.pid)):
                continue
            job = worker.get_current_job()
            if job is not None and job.func_name == runner.JOB and job.args:
                running.add(str(job.args[0]))
        runner.fail_interrupted(running)


def main(queues: list[str]) -> int:
    """Run the worker on ``queues`` (CKAN's default queue when none) until stopped."""
    load_app()
    warmup.run()  # before the first job, not during it
    Worker(queues).work(with_scheduler=True)  # as ``ckan jobs worker`` does
    return 0
