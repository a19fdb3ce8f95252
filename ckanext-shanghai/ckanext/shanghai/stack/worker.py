"""The portal's background-job worker: ``python -m ckanext.shanghai.stack worker QUEUE…``.

It is CKAN's own (``ckan jobs worker``) with two guarantees added:

- **Work-horses die with their worker.** rq forks a work-horse per job and moves it
  into a process group of its own, so stopping the worker's group misses it; a
  SIGKILLed worker would leave it running, and it would later write its result into
  whatever runs then. Each horse asks the kernel for SIGKILL when its worker dies
  (``PR_SET_PDEATHSIG``, Linux).
- **No validation stays ``running`` after its worker died.** At start, every
  maintenance round (rq's, every 10 minutes) and after a job failed (a horse killed
  by the kernel, say), the reports left ``running`` by a dead worker are failed with a
  reason (:func:`ckanext.shanghai.validation.runner.fail_interrupted`); they are not
  queued again, so that a file that kills its worker cannot do so forever.
"""
from __future__ import annotations

import os
import signal
import socket
from typing import Any

import ckan.lib.jobs as jobs
import rq
from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

from ckanext.shanghai.validation import runner

from .supervisor import die_with_parent


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


class Worker(jobs.Worker):
    """CKAN's rq worker whose horses die with it, and which fails the validations
    that a dead worker left running."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._die_with_worker = die_with_parent(signal.SIGKILL)

    def main_work_horse(self, *args: Any, **kwargs: Any) -> Any:
        self._die_with_worker()
        return super().main_work_horse(*args, **kwargs)

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        self.fail_interrupted()

    def handle_job_failure(self, *args: Any, **kwargs: Any) -> None:
        super().handle_job_failure(*args, **kwargs)
        if os.getpid() == self.pid:  # in the worker, not in a horse
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
    Worker(queues).work(with_scheduler=True)  # as ``ckan jobs worker`` does
    return 0
