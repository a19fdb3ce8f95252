"""Keeps the portal's processes running: a crashed worker, consumer or stand-in is
started again with back-off; only the web server's end (or a stop) ends the portal.

Each role runs in a session (process group) of its own, so that a stop or a restart
ends everything the role started (rq's scheduler process, gunicorn's workers) and
Ctrl-C in a terminal reaches only the supervisor, which then stops them in order.
Every role also gets SIGTERM should the supervisor itself die (Linux). Job workers
run their jobs in-process (:class:`ckanext.shanghai.stack.worker.Worker`), so a
worker's group holds all it started; ``SHANGHAI_WORKERS`` says how many run.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass

#: back-off of a crashing role: the first restart after MIN_DELAY seconds, each
#: further one twice as late, up to MAX_DELAY; a role that ran HEALTHY seconds
#: starts again from MIN_DELAY.
MIN_DELAY, MAX_DELAY, HEALTHY = 1.0, 60.0, 60.0

_PR_SET_PDEATHSIG = 1

#: the niceness of what runs beside a web node on one machine and need not answer at
#: once (job workers, harvest, stand-ins, the seed): the web node's requests come first
BACKGROUND = 10


def worker_count(environ: Mapping[str, str] = os.environ) -> int:
    """How many job workers to run: ``SHANGHAI_WORKERS``, else one per CPU. Each runs
    one job at a time in its own process, so on 2 cores 2 keep both busy while the web
    server waits on I/O. A value that is not a positive integer stops the start."""
    value = environ.get("SHANGHAI_WORKERS", "").strip()
    if not value:
        return os.cpu_count() or 1
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"SHANGHAI_WORKERS must be a positive integer, not {value!r}")
    return int(value)


def die_with_parent(signum: int, nice: int = 0) -> Callable[[], None]:
    """A function to run in a freshly forked child: deliver ``signum`` to it when the
    process that forked it dies (``prctl(PR_SET_PDEATHSIG)``; Linux only, a no-op
    elsewhere). Should that process have died already, the child exits at once. The
    child's niceness is raised by ``nice``."""
    parent = os.getpid()

    def arm() -> None:
        if nice:
            os.nice(nice)
        if not sys.platform.startswith("linux"):
            return
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent:  # it died between fork and prctl
            os._exit(1)

    return arm


@dataclass
class Role:
    """One supervised process: ``argv`` run with ``env``."""

    name: str
    argv: list[str]
    env: dict[str, str]
    #: its end ends the portal (the web server); other roles are restarted
    essential: bool = False
    #: need not run before the portal serves: left to ``start_all(deferred=True)``
    deferred: bool = False
    #: added to its niceness (``BACKGROUND`` for what may wait while the web node serves)
    nice: int = 0
    process: subprocess.Popen | None = None
    started: float = 0.0
    delay: float = MIN_DELAY
    #: when a crashed role is due to start again
    due: float | None = None
    restarts: int = 0


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with suppress(ProcessLookupError, PermissionError):  # the group is empty already
        os.killpg(process.pid, signum)


def _describe(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"code {code}"


class Supervisor:
    """Starts roles, restarts the ones that crash, and stops them all in order."""

    def __init__(self, roles: list[Role], log: Callable[[str], None] | None = None) -> None:
        self.roles = roles
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))

    def start(self, role: Role) -> None:
        role.process = subprocess.Popen(role.argv, env=role.env, start_new_session=True,
                                        preexec_fn=die_with_parent(signal.SIGTERM, role.nice))
        role.started, role.due = time.monotonic(), None

    def start_all(self, *, deferred: bool = True) -> None:
        """Start every role not running yet, the ``deferred`` ones only when asked:
        each role loads CKAN as it starts, and on a small machine the web server's
        workers load faster without the others competing for the CPU."""
        for role in self.roles:
            if role.process is None and role.due is None and (deferred or not role.deferred):
                self.start(role)

    def check(self) -> Role | None:
        """One round: restart the roles that are due, schedule a restart of the ones
        that ended, and return an essential role that ended (else None)."""
        now = time.monotonic()
        for role in self.roles:
            if role.process is None:
                if role.due is not None and now >= role.due:
                    role.restarts += 1
                    self._log(f"supervisor: starting {role.name} again "
                              f"(restart {role.restarts})")
                    self.start(role)
                continue
            code = role.process.poll()
            if code is None:
                continue
            # Whatever the role left in its group (rq's scheduler process, say) goes too.
            _signal_group(role.process, signal.SIGKILL)
            if role.essential:
                self._log(f"supervisor: {role.name} (pid {role.process.pid}) exited with "
                          f"{_describe(code)}; stopping the portal")
                return role
            if now - role.started >= HEALTHY:
                role.delay = MIN_DELAY
            self._log(f"supervisor: {role.name} (pid {role.process.pid}) exited with "
                      f"{_describe(code)}; restarting it in {role.delay:.0f} s")
            role.process, role.due = None, now + role.delay
            role.delay = min(role.delay * 2, MAX_DELAY)
        return None

    def run(self, interval: float = 0.5) -> int:
        """Supervise until an essential role ends (returns 1); a stop signal or Ctrl-C
        raises KeyboardInterrupt (see ``__main__._stop_on_signals``)."""
        while self.check() is None:
            time.sleep(interval)
        return 1

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM to every role's group, newest first; SIGKILL to what is left after
        ``timeout`` seconds."""
        running = [r.process for r in reversed(self.roles) if r.process is not None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            with suppress(subprocess.TimeoutExpired):
                process.wait(max(0.0, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)
            process.wait()
        for role in self.roles:
            role.process, role.due = None, None
