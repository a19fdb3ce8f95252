"""``ckan shanghai backup`` / ``restore``: a round trip from a seeded portal into empty
databases and an empty storage folder on the same throw-away server, compared as a
whole (``portal_snapshot.py``), and backups that are damaged or land on data."""
from __future__ import annotations

import configparser
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import ckan.lib.jobs as jobs
import psycopg2
import pytest
from ckan.tests import factories, helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.shanghai.portal import seed
from ckanext.shanghai.stack import backup, services
from ckanext.shanghai.validation import runner
from tests.stack import portal_snapshot

ROOT = Path(__file__).resolve().parents[2]
CKAN = str(Path(sys.executable).parent / "ckan")


def _ini_values(ini: Path) -> dict[str, str]:
    parser = configparser.RawConfigParser()
    parser.read(ini, encoding="utf-8")
    return {key: parser.get("app:main", key).replace("%%", "%") for key in (
        "sqlalchemy.url", "ckan.datastore.write_url", "ckan.datastore.read_url",
        "ckan.storage_path")}


def other_portal(ini: Path, folder: Path, name: str) -> Path:
    """An ini like ``ini`` on new, empty databases ``<db>_<name>`` and
    ``<db>_<name>_datastore`` of the same server, and an empty storage folder."""
    values = _ini_values(ini)
    database = services.with_database(
        values["sqlalchemy.url"], f"{backup._database(values['sqlalchemy.url'])}_{name}")
    datastore = backup._database(database) + "_datastore"
    replaced = {
        "sqlalchemy.url": database,
        "ckan.datastore.write_url": services.with_database(values["ckan.datastore.write_url"],
                                                           datastore),
        "ckan.datastore.read_url": services.with_database(values["ckan.datastore.read_url"],
                                                          datastore),
        "ckan.storage_path": str(folder / f"storage-{name}"),
    }
    for key in ("sqlalchemy.url", "ckan.datastore.write_url"):
        services.drop_database(replaced[key])
        services.ensure_database(replaced[key])
    lines = [next((f"{key} = {replaced[key].replace('%', '%%')}" for key in replaced
                   if line.startswith(f"{key} =")), line)
             for line in ini.read_text(encoding="utf-8").splitlines()]
    other = folder / f"{name}.ini"
    other.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return other


def ckan(ini: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CKAN, "-c", str(ini), "shanghai", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)


def snapshot(ini: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "tests.stack.portal_snapshot"], cwd=ROOT,
                          env=dict(os.environ, CKAN_INI=str(ini)), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture
def portal(clean_db, with_request_context, seed_folder) -> Path:
    """A seeded portal: departments, datasets of every open type with their files,
    validated (reports, DataStore tables), a contest with a published bundle and a
    team. Returns its ini file."""
    admin = factories.Sysadmin()
    built = seed.read_seed(seed_folder)
    sample = [next(e for e in built.datasets if e["package"]["open_type"] == kind)
              for kind in ("unconditional", "conditional", "non_open")]
    sample.append(next(e for e in built.datasets if e not in sample))
    owners = {e["package"]["owner_org"] for e in sample}
    seed.ensure_domain_groups(admin["name"])
    seed.ensure_departments(admin["name"], dataclasses.replace(
        built, organizations=[o for o in built.organizations if o["name"] in owners]))
    seed.load_datasets(admin["name"], built, sample)
    jobs.Worker([runner.QUEUE]).work(burst=True)
    ctx = {"user": admin["name"]}
    helpers.call_action("shanghai_contest_create", context=dict(ctx), name="soda-2015",
                        title="2015 SODA 智慧交通", edition=2015, theme="智慧交通",
                        terms="数据仅用于本届大赛。", start_date="2015-05-20",
                        end_date="2015-10-31")
    bundle = helpers.call_action("shanghai_bundle_create", context=dict(ctx),
                                 contest="soda-2015", name="open", title="开放数据包",
                                 access_tier="public",
                                 datasets=[sample[0]["package"]["name"]])
    helpers.call_action("shanghai_bundle_publish", context=dict(ctx), id=bundle["id"])
    user = factories.User()
    helpers.call_action("shanghai_team_register", context={"user": user["name"]},
                        contest="soda-2015", name="team-a", title="队伍甲")
    return Path(os.environ["CKAN_INI"])


def _portal_of(ini: Path) -> backup.Portal:
    values = _ini_values(ini)
    return backup.Portal(values["sqlalchemy.url"], values["ckan.datastore.write_url"],
                         Path(values["ckan.storage_path"]))


def _never() -> None:
    raise AssertionError("a refused restore got as far as its databases")


def test_a_backup_restores_into_empty_servers_as_it_was(portal, tmp_path):
    folder = tmp_path / "backup"
    # as a container runs it: the stack's entry point, on the node's ini
    made = subprocess.run([sys.executable, "-m", "ckanext.shanghai.stack", "backup",
                           str(folder)], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, CKAN_INI=str(portal)), timeout=600)
    assert made.returncode == 0, made.stderr
    assert "backup: 2 databases and" in made.stdout
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {"ckan.dump", "datastore.dump"} <= set(manifest["files"])
    assert any(name.startswith("storage/shanghai_bundles/") for name in manifest["files"])
    restored = other_portal(portal, tmp_path, "restored")
    target = _portal_of(restored)

    # A damaged backup is refused, naming the file, before anything is written.
    uploaded = next(p for p in sorted((folder / "storage").rglob("*"))
                    if p.is_file() and "resources" in p.parts)
    dump = folder / "datastore.dump"
    kept = {path: path.read_bytes() for path in (uploaded, dump)}
    altered = bytearray(kept[uploaded])
    altered[0] ^= 0xFF
    for victim, damaged, says in ((uploaded, bytes(altered), "SHA-256 differs"),
                                  (dump, kept[dump][: len(kept[dump]) // 2], "truncated")):
        victim.write_bytes(damaged)
        with pytest.raises(backup.BackupError) as refused:
            backup.restore(target, folder, force=False, after_databases=_never)
        assert str(victim) in str(refused.value) and says in str(refused.value)
        assert backup.check_empty(target) == []
        victim.write_bytes(kept[victim])

    done = ckan(restored, "restore", str(folder))
    assert done.returncode == 0, done.stderr
    assert backup.index_is_current(target.database_url)

    before, after = portal_snapshot.snapshot(), snapshot(restored)
    before = json.loads(json.dumps(before, sort_keys=True, default=str))
    assert len(before["datasets"]) == 4 and before["reports"] and before["datastore"]
    assert before["contests"]["soda-2015"]["teams"] and before["uploads"]
    for part in ("datasets", "reports", "datastore", "uploads", "files", "contests", "search"):
        assert after[part] == before[part], part

    # The DataStore's read-only role reads the restored tables and cannot write them.
    table = next(iter(before["datastore"]))
    conn = psycopg2.connect(_ini_values(restored)["ckan.datastore.read_url"])
    try:
        with conn.cursor() as cur:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            assert cur.fetchone()[0] == len(before["datastore"][table])
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(f'DELETE FROM "{table}"')
    finally:
        conn.close()

    # A portal that holds data is not overwritten, unless asked to.
    with pytest.raises(backup.BackupError, match="not empty.*--force"):
        backup.restore(target, folder, force=False, after_databases=_never)
    # --force, with a backup whose search index lacks a row: it is rebuilt.
    conn = psycopg2.connect(target.database_url)
    try:
        with conn.cursor() as cur:
            cur.execute("DELETE FROM shanghai_search_index WHERE name = %s",
                        (sorted(before["datasets"])[0],))
        conn.commit()
        assert not backup.index_is_current(target.database_url)
        stale = tmp_path / "stale"
        backup.backup(target, stale, "test")
        forced = ckan(restored, "restore", "--force", str(stale))
        assert forced.returncode == 0, forced.stderr
        assert "search index rebuilt" in forced.stdout
        assert backup.index_is_current(target.database_url)
        with conn.cursor() as cur:
            cur.execute("SELECT name FROM shanghai_search_index ORDER BY name")
            assert [name for (name,) in cur.fetchall()] == sorted(before["datasets"])
    finally:
        conn.close()


def test_passwords_reach_the_tools_by_environment_only():
    plain, env = backup._without_password("postgresql://ckan:s%40cret@db:5432/ckan")
    assert plain == "postgresql://ckan@db:5432/ckan" and env["PGPASSWORD"] == "s@cret"
    with pytest.raises(backup.BackupError, match="cannot reach the database nodb") as refused:
        backup.tools_for("postgresql://ckan:topsecret@127.0.0.1:1/nodb")
    assert "topsecret" not in str(refused.value)


def _fake_backup(folder: Path) -> dict:
    """A backup folder with made-up dumps and one stored file, and its manifest."""
    contents = {"ckan.dump": b"PGDMP ckan", "datastore.dump": b"PGDMP datastore",
                "storage/resources/abc/def/ghi": "公交线路\n".encode()}
    for name, data in contents.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return {"format": backup.FORMAT, "files": {
        name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in contents.items()}}


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(st.text(max_size=20), inner,
                                                            max_size=3)), max_leaves=8)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(["format", "files", "entry", "name", "size", "sha256", "whole"]),
       value=JSON)
def test_any_manifest_is_read_or_refused_with_a_message(tmp_path, where, value):
    folder = tmp_path / "b"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    manifest: Any = _fake_backup(folder)
    stored = "storage/resources/abc/def/ghi"
    if where in ("format", "files"):
        manifest[where] = value
    elif where == "entry":
        manifest["files"][stored] = value
    elif where == "name":
        manifest["files"][str(value)] = manifest["files"].pop(stored)
    elif where in ("size", "sha256"):
        manifest["files"]["ckan.dump"][where] = value
    else:
        manifest = value
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    try:
        backup.read_manifest(folder)
    except backup.BackupError as error:
        assert str(folder) in str(error)


def test_an_unfinished_backup_is_refused(tmp_path):
    (tmp_path / "ckan.dump").write_bytes(b"PGDMP")
    with pytest.raises(backup.BackupError, match="no manifest"):
        backup.read_manifest(tmp_path)
