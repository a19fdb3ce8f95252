"""gunicorn's settings for the ``web`` role (``--config python:`` this module).

**The app loads once, in the master, and the workers fork from it** (``preload_app``):
loading CKAN with our plugins is seconds of CPU, which every worker would otherwise
pay again at the same time, on a small machine side by side with the other roles.

What a fork must not share is guarded here:

- **Database connections.** A connection the master opened (CKAN's engine, the
  DataStore's, ours) would be one socket used by several processes. Every pool of every
  engine remembers which process opened each connection; a worker checking out one its
  master opened drops it without closing it (closing would end the master's session
  too) and gets a new one. This is SQLAlchemy's own recipe for pools and ``os.fork()``.
- **Redis.** redis-py's pools notice a fork by themselves (``ConnectionPool._checkpid``).
- **Metrics.** prometheus-client's multiprocess values are per process id already.

**Assets are built and versioned once, in the master** (:func:`when_ready`). By default
webassets checks every bundle on every page (a ``stat`` of each source file and a read of
its version cache: 13 bundles, some 15% of a page's CPU); a web node builds them before
forking and then turns webassets' ``auto_build`` off, so its workers answer from the
versions held in memory. An asset changed on disk shows after a restart of the node
(``ckan.webassets.debug`` leaves it on: it serves the sources).

Once forked, each worker loads the libraries our plugins import at first use in a
background thread, once it has answered a request and a step at a time while it has
none to answer (:func:`post_worker_init`, ``warmup.py``). Not in the master before
the fork: that would delay the first answer by those seconds (measured: the first
200 of ``/`` came 2-4 s later), and not in the workers as they start: on two busy
cores the warm-up's CPU delayed the first pages about as much.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.pool import Pool

preload_app = True


@event.listens_for(Pool, "connect")
def _remember_process(dbapi_connection: Any, record: Any) -> None:
    record.info["pid"] = os.getpid()


@event.listens_for(Pool, "checkout")
def _refuse_inherited(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    if record.info.get("pid", os.getpid()) != os.getpid():
        # Forget it without closing it: the socket is still the master's.
        record.dbapi_connection = proxy.dbapi_connection = None
        raise exc.DisconnectionError(
            f"connection opened by process {record.info['pid']}, not this one")


#: a worker's requests under way, and when its last one ended (each worker its own
#: copy: set after the fork)
_requests = {"open": 0, "ended": 0.0}
#: how long a worker must have been without a request before a warm-up step: a
#: step (a second of CPU at most) slows a request that comes meanwhile, more than its
#: share of the CPU (the step holds the GIL while the request waits on the database)
IDLE_SECONDS = 1.0


def _idle() -> bool:
    """Whether the worker has answered a request and none since ``IDLE_SECONDS``: the
    node's first answers come before the warm-up."""
    return (_requests["open"] == 0 and _requests["ended"] > 0
            and time.monotonic() - _requests["ended"] >= IDLE_SECONDS)


def pre_request(worker: Any, req: Any) -> None:
    _requests["open"] += 1


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    _requests["open"] -= 1
    _requests["ended"] = time.monotonic()


def when_ready(server: Any) -> None:
    """Build and version every asset bundle in the master, before the workers fork, and
    stop webassets checking them on each page (see the module's docstring)."""
    from ckan.lib import webassets_tools  # noqa: PLC0415  (the app is loaded by now)

    from ckanext.shanghai.stack import warmup  # noqa: PLC0415

    warmup.freeze_assets(webassets_tools.env)


def post_worker_init(worker: Any) -> None:
    """Warm the worker in the background, a step at a time while it has no request
    (``warmup.py``): the first pages are not slowed by it."""
    from ckanext.shanghai.stack import warmup  # noqa: PLC0415  (the app is loaded by now)

    threading.Thread(target=warmup.run, kwargs={"idle": _idle}, name="warm-up",
                     daemon=True).start()
