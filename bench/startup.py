"""Start-up: from ``python -m ckanext.shanghai.stack run`` (what ``make run`` calls) to
the first 200, on a folder that a first run has already migrated and seeded; and how
long after that first run answers its whole seed is validated.

In one run: a portal is started in a folder of its own (``$SHANGHAI_VAR_DIR``, embedded
PostgreSQL and Redis, free ports), its home page opened once (CKAN builds the web
assets then) and left until its background steps (the seed check, the seed harvest)
are done and no validation is pending or running; the seconds from its first answer
(``status_show``) to the last validation report's end are the seed's (the aim: within
60 s on 2 cores). Then it is stopped, and started again
``--startup-runs`` times (default 2) on that folder, and each time the seconds from
the command to the first 200 of ``/api/3/action/status_show`` and then of the home
page ``/`` are taken; each run is stopped as ``make run`` is (SIGTERM) before the next.

The baseline, measured in the same run on the same ini file and servers with nothing
else running: one process loading CKAN with our plugins (``make_app``), the least any
web node costs before it answers.
The ratio start-up ÷ one app load says how much the bootstrap (servers, ini file,
migration check, gunicorn) adds on top; the aim is a serving portal within 10 s.
"""
from __future__ import annotations

import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from bench import print_table
from ckanext.shanghai.stack import services
from ckanext.shanghai.stack.__main__ import AFTER_START_DONE, ini_value
from ckanext.shanghai.stack.cluster import STACK, free_port

#: how long the first (seeding) run may take, and a measured start
SEED_TIMEOUT, START_TIMEOUT = 900.0, 180.0
#: variables that would point ``run`` at other servers or another portal's files
_SERVERS = (services.DATABASE_URL_ENV, services.REDIS_URL_ENV)
_FOREIGN = ("CKAN_INI", "SHANGHAI_TEST_INIS", *_SERVERS, "SHANGHAI_DATASTORE_WRITE_URL",
            "SHANGHAI_DATASTORE_READ_URL")


@dataclass
class Start:
    """Seconds from the command to the first 200 of each page."""

    status: float
    home: float


@dataclass
class Seeding:
    """The first run's validation of the seed: its reports, and the seconds from the
    portal's first answer to the end of the last one."""

    reports: int
    seconds: float


@dataclass
class Figures:
    app_load: float
    starts: list[Start]
    seeding: Seeding


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


class Portal:
    """``stack run`` in ``folder`` on free ports, its output in ``folder/run-N.log``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if k not in _FOREIGN}
        self.env.update(SHANGHAI_VAR_DIR=str(folder / "var"), PORT=str(port),
                        SHANGHAI_CATALOGUE_API_PORT=str(free_port()),
                        SHANGHAI_DISTRICT_PORTAL_PORT=str(free_port()))
        self.runs = 0

    def start(self) -> tuple[subprocess.Popen, Path]:
        self.runs += 1
        log = self.folder / f"run-{self.runs}.log"
        with log.open("wb") as out:
            process = subprocess.Popen([*STACK, "run"], env=self.env, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        return process, log

    @staticmethod
    def stop(process: subprocess.Popen) -> None:
        """As Ctrl-C would: the portal stops its roles and servers in order."""
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def _until(self, condition, process: subprocess.Popen, log: Path, what: str,
               timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"startup bench: no {what}; see {log}:\n"
                                   + log.read_text(errors="replace")[-3000:])
            time.sleep(0.05)

    def seed(self) -> Seeding:
        """The first run: migrate, seed, harvest, validate; stopped once it says it is
        done and its validation queue is empty. Its home page is opened once, as its
        user would: CKAN builds the web assets then, once, and a second run finds them."""
        process, log = self.start()
        try:
            self._until(lambda: _answers(self.url + "/api/3/action/status_show"),
                        process, log, "answer from status_show", SEED_TIMEOUT)
            ready = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
            self._until(lambda: _answers(self.url + "/"), process, log, "home page",
                        SEED_TIMEOUT)
            self._until(lambda: AFTER_START_DONE in log.read_text(errors="replace"),
                        process, log, "end of the seeding run", SEED_TIMEOUT)
            engine = sa.create_engine(ini_value(self.folder / "var" / "ckan.ini",
                                                "sqlalchemy.url"))
            try:
                self._until(lambda: _validated(engine), process, log,
                            "end of the seed's validation", SEED_TIMEOUT)
                with engine.connect() as connection:
                    reports, last = connection.execute(sa.text(
                        "SELECT count(*), max(finished) FROM shanghai_validation_report")).one()
            finally:
                engine.dispose()
            return Seeding(reports, (last - ready).total_seconds())
        finally:
            self.stop(process)

    def timed_start(self) -> Start:
        began = time.monotonic()
        process, log = self.start()
        try:
            self._until(lambda: _answers(self.url + "/api/3/action/status_show"),
                        process, log, "answer from status_show", START_TIMEOUT)
            status = time.monotonic() - began
            self._until(lambda: _answers(self.url + "/"), process, log, "home page",
                        START_TIMEOUT)
            return Start(status, time.monotonic() - began)
        finally:
            self.stop(process)


def _validated(engine: sa.Engine) -> bool:
    """Reports exist and none is pending or running."""
    with engine.connect() as connection:
        settled, unsettled = connection.execute(sa.text(
            "SELECT count(*) FILTER (WHERE status NOT IN ('pending', 'running')), "
            "count(*) FILTER (WHERE status IN ('pending', 'running')) "
            "FROM shanghai_validation_report")).one()
    return bool(settled) and not unsettled


def app_load_seconds(ini: Path) -> float:
    """Seconds for a fresh process to load CKAN with our plugins on ``ini``."""
    code = ("import os, time; t = time.monotonic()\n"
            "from ckan.cli import CKANConfigLoader\n"
            "from ckan.config.middleware import make_app\n"
            "make_app(CKANConfigLoader(os.environ['CKAN_INI']).get_config())\n"
            "print(time.monotonic() - t)")
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, CKAN_INI=str(ini)),
                          capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def run(starts: int = 2) -> Figures:
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        portal = Portal(folder)
        seeding = portal.seed()
        measured = [portal.timed_start() for _ in range(starts)]
        # The baseline: the same ini file and servers, nothing else running.
        outside = {name: os.environ.pop(name) for name in _SERVERS if name in os.environ}
        try:
            running = services.start(folder / "var", database="ckan")
        finally:
            os.environ.update(outside)
        try:
            load = app_load_seconds(folder / "var" / "ckan.ini")
        finally:
            running.stop()
        return Figures(load, measured, seeding)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(figures: Figures) -> None:
    print(f"\nSeed: {figures.seeding.reports} validation reports, the last one ended "
          f"{figures.seeding.seconds:.1f} s after the first run answered (aim: within 60 s)")
    print_table("Start-up: `stack run` on a seeded folder to the first 200 (seconds; "
                f"one app load: {figures.app_load:.1f} s)",
                ["run", "status_show", "/", "status_show ÷ one app load", "/ ÷ one app load"],
                [[str(n), f"{s.status:.1f}", f"{s.home:.1f}",
                  f"{s.status / figures.app_load:.2f}", f"{s.home / figures.app_load:.2f}"]
                 for n, s in enumerate(figures.starts, 1)])


if __name__ == "__main__":
    report(run())
