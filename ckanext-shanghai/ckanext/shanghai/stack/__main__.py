"""Bootstraps and runs the portal: ``python -m ckanext.shanghai.stack COMMAND``.

The roles (one code path for ``make run`` and containers, which differ only in their
environment; see README, "Roles"). Each reads ``$CKAN_INI``, or writes an ini file
from the environment alone (``_node_ini``: external database and Redis URLs, site URL,
storage path, secrets):

``migrate`` one-shot: upgrades core's and every plugin's schema, grants the DataStore's
            read-only user its rights, makes the sysadmin (password from secrets),
            and loads the seed catalogue only with ``--seed``. Idempotent.
``web``     gunicorn serving CKAN; refuses to start on a database whose migrations
            are behind, and answers 503 while it cannot reach PostgreSQL.
``worker``  the background-job worker (queues ``default`` and ``shanghai:validation``).
``harvest`` the harvest gather and fetch consumers and the scheduler.

The one-machine commands:

``run``   starts PostgreSQL and Redis (embedded in ``$SHANGHAI_VAR_DIR``, default
          ``.var/``, unless external URLs are given), writes ``ckan.ini`` there, runs
          ``migrate`` only when the database or the installed migrations changed since
          it last did, then supervises the ``web``, ``worker`` and ``harvest`` roles
          (``supervisor.py``; the last two start once the web node answers, niced);
          then ``migrate --seed`` and the seed harvest run in the background.
          Ctrl-C stops everything in order.
``test``  the same bootstrap on a throw-away database, then pytest.
``bench`` the same on a throw-away database, then the benchmarks in ``bench/``.
``consumer`` one harvest queue consumer, as the ``harvest`` role starts it.
``backup`` / ``restore`` ``ckan shanghai backup|restore`` on the node's ini file
          (``stack/backup.py``), for containers.
"""
from __future__ import annotations

import argparse
import configparser
import hashlib
import importlib.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from . import config, services
from .supervisor import BACKGROUND, Role, Supervisor, die_with_parent, worker_count

ROOT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent
ADMIN = os.environ.get("SHANGHAI_ADMIN_USER", "admin")
#: printed by ``run`` once the seed check and the seed harvest have ended (bench/startup.py)
AFTER_START_DONE = "start-up steps done: seed checked, seed catalogues harvested"


def _ckan(ini: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(BIN / "ckan"), "-c", str(ini), *args], check=True, env=env)


def _admin_password(var_dir: Path) -> str:
    return config.secret(var_dir / "admin_password", "SHANGHAI_ADMIN_PASSWORD")


def _datastore_urls(database_url: str, var_dir: Path) -> tuple[str, str]:
    """The DataStore's write and read URLs: ``SHANGHAI_DATASTORE_WRITE_URL`` /
    ``SHANGHAI_DATASTORE_READ_URL``, else a database ``<ckan database>_datastore`` on
    the same server, written by CKAN's user and read by a read-only role made here."""
    write = os.environ.get("SHANGHAI_DATASTORE_WRITE_URL")
    read = os.environ.get("SHANGHAI_DATASTORE_READ_URL")
    if write and read:
        return write, read
    name = urlsplit(database_url).path.lstrip("/")
    write = services.with_database(database_url, f"{name}_datastore")
    services.ensure_database(write)
    return write, services.ensure_read_role(write, "datastore_ro",
                                            config.secret(var_dir / "datastore_password"))


def migration_scripts() -> list[str]:
    """The migration scripts installed (CKAN's and every ckanext package's), read from
    disk without loading CKAN."""
    import ckanext  # noqa: PLC0415  (a namespace package: no CKAN code runs)

    spec = importlib.util.find_spec("ckan")
    assert spec is not None and spec.origin is not None
    folders = [Path(spec.origin).parent / "migration"]
    folders += [Path(p) for p in ckanext.__path__ if Path(p).is_dir()]
    # An editable install puts a path hook, not a folder, on ckanext's path.
    ours = importlib.util.find_spec("ckanext.shanghai")
    assert ours is not None and ours.submodule_search_locations is not None
    folders += [Path(p) for p in ours.submodule_search_locations]
    return sorted({str(f.relative_to(folder)) for folder in folders
                   for f in folder.glob("**/versions/*.py")})


def _migration_fingerprint(database_url: str) -> str:
    """What decides whether ``migrate`` must run before serving: the database and the
    migration scripts installed."""
    return hashlib.sha256("\n".join([database_url, *migration_scripts()]).encode()).hexdigest()


def bootstrap(var_dir: Path, *, database: str, port: int,
              throwaway: bool, durable: bool = True) -> tuple[services.Services, Path]:
    """Start the services and write the ini file; run ``migrate`` (without the seed)
    first unless it ran on this database with the migrations installed now, recorded
    in ``var_dir/migrated``. A stale record is harmless: a web node refuses a
    database whose migrations are behind (``roles.refuse_if_behind``)."""
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    running = services.start(var_dir, database=database, throwaway=throwaway,
                             durable=durable)
    try:
        _keep_private(var_dir, running)
        write_url, read_url = _datastore_urls(running.database_url, var_dir)
        ini = config.write_ini(var_dir / "ckan.ini", var_dir=var_dir,
                               database_url=running.database_url,
                               redis_url=running.redis_url, port=port,
                               datastore_write_url=write_url, datastore_read_url=read_url)
        stamp = var_dir / "migrated"
        fingerprint = _migration_fingerprint(running.database_url)
        if throwaway or not stamp.exists() or stamp.read_text() != fingerprint:
            _migrate(ini, var_dir, admin=not throwaway)
            stamp.write_text(fingerprint)
    except BaseException:
        running.stop()
        raise
    return running, ini


def _migrate(ini: Path, var_dir: Path, *, admin: bool) -> None:
    """The ``migrate`` role on the databases of ``ini`` (without the sysadmin on
    throw-away ones)."""
    subprocess.run([str(BIN / "python"), "-m", "ckanext.shanghai.stack", "migrate",
                    *([] if admin else ["--no-admin"])],
                   check=True, env=dict(os.environ, CKAN_INI=str(ini),
                                        SHANGHAI_VAR_DIR=str(var_dir)))


def _keep_private(var_dir: Path, running: services.Services) -> None:
    """``var_dir`` and what is in it for this user only, re-applied on every start: the
    secrets and the ini file are 0600 (see ``config.write_private``), the folders 0700.
    Only when the embedded PostgreSQL runs as its own system user (started as root)
    may that user pass through (0711) the folders above its data, and only those."""
    passed = {parent for folder in running.traversed for parent in folder.parents}
    for folder in [var_dir, *(p for p in var_dir.iterdir() if p.is_dir() and not p.is_symlink())]:
        folder.chmod(0o711 if folder in passed else 0o700)


def _wait_for(url: str, supervisor: Supervisor, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if supervisor.check() is not None:
            raise RuntimeError("the web server exited during start-up; see the log above")
        try:
            with urllib.request.urlopen(url + "/api/3/action/status_show", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the portal did not answer at {url} within {timeout:.0f} s")


def _after_start(ini: Path, env: dict[str, str], supervisor: Supervisor) -> bool:
    """What need not block serving, run once the web node answers, its roles supervised
    meanwhile: ``migrate --seed`` (DataStore permissions, the sysadmin, the seed check;
    all idempotent) and the harvest of the seed catalogues (a re-run skips every
    unchanged entry). False if the web server ended. A failure is reported, never
    fatal: an operator can run the step again."""
    steps = [
        [str(BIN / "python"), "-m", "ckanext.shanghai.stack", "migrate", "--seed"],
        [str(BIN / "ckan"), "-c", str(ini), "shanghai-harvest", "harvest-all", "--no-errors"],
    ]
    for argv in steps:
        step = subprocess.Popen(argv, env=env, preexec_fn=die_with_parent(signal.SIGTERM,
                                                                          BACKGROUND))
        try:
            while step.poll() is None:
                if supervisor.check() is not None:
                    return False
                time.sleep(0.5)
        finally:  # stopped meanwhile: the step stops too
            if step.poll() is None:
                step.terminate()
                step.wait()
        if step.returncode:
            print(f"{' '.join(argv[-3:])} failed (exit code {step.returncode}); the portal "
                  f"serves anyway. Run it again with: {' '.join(argv)}",
                  file=sys.stderr, flush=True)
    print(AFTER_START_DONE, flush=True)
    return True


def _banner(url: str, var_dir: Path) -> str:
    return f"""
上海市公共数据开放平台 — Shanghai Open Government Data portal
  Portal:  {url}            (English: {url}/en/)
  Admin:   {ADMIN}, password in {_password_source(var_dir)}
  Try the API:
    curl '{url}/api/3/action/package_search?q=公交&rows=5'
    curl '{url}/api/3/action/package_search?fq=data_domain:transport&facet.field=["open_type"]'
    curl '{url}/api/3/action/shanghai_catalogue_stats'
  The seed is checked and its catalogues harvested now, in the background.
  Ctrl-C stops the portal and its embedded PostgreSQL and Redis.
"""


def _password_source(var_dir: Path) -> str:
    if os.environ.get("SHANGHAI_ADMIN_PASSWORD"):
        return "$SHANGHAI_ADMIN_PASSWORD"
    return str(var_dir / "admin_password")


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM both stop the portal in order (also when started in the
    background, where a shell leaves SIGINT ignored)."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, interrupt)


def _consumer_env(env: dict[str, str]) -> dict[str, str]:
    """ckanext-harvest's queue consumers wait in BLPOP without a timeout, but redis-py 8
    gives every socket a 5 s read timeout, which would kill them after 5 idle seconds:
    their Redis URL (theirs only) carries a socket timeout longer than any idle spell."""
    url = env["SHANGHAI_REDIS_URL"]
    separator = "&" if "?" in url else "?"
    return dict(env, CKAN_REDIS_URL=f"{url}{separator}socket_timeout=315360000")


def _node_roles(env: dict[str, str], port: int) -> list[Role]:
    """The portal's own roles, each by its entry point, as containers run them; the
    worker and harvest roles start once the web node answers (their queues wait), and
    yield the CPU to it (``BACKGROUND``): on one machine, pages come first."""
    python = [str(BIN / "python"), "-m", "ckanext.shanghai.stack"]
    return [
        Role("harvest", [*python, "harvest"], env, deferred=True, nice=BACKGROUND),
        # default: CKAN's own jobs; shanghai:validation: the validation plugin's.
        *(Role(f"worker-{n}", [*python, "worker", "default", "shanghai:validation"], env,
               deferred=True, nice=BACKGROUND)
          for n in range(1, worker_count() + 1)),
        Role("web", [*python, "web", "--port", str(port)], env, essential=True),
    ]


def cmd_run(args: argparse.Namespace) -> int:
    _stop_on_signals()
    var_dir = Path(os.environ.get("SHANGHAI_VAR_DIR", ROOT / ".var"))
    port = int(os.environ.get("PORT", "5000"))
    # The seed's API harvest sources point at a local stand-in of the catalogue
    # system (harvesters/testing_server.py), on a port derived from the portal's.
    api_port = int(os.environ.get("SHANGHAI_CATALOGUE_API_PORT", str(port + 20000)))
    os.environ.setdefault("SHANGHAI_CATALOGUE_API_URL", f"http://127.0.0.1:{api_port}")
    # and the district portals (harvesters/district_portal.py) on the next port
    district_port = int(os.environ.get("SHANGHAI_DISTRICT_PORTAL_PORT", str(port + 20001)))
    os.environ.setdefault("SHANGHAI_DISTRICT_PORTAL_URL", f"http://127.0.0.1:{district_port}")
    # The stand-in's API token: the seed's sources name this variable (never the token itself).
    os.environ.setdefault("SHANGHAI_CATALOGUE_API_TOKEN", secrets.token_urlsafe(24))
    running, ini = bootstrap(var_dir, database="ckan", port=port, throwaway=False)
    env = dict(os.environ, CKAN_INI=str(ini), SHANGHAI_VAR_DIR=str(var_dir),
               SHANGHAI_REDIS_URL=running.redis_url)
    python = [str(BIN / "python"), "-m"]
    # The stand-ins serve the seed harvest, which starts after the web node answers.
    supervisor = Supervisor([
        Role("catalogue-api", [*python, "harvesters.testing_server", "--port", str(api_port)], env,
             deferred=True, nice=BACKGROUND),
        Role("district-portals", [*python, "harvesters.district_portal", "--port",
                                  str(district_port)], env, deferred=True, nice=BACKGROUND),
        *_node_roles(env, port),
    ])
    try:
        supervisor.start_all(deferred=False)
        url = f"http://127.0.0.1:{port}"
        _wait_for(url, supervisor)
        supervisor.start_all()
        print(_banner(url, var_dir), flush=True)
        if not _after_start(ini, env, supervisor):
            return 1
        return supervisor.run()
    except KeyboardInterrupt:
        return 0
    finally:
        supervisor.stop()
        running.stop()
        print("portal stopped", flush=True)


def _node_ini() -> Path:
    """A role's ini file: ``$CKAN_INI`` as ``run`` writes it, else one written from the
    environment alone (a container's case) into ``$SHANGHAI_VAR_DIR``: the external
    ``SHANGHAI_DATABASE_URL`` and ``SHANGHAI_REDIS_URL`` (required), the DataStore's
    ``SHANGHAI_DATASTORE_WRITE_URL`` / ``_READ_URL``, ``SHANGHAI_SITE_URL``,
    ``SHANGHAI_STORAGE_PATH`` and the secrets (``SHANGHAI_SECRET_KEY``, …)."""
    if os.environ.get("CKAN_INI"):
        return Path(os.environ["CKAN_INI"])
    var_dir = Path(os.environ.get("SHANGHAI_VAR_DIR", ROOT / ".var"))
    missing = [n for n in (services.DATABASE_URL_ENV, services.REDIS_URL_ENV)
               if not os.environ.get(n)]
    if missing:
        raise SystemExit(f"set CKAN_INI, or {' and '.join(missing)} (see README, Roles)")
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database_url = os.environ[services.DATABASE_URL_ENV]
    write_url, read_url = _datastore_urls(database_url, var_dir)
    ini = config.write_ini(var_dir / "ckan.ini", var_dir=var_dir, database_url=database_url,
                           redis_url=os.environ[services.REDIS_URL_ENV],
                           port=int(os.environ.get("PORT", "5000")),
                           datastore_write_url=write_url, datastore_read_url=read_url)
    os.environ["CKAN_INI"] = str(ini)
    return ini


def cmd_migrate(args: argparse.Namespace) -> int:
    ini = _node_ini()
    var_dir = Path(os.environ.get("SHANGHAI_VAR_DIR", ini.parent))
    seed_folder, build = None, None
    if args.seed:
        # The seed is data built by catalog_seed (kept while its version holds), built
        # while this process loads the app.
        seed_folder = var_dir / "seed"
        build = subprocess.Popen([str(BIN / "python"), "-m", "catalog_seed", "build",
                                  str(seed_folder)], cwd=ROOT)
    from . import roles  # noqa: PLC0415
    from .worker import load_app  # noqa: PLC0415

    try:
        app = load_app()
    finally:
        if build is not None and build.wait():
            raise subprocess.CalledProcessError(build.returncode, build.args)
    with app._wsgi_app.test_request_context():
        roles.migrate(None if args.no_admin else ADMIN, _admin_password(var_dir), seed_folder)
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    _node_ini()
    port = args.port or int(os.environ.get("PORT", "5000"))
    # exec: the node's pid is gunicorn's master, which a supervisor or container stops.
    os.execv(str(BIN / "gunicorn"), [
        str(BIN / "gunicorn"), "--config", "python:ckanext.shanghai.stack.gunicorn_conf",
        "--workers", str(config.web_workers()),
        "--bind", f"{os.environ.get('HOST', '127.0.0.1')}:{port}",
        "--timeout", "120", "--access-logfile", "-", "ckanext.shanghai.stack.wsgi:application"])


def cmd_harvest(args: argparse.Namespace) -> int:
    """The gather and fetch consumers (one harvest source at a time, see
    harvest/consumers.py), the harvest scheduler, which does what ckanext-harvest
    expects of cron (start due jobs, mark finished ones finished), and the validation
    scheduler (changed Table Schemas, URL resources due again). Supervised here, so
    that a container runs one process."""
    _stop_on_signals()
    ini = _node_ini()
    env = dict(os.environ, CKAN_INI=str(ini))
    env.setdefault("SHANGHAI_REDIS_URL", ini_value(ini, "ckan.redis.url"))
    python = [str(BIN / "python"), "-m", "ckanext.shanghai.stack"]
    supervisor = Supervisor([
        Role("gather-consumer", [*python, "consumer", "gather"], _consumer_env(env)),
        Role("fetch-consumer", [*python, "consumer", "fetch"], _consumer_env(env)),
        Role("harvest-scheduler", [str(BIN / "ckan"), "-c", str(ini), "shanghai-harvest",
                                   "harvest-scheduler"], env),
        # Beside it, validation's: changed Table Schemas, URL resources due again.
        Role("validation-scheduler", [str(BIN / "ckan"), "-c", str(ini), "shanghai-validation",
                                      "scheduler"], env),
    ])
    try:
        supervisor.start_all()
        return supervisor.run()
    except KeyboardInterrupt:
        return 0
    finally:
        supervisor.stop()


def cmd_backup(args: argparse.Namespace) -> int:
    """``ckan shanghai backup|restore`` on the node's ini file, for a container, which
    has no ini file until a role writes one from its environment."""
    ini = _node_ini()
    os.execv(str(BIN / "ckan"), [str(BIN / "ckan"), "-c", str(ini), "shanghai", args.command,
                                 *(["--force"] if getattr(args, "force", False) else []),
                                 args.folder])


def ini_value(ini: Path, key: str) -> str:
    """A value of an ini file this stack wrote (``[app:main]``, its ``%%`` unescaped)."""
    parser = configparser.RawConfigParser()
    parser.read(ini, encoding="utf-8")
    return parser.get("app:main", key).replace("%%", "%")


# The roles import CKAN when they start, not here: the bootstrap and `test` run before
# any CKAN configuration exists and must not load CKAN's modules in the supervisor.
def cmd_worker(args: argparse.Namespace) -> int:
    _node_ini()
    from . import worker  # noqa: PLC0415

    return worker.main(args.queues)


def cmd_consumer(args: argparse.Namespace) -> int:
    from ckanext.shanghai.harvest import consumers  # noqa: PLC0415

    from .warmup import run as warm_up  # noqa: PLC0415
    from .worker import load_app  # noqa: PLC0415

    _node_ini()
    load_app()
    warm_up(workbooks=True)  # before the first message
    consumers.consume(args.stage)
    return 0


def _lanes(running: services.Services, var_dir: Path, count: int) -> list[Path]:
    """``count - 1`` more test lanes beside the bootstrap's (``ckan.ini``), each with
    a database, a DataStore, a Redis database and a storage folder of its own, so that
    pytest-xdist's workers never see each other's data; migrated side by side."""
    inis = []
    for lane in range(1, count):
        database_url = services.with_database(running.database_url, f"ckan_test_{lane}")
        services.ensure_database(database_url)
        # one lane at a time: they share the DataStore's read role
        write_url, read_url = _datastore_urls(database_url, var_dir)
        inis.append(config.write_ini(
            var_dir / f"ckan-{lane}.ini", var_dir=var_dir, database_url=database_url,
            redis_url=services.with_redis_db(running.redis_url, lane), port=5000,
            storage=var_dir / f"storage-{lane}",
            datastore_write_url=write_url, datastore_read_url=read_url))
    with ThreadPoolExecutor(max_workers=max(1, count - 1)) as pool:
        list(pool.map(lambda ini: _migrate(ini, var_dir, admin=False), inis))
    return inis


def _test_workers() -> int:
    """pytest-xdist workers for ``test``: ``$SHANGHAI_TEST_WORKERS``, else one per CPU
    (at most four: beyond that the servers, not the tests, are the bottleneck)."""
    return max(1, int(os.environ.get("SHANGHAI_TEST_WORKERS") or min(os.cpu_count() or 1, 4)))


def _throwaway(commands: Callable[[list[Path]], list[list[str]]], *, lanes: int = 1,
               durable: bool = True) -> int:
    """Run ``commands(inis)`` one after the other against fresh servers that are deleted
    afterwards, with ``lanes`` separate sets of databases on them; the exit code is the
    first failing command's, else 0."""
    var_dir = Path(tempfile.mkdtemp(prefix="shanghai-"))
    running = None
    try:
        running, ini = bootstrap(var_dir, database="ckan_test", port=5000,
                                 throwaway=True, durable=durable)
        inis = [ini, *_lanes(running, var_dir, lanes)]
        env = dict(os.environ, CKAN_INI=str(ini),
                   SHANGHAI_TEST_INIS=os.pathsep.join(map(str, inis)))
        codes = [subprocess.run(command, cwd=ROOT, env=env).returncode
                 for command in commands(inis)]
        return next((code for code in codes if code), 0)
    finally:
        if running is not None:
            running.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


#: The ``ckan`` test tier: CKAN's shipped search tests on our backend, with their own
#: ini and pytest plugin (``tests/search/ckan_core``, which says why each is as it is).
CKAN_TIER = ROOT / "tests" / "search" / "ckan_core"
CKAN_TIER_ARGS = ["-p", "tests.search.ckan_core", "--pyargs",
                  "ckan.tests.logic.action.test_get", "ckan.tests.lib.search"]


def cmd_test(args: argparse.Namespace) -> int:
    workers = _test_workers()

    def commands(inis: list[Path]) -> list[list[str]]:
        pytest = [str(BIN / "python"), "-m", "pytest"]
        runs = []
        if args.tier in ("project", "all"):
            # tests/conftest.py gives each xdist worker its lane, and groups the tests:
            # a module's on one worker (its fixtures made once), the longest first.
            parallel = (["-n", str(workers), "--dist", "loadgroup", "--no-loadscope-reorder"]
                        if workers > 1 else [])
            runs.append([*pytest, f"--ckan-ini={inis[0]}", *parallel, *args.extra])
        if args.tier in ("ckan", "all"):
            core = shutil.copy(CKAN_TIER / "ckan.ini", inis[0].with_name("ckan-core.ini"))
            runs.append([*pytest, f"--ckan-ini={core}", *CKAN_TIER_ARGS, *args.extra])
        return runs

    # without fsync: the tests measure nothing, and wait for the disk on every commit
    return _throwaway(commands, lanes=workers if args.tier != "ckan" else 1, durable=False)


def cmd_bench(args: argparse.Namespace) -> int:
    return _throwaway(lambda inis: [[str(BIN / "python"), "-m", "bench", *args.extra]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckanext.shanghai.stack")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="serve the portal with the seed catalogue").set_defaults(func=cmd_run)
    test = sub.add_parser("test", help="run pytest (extra arguments are its own) on throw-away "
                          "servers")
    test.add_argument("--tier", choices=("project", "ckan", "all"), default="project",
                      help="our tests (default), CKAN's shipped search tests on our backend, "
                      "or both (make test)")
    test.set_defaults(func=cmd_test)
    sub.add_parser("bench", help="run the benchmarks (extra arguments are theirs) on "
                   "throw-away servers").set_defaults(func=cmd_bench)
    migrate = sub.add_parser("migrate", help="one-shot: upgrade every schema, DataStore "
                             "permissions, the sysadmin; the seed with --seed")
    migrate.add_argument("--seed", action="store_true", help="build and load the seed catalogue")
    migrate.add_argument("--no-admin", action="store_true", help="make no sysadmin")
    migrate.set_defaults(func=cmd_migrate)
    web = sub.add_parser("web", help="a web node: gunicorn serving CKAN ($WEB_CONCURRENCY "
                         "workers, default 2, on $HOST:$PORT)")
    web.add_argument("--port", type=int)
    web.set_defaults(func=cmd_web)
    sub.add_parser("harvest", help="a harvest node: the gather and fetch consumers and the "
                   "scheduler").set_defaults(func=cmd_harvest)
    worker = sub.add_parser("worker", help="a worker node: CKAN's background-job worker "
                            "(running jobs in-process on its warm app) on QUEUE…")
    worker.add_argument("queues", nargs="*")
    worker.set_defaults(func=cmd_worker)
    consumer = sub.add_parser("consumer", help="a harvest queue consumer on $CKAN_INI, "
                              "one source at a time")
    consumer.add_argument("stage", choices=("gather", "fetch"))
    consumer.set_defaults(func=cmd_consumer)
    backup = sub.add_parser("backup", help="`ckan shanghai backup FOLDER` on this node's "
                            "databases and storage")
    backup.add_argument("folder")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="`ckan shanghai restore FOLDER` into this node's "
                             "empty databases and storage")
    restore.add_argument("folder")
    restore.add_argument("--force", action="store_true", help="replace what is there")
    restore.set_defaults(func=cmd_backup)
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("test", "bench"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
