"""Faults are contained: the supervisor restarts a crashed role with back-off and keeps
the web server; a worker killed mid-job (it runs its jobs in-process) is started again,
its validation is failed with a reason, and nothing is left running; workers run jobs
without forking."""
from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import psutil
import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.shanghai.stack.supervisor import BACKGROUND, MAX_DELAY, MIN_DELAY, Role, Supervisor
from ckanext.shanghai.validation import runner
from ckanext.shanghai.validation.model import Report
from tests.factories import dataset

BIN = Path(sys.executable).parent
HEADER = "park_id,name,district,address,longitude,latitude,total_spaces,hourly_fee,phone,opened\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _until(condition, supervisor: Supervisor, what: str, timeout: float = 120) -> None:
    """Supervise (one round at a time) until ``condition()``; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert supervisor.check() is None, "the web server ended"
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.2)


def _serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/api/3/action/status_show", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _in_sessions(sessions: set[int]) -> list[psutil.Process]:
    left = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) in sessions and process.status() != psutil.STATUS_ZOMBIE:
                left.append(process)
        except (ProcessLookupError, psutil.NoSuchProcess):
            pass
    return left


def _report(resource_id: str) -> Report | None:
    model.Session.remove()
    return Report.get(resource_id)


def test_a_crashing_role_is_restarted_with_back_off_and_only_the_web_server_ends_the_portal():
    lines: list[str] = []
    crashing = Role("crashing", [sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ))
    web = Role("web", [sys.executable, "-c", "import time; time.sleep(600)"], dict(os.environ),
               essential=True)
    supervisor = Supervisor([crashing, web], lines.append)
    supervisor.start_all()
    try:
        _until(lambda: crashing.restarts >= 2 and crashing.process is None, supervisor,
               "two restarts of the crashing role")
        assert any("crashing" in line and "exited with code 3" in line for line in lines), lines
        assert crashing.delay == MIN_DELAY * 8 <= MAX_DELAY  # 1 s, 2 s, then 4 s: doubling
        assert web.process is not None and web.process.poll() is None
        os.kill(web.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (ended := supervisor.check()) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ended is web
    finally:
        supervisor.stop()


def test_deferred_roles_start_only_when_asked_and_are_not_restarted_meanwhile():
    """``run`` starts the worker and harvest roles once the web node answers: until
    then they neither start nor count as crashed; then they yield the CPU to it."""
    sleeping = [sys.executable, "-c", "import time; time.sleep(600)"]
    later = Role("worker", sleeping, dict(os.environ), deferred=True, nice=BACKGROUND)
    web = Role("web", sleeping, dict(os.environ), essential=True)
    supervisor = Supervisor([later, web], lambda line: None)
    try:
        supervisor.start_all(deferred=False)
        assert web.process is not None and later.process is None
        assert supervisor.check() is None and later.process is None and later.restarts == 0
        supervisor.start_all()
        assert later.process is not None and later.process.poll() is None
        assert psutil.Process(later.process.pid).nice() == os.nice(0) + BACKGROUND
        assert psutil.Process(web.process.pid).nice() == os.nice(0)
        first = web.process.pid
        supervisor.start_all()  # what runs is not started twice
        assert web.process.pid == first
    finally:
        supervisor.stop()
    assert later.process is None and web.process is None


@pytest.fixture
def stalling_url():
    """The URL of a CSV file whose server sends the header row, then nothing more until
    the test ends: a validation reading it runs until it is killed."""
    released = threading.Event()

    class Stalling(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(2**20))
            self.end_headers()
            self.wfile.write(HEADER.encode())
            self.wfile.flush()
            released.wait(300)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stalling)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/parks.csv"
    released.set()
    server.shutdown()


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
def test_a_worker_killed_mid_job_is_restarted_and_its_validation_fails_with_a_reason(stalling_url):
    jobs.get_queue(runner.QUEUE).empty()  # other tests' jobs, for resources long gone
    sysadmin = factories.Sysadmin()
    package = dataset(user=sysadmin, name="car-parks", data_domain="transport")
    resource = helpers.call_action("resource_create", context={"user": sysadmin["name"]},
                                   package_id=package["id"], url=stalling_url, format="CSV",
                                   schema="car_parks")
    assert _report(resource["id"]).status == "pending"

    port = _free_port()
    env = dict(os.environ)  # $CKAN_INI: this test session's servers
    web = Role("web", [str(BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                       "ckanext.shanghai.stack.wsgi:application"], env, essential=True)
    worker = Role("worker", [sys.executable, "-m", "ckanext.shanghai.stack", "worker",
                             runner.QUEUE], env)
    lines: list[str] = []
    supervisor = Supervisor([web, worker], lines.append)
    url = f"http://127.0.0.1:{port}"
    seen: set[int] = set()
    try:
        supervisor.start_all()
        sessions = {web.process.pid, worker.process.pid}
        _until(lambda: (_report(resource["id"]).status == "running"), supervisor,
               "the worker to start the validation")
        first = psutil.Process(worker.process.pid)
        seen = {first.pid, *(p.pid for p in first.children(recursive=True))}

        first.kill()
        _until(lambda: worker.process is not None and worker.process.pid != first.pid, supervisor,
               "the worker to be started again")
        sessions.add(worker.process.pid)

        _until(lambda: _report(resource["id"]).status != "running", supervisor,
               "the restarted worker to deal with the interrupted validation")
        report = _report(resource["id"])
        assert report.status == "error"
        assert "interrupted" in report.message and report.message_zh
        _until(lambda: _serves(url), supervisor, "the web server to answer")
        # and no secret of the ini file is on any of their command lines
        secrets = {tk.config["SECRET_KEY"], urlsplit(tk.config["ckan.datastore.read_url"]).password}
        assert all(secret and secret not in " ".join(process.cmdline())
                   for process in _in_sessions(sessions) for secret in secrets)
        assert web.restarts == 0 and worker.restarts == 1
        seen |= {p.pid for p in psutil.Process(worker.process.pid).children(recursive=True)}
        seen |= {web.process.pid, worker.process.pid}
    finally:
        supervisor.stop()
    assert any(line.startswith("supervisor: worker") and "SIGKILL" in line for line in lines), lines
    # nothing is left: no process of the roles' sessions, nor any child of the workers
    assert _in_sessions(sessions) == []
    assert [pid for pid in seen if psutil.pid_exists(pid)
            and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE] == []
