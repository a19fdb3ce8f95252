"""Bootstraps and runs the portal: ``python -m ckanext.shanghai.stack run|test|bench``.

``run``   starts PostgreSQL and Redis (embedded in ``.var/`` unless external URLs are
          given), writes ``.var/ckan.ini``, migrates every database, builds the
          seed catalogue into ``.var/seed/`` (unless it is up to date), makes the
          sysadmin, loads the seed, then serves CKAN with gunicorn, the
          background-job worker and the harvest consumers under a supervisor
          (``supervisor.py``) until Ctrl-C, when everything is stopped in order.
``test``  the same bootstrap on a throw-away database, then pytest.
``bench`` the same on a throw-away database, then the benchmarks in ``bench/``.
``worker``, ``consumer`` the job worker and a harvest queue consumer, as ``run`` starts them.
"""
from __future__ import annotations

import argparse
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
from pathlib import Path
from urllib.parse import urlsplit

from . import config, services
from .supervisor import Role, Supervisor

ROOT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent
ADMIN = os.environ.get("SHANGHAI_ADMIN_USER", "admin")


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


def bootstrap(var_dir: Path, *, database: str, port: int, throwaway: bool,
              seed: bool) -> tuple[services.Services, Path]:
    """Start the services, write the ini file, migrate, and (optionally) seed."""
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    running = services.start(var_dir, database=database, throwaway=throwaway)
    try:
        _keep_private(var_dir, running)
        write_url, read_url = _datastore_urls(running.database_url, var_dir)
        ini = config.write_ini(var_dir / "ckan.ini", var_dir=var_dir,
                               database_url=running.database_url,
                               redis_url=running.redis_url, port=port,
                               datastore_write_url=write_url, datastore_read_url=read_url)
        _ckan(ini, "db", "upgrade")
        # The DataStore's read-only user may read every table the write user makes.
        # The script is for psql; we are connected to the DataStore database already.
        script = subprocess.run(
            [str(BIN / "ckan"), "-c", str(ini), "datastore", "set-permissions"],
            check=True, capture_output=True, text=True).stdout
        services.run_sql(write_url, "\n".join(
            line for line in script.splitlines() if not line.startswith("\\connect")))
        if seed:
            # The seed is data built by catalog_seed (kept while its version holds);
            # the password goes by environment, never on a command line.
            seed_dir = var_dir / "seed"
            subprocess.run([str(BIN / "python"), "-m", "catalog_seed", "build", str(seed_dir)],
                           check=True, cwd=ROOT)
            _ckan(ini, "shanghai", "setup", "--admin", ADMIN, "--seed", str(seed_dir),
                  env=dict(os.environ, SHANGHAI_ADMIN_PASSWORD=_admin_password(var_dir)))
    except BaseException:
        running.stop()
        raise
    return running, ini


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


def _seed_harvest(ini: Path, env: dict[str, str], supervisor: Supervisor) -> bool:
    """Harvest the seed catalogues once (a re-run skips every unchanged entry) while
    the portal serves, its roles supervised meanwhile; False if the web server ended.
    A failed harvest is reported, never fatal: an operator can run it again."""
    harvest = subprocess.Popen([str(BIN / "ckan"), "-c", str(ini), "shanghai-harvest", "harvest-all",
                                "--no-errors"], env=env)
    try:
        while harvest.poll() is None:
            if supervisor.check() is not None:
                return False
            time.sleep(0.5)
    finally:  # stopped meanwhile: the harvest stops too
        if harvest.poll() is None:
            harvest.terminate()
            harvest.wait()
    if harvest.returncode:
        print(f"seed harvest failed (exit code {harvest.returncode}); the portal starts "
              f"anyway. Run it again with: ckan -c {ini} shanghai-harvest harvest-all",
              file=sys.stderr, flush=True)
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
  The seed catalogues are harvested now, in the background (progress below).
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


def cmd_run(args: argparse.Namespace) -> int:
    _stop_on_signals()
    var_dir = ROOT / ".var"
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
    running, ini = bootstrap(var_dir, database="ckan", port=port, throwaway=False, seed=True)
    env = dict(os.environ, CKAN_INI=str(ini))
    python = [str(BIN / "python"), "-m"]
    # ckanext-harvest's queue consumers, for jobs started from the web UI or the API.
    # They wait in BLPOP without a timeout, but redis-py 8 gives every socket a 5 s
    # read timeout, which would kill them after 5 idle seconds: their Redis URL
    # (theirs only) carries a socket timeout longer than any idle spell.
    separator = "&" if "?" in running.redis_url else "?"
    consumer_env = dict(env, CKAN_REDIS_URL=f"{running.redis_url}{separator}socket_timeout=315360000")
    supervisor = Supervisor([
        Role("catalogue-api", [*python, "harvesters.testing_server", "--port", str(api_port)], env),
        Role("district-portals", [*python, "harvesters.district_portal", "--port",
                                  str(district_port)], env),
        # one harvest source at a time (harvest/consumers.py)
        Role("gather-consumer", [*python, "ckanext.shanghai.stack", "consumer", "gather"],
             consumer_env),
        Role("fetch-consumer", [*python, "ckanext.shanghai.stack", "consumer", "fetch"],
             consumer_env),
        # What ckanext-harvest expects of cron: start due jobs, mark finished ones finished.
        Role("harvest-scheduler", [str(BIN / "ckan"), "-c", str(ini), "shanghai-harvest",
                                   "harvest-scheduler"], env),
        # Beside it, validation's: changed Table Schemas, URL resources due again.
        Role("validation-scheduler", [str(BIN / "ckan"), "-c", str(ini), "shanghai-validation",
                                      "scheduler"], env),
        # default: CKAN's own jobs; shanghai:validation: the validation plugin's.
        Role("worker", [*python, "ckanext.shanghai.stack", "worker", "default",
                        "shanghai:validation"], env),
        Role("web", [str(BIN / "gunicorn"), "--workers", os.environ.get("WEB_CONCURRENCY", "2"),
                     "--bind", f"{os.environ.get('HOST', '127.0.0.1')}:{port}",
                     "--timeout", "120", "--access-logfile", "-",
                     "ckanext.shanghai.stack.wsgi:application"], env, essential=True),
    ])
    try:
        supervisor.start_all()
        url = f"http://127.0.0.1:{port}"
        _wait_for(url, supervisor)
        print(_banner(url, var_dir), flush=True)
        if not _seed_harvest(ini, env, supervisor):
            return 1
        return supervisor.run()
    except KeyboardInterrupt:
        return 0
    finally:
        supervisor.stop()
        running.stop()
        print("portal stopped", flush=True)


# The roles import CKAN when they start, not here: the bootstrap and `test` run before
# any CKAN configuration exists and must not load CKAN's modules in the supervisor.
def cmd_worker(args: argparse.Namespace) -> int:
    from . import worker  # noqa: PLC0415

    return worker.main(args.queues)


def cmd_consumer(args: argparse.Namespace) -> int:
    from ckanext.shanghai.harvest import consumers  # noqa: PLC0415

    from .worker import load_app  # noqa: PLC0415

    load_app()
    consumers.consume(args.stage)
    return 0


def _throwaway(command: Callable[[Path], list[str]], *, seed: bool) -> int:
    """Run ``command(ini)`` against fresh servers that are deleted afterwards."""
    var_dir = Path(tempfile.mkdtemp(prefix="shanghai-"))
    running = None
    try:
        running, ini = bootstrap(var_dir, database="ckan_test", port=5000,
                                 throwaway=True, seed=seed)
        env = dict(os.environ, CKAN_INI=str(ini))
        return subprocess.run(command(ini), cwd=ROOT, env=env).returncode
    finally:
        if running is not None:
            running.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


def cmd_test(args: argparse.Namespace) -> int:
    return _throwaway(
        lambda ini: [str(BIN / "python"), "-m", "pytest", f"--ckan-ini={ini}", *args.extra],
        seed=False)


def cmd_bench(args: argparse.Namespace) -> int:
    return _throwaway(lambda ini: [str(BIN / "python"), "-m", "bench", *args.extra],
                      seed=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckanext.shanghai.stack")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="serve the portal with the seed catalogue").set_defaults(func=cmd_run)
    sub.add_parser("test", help="run pytest (extra arguments are its own) on throw-away "
                   "servers").set_defaults(func=cmd_test)
    sub.add_parser("bench", help="run the benchmarks (extra arguments are theirs) on "
                   "throw-away servers").set_defaults(func=cmd_bench)
    worker = sub.add_parser("worker", help="the background-job worker (CKAN's, whose "
                            "work-horses die with it) on $CKAN_INI")
    worker.add_argument("queues", nargs="*")
    worker.set_defaults(func=cmd_worker)
    consumer = sub.add_parser("consumer", help="a harvest queue consumer on $CKAN_INI, "
                              "one source at a time")
    consumer.add_argument("stage", choices=("gather", "fetch"))
    consumer.set_defaults(func=cmd_consumer)
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("test", "bench"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
