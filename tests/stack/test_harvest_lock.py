"""One harvest source, one runner at a time: the seed harvest (``run_source``) and the
queue consumers that ``make run`` starts never import the same entries at once."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from catalog_seed.departments import load_departments
from ckanext.shanghai.harvest.consumers import LOCK_CLASS
from ckanext.shanghai.harvest.department import SOURCE_TYPE
from ckanext.shanghai.harvest.operations import run_source
from harvesters import catalogue_generator as gen

PLUGINS = "shanghai_search shanghai scheming_datasets activity harvest shanghai_department_harvester"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db")]

DEPARTMENT = load_departments()[0]
ENTRIES = 12
FOLDER_OPTION = "ckanext.shanghai.harvest.catalogue_folder"


@pytest.fixture(autouse=True)
def _catalogue_folder(tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, FOLDER_OPTION, str(tmp_path))


def _ini(folder: Path) -> Path:
    """The test run's ini with this module's plugins (the tables clean_db made), the
    catalogue files read from ``folder``."""
    ini = folder / "test.ini"
    ini.write_text("".join(
        f"ckan.plugins = {PLUGINS}\n{FOLDER_OPTION} = {folder}\n" if line.startswith("ckan.plugins") else line
        for line in Path(os.environ["CKAN_INI"]).read_text(encoding="utf-8").splitlines(True)), encoding="utf-8")
    return ini


def _waiting_for_a_source_lock() -> bool:
    with model.meta.engine.connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = (:cls)::oid"), {"cls": LOCK_CLASS % 2**32}).scalar())


def _waiting_objects(job_id: str) -> int:
    with model.meta.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(HarvestObject.__table__).where(
            HarvestObject.__table__.c.harvest_job_id == job_id,
            HarvestObject.__table__.c.state == "WAITING")).scalar()


def _source(tmp_path: Path, name: str) -> dict:
    """A department catalogue source of ``ENTRIES`` entries in a CSV file."""
    org = factories.Organization(name=DEPARTMENT["name"], title=DEPARTMENT["title"])
    path = tmp_path / "catalogue.csv"
    gen.write_csv(path, list(gen.entries(DEPARTMENT, ENTRIES)), "utf-8")
    return helpers.call_action(
        "harvest_source_create", context={"user": factories.Sysadmin()["name"]},
        name=name, title="测试目录", url=str(path), source_type=SOURCE_TYPE,
        owner_org=org["id"], config=json.dumps({"format": "csv", "location": str(path)}))


def test_the_consumers_wait_while_a_source_is_harvested_in_process(tmp_path):
    """What failed ``make run`` half the time: the scheduler puts a running seed
    harvest's waiting objects on the fetch queue, and the fetch consumer imported them
    at the same time as the seed harvest (UniqueViolation on the dataset's name)."""
    source = _source(tmp_path, "catalogue-locked")
    ini = _ini(tmp_path)
    redis_url = tk.config["ckan.redis.url"]
    separator = "&" if "?" in redis_url else "?"
    env = dict(os.environ, CKAN_INI=str(ini),
               CKAN_REDIS_URL=f"{redis_url}{separator}socket_timeout=3600")
    consumer = subprocess.Popen([sys.executable, "-m", "ckanext.shanghai.stack", "consumer", "fetch"],
                                env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "err.txt").open("w"))
    raced: list[bool] = []

    def meanwhile(done: int, total: int) -> None:
        if done != 1:
            return
        # what every round of the scheduler's harvest_jobs_run does
        queue.resubmit_objects()
        job = model.Session.query(HarvestJob).filter_by(source_id=source["id"]).one()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and consumer.poll() is None:
            if _waiting_for_a_source_lock():
                raced.append(False)
                return
            if _waiting_objects(job.id) < total - done:  # the consumer took one
                raced.append(True)
                return
            time.sleep(0.1)

    try:
        summary = run_source(source["id"], meanwhile)
        assert raced == [False], (tmp_path / "err.txt").read_text()[-3000:]
        # the consumer gets the lock now, finds every object done and skips it
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _waiting_for_a_source_lock():
            time.sleep(0.1)
    finally:
        consumer.terminate()
        consumer.wait(20)
    errors = (tmp_path / "err.txt").read_text()
    assert "UniqueViolation" not in errors and "Traceback" not in errors, errors[-3000:]
    assert (summary.created, summary.errors) == (ENTRIES, 0), summary.messages
    model.Session.remove()
    names = [p.name for p in model.Session.query(model.Package).filter(model.Package.type == "dataset")]
    assert len(names) == len(set(names)) == ENTRIES
    assert run_source(source["id"]).unchanged == ENTRIES


def test_a_second_run_of_the_same_source_waits_for_the_first(tmp_path):
    source = _source(tmp_path, "catalogue-twice")
    ckan = Path(sys.executable).with_name("ckan")
    second: list[subprocess.Popen] = []
    outcome: list[str] = []

    def meanwhile(done: int, total: int) -> None:
        if done != 1:
            return
        second.append(subprocess.Popen(
            [str(ckan), "-c", str(_ini(tmp_path)), "shanghai-harvest", "harvest-all", "--source", source["name"]],
            stdout=(tmp_path / "out.txt").open("w"), stderr=(tmp_path / "err.txt").open("w")))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _waiting_for_a_source_lock():
                outcome.append("waits")
                return
            if second[0].poll() is not None:
                outcome.append("ran meanwhile")
                return
            time.sleep(0.1)

    try:
        first = run_source(source["id"], meanwhile)
        assert second[0].wait(120) == 0, (tmp_path / "err.txt").read_text()[-3000:]
    finally:
        for process in second:
            if process.poll() is None:
                process.kill()
    assert outcome == ["waits"]
    assert (first.created, first.errors) == (ENTRIES, 0), first.messages
    # the second run found every entry there, unchanged
    table = (tmp_path / "out.txt").read_text().splitlines()
    assert [line for line in table if line.startswith(source["name"])][-1].split()[1:] == [
        "0", "0", str(ENTRIES), "0", "0"]
