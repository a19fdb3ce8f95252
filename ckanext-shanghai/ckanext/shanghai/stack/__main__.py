"""Bootstraps and runs the portal: ``python -m ckanext.shanghai.stack run|test|bench``.

``run``   starts PostgreSQL and Redis (embedded in ``.var/`` unless external URLs are
          given), writes ``.var/ckan.ini``, migrates every database, makes the
          sysadmin, loads the seed catalogue, then serves CKAN with gunicorn and a
          background-job worker until Ctrl-C, when everything is stopped in order.
``test``  the same bootstrap on a throw-away database, then pytest.
``bench`` the same on a throw-away database, then the benchmarks in ``bench/``.
"""
from __future__ import annotations

import argparse
import os
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

ROOT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent
ADMIN = os.environ.get("SHANGHAI_ADMIN_USER", "admin")


def _ckan(ini: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(BIN / "ckan"), "-c", str(ini), *args], check=True, env=env)


def _admin_password(var_dir: Path) -> str:
    if os.environ.get("SHANGHAI_ADMIN_PASSWORD"):
        return os.environ["SHANGHAI_ADMIN_PASSWORD"]
    path = var_dir / "admin_password"
    if not path.exists():
        import secrets
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


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
    path = var_dir / "datastore_password"
    if not path.exists():
        import secrets
        path.write_text(secrets.token_urlsafe(16))
        path.chmod(0o600)
    return write, services.ensure_read_role(write, "datastore_ro", path.read_text().strip())


def bootstrap(var_dir: Path, *, database: str, port: int, throwaway: bool,
              seed: bool) -> tuple[services.Services, Path]:
    """Start the services, write the ini file, migrate, and (optionally) seed."""
    var_dir.mkdir(parents=True, exist_ok=True)
    running = services.start(var_dir, database=database, throwaway=throwaway)
    try:
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
            _ckan(ini, "shanghai", "setup", "--admin", ADMIN,
                  "--password", _admin_password(var_dir))
    except BaseException:
        running.stop()
        raise
    return running, ini


def _wait_for(url: str, processes: list[subprocess.Popen], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("a portal process exited during start-up; see the log above")
        try:
            with urllib.request.urlopen(url + "/api/3/action/status_show", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the portal did not answer at {url} within {timeout:.0f} s")


def _banner(url: str, var_dir: Path) -> str:
    return f"""
上海市公共数据开放平台 — Shanghai Open Government Data portal
  Portal:  {url}            (English: {url}/en/)
  Admin:   {ADMIN} / {_admin_password(var_dir)}
  Try the API:
    curl '{url}/api/3/action/package_search?q=公交&rows=5'
    curl '{url}/api/3/action/package_search?fq=data_domain:transport&facet.field=["open_type"]'
    curl '{url}/api/3/action/shanghai_catalogue_stats'
  Ctrl-C stops the portal and its embedded PostgreSQL and Redis.
"""


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
    running, ini = bootstrap(var_dir, database="ckan", port=port, throwaway=False, seed=True)
    env = dict(os.environ, CKAN_INI=str(ini))
    processes: list[subprocess.Popen] = []
    try:
        processes.append(subprocess.Popen(
            [str(BIN / "python"), "-m", "harvesters.testing_server", "--port", str(api_port)], env=env))
        processes.append(subprocess.Popen(
            [str(BIN / "python"), "-m", "harvesters.district_portal", "--port", str(district_port)], env=env))
        # ckanext-harvest's queue consumers, for jobs started from the web UI or the API.
        # They wait in BLPOP without a timeout, but redis-py 8 gives every socket a 5 s
        # read timeout, which would kill them after 5 idle seconds: their Redis URL
        # (theirs only) carries a socket timeout longer than any idle spell.
        separator = "&" if "?" in running.redis_url else "?"
        consumer_env = dict(env, CKAN_REDIS_URL=f"{running.redis_url}{separator}socket_timeout=315360000")
        for consumer in ("gather-consumer", "fetch-consumer"):
            processes.append(subprocess.Popen(
                [str(BIN / "ckan"), "-c", str(ini), "harvester", consumer], env=consumer_env))
        # What ckanext-harvest expects of cron: start due jobs, mark finished ones finished.
        processes.append(subprocess.Popen(
            [str(BIN / "ckan"), "-c", str(ini), "shanghai", "harvest-scheduler"], env=env))
        # Harvest the seed catalogues once (a re-run skips every unchanged entry).
        _ckan(ini, "shanghai", "harvest-all", "--no-errors", env=env)
        processes.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", os.environ.get("WEB_CONCURRENCY", "2"),
             "--bind", f"{os.environ.get('HOST', '127.0.0.1')}:{port}",
             "--timeout", "120", "--access-logfile", "-",
             "ckanext.shanghai.stack.wsgi:application"], env=env))
        processes.append(subprocess.Popen(
            # default: CKAN's own jobs; shanghai:validation: the validation plugin's.
            [str(BIN / "ckan"), "-c", str(ini), "jobs", "worker", "default",
             "shanghai:validation"], env=env))
        url = f"http://127.0.0.1:{port}"
        _wait_for(url, processes)
        print(_banner(url, var_dir), flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        running.stop()
        print("portal stopped", flush=True)


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
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "run":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
