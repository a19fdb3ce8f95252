"""The department catalogue harvester through ckanext-harvest, on a real database."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

import harvesters
from catalog_seed.departments import load_departments
from ckanext.shanghai.common.vocabulary import domain_table
from ckanext.shanghai.harvest.department import SOURCE_TYPE
from ckanext.shanghai.harvest.mapping import dataset_name, domain_of
from ckanext.shanghai.harvest.operations import run_source
from ckanext.shanghai.harvest.readers.api import TOKEN_ENV
from harvesters import catalogue_generator as gen
from harvesters.testing_server import CatalogueServer
from tests import factories as our_factories

PLUGINS = "shanghai_search shanghai scheming_datasets activity harvest shanghai_department_harvester"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db")]

DEPARTMENT = load_departments()[0]


def _source(org: dict, config: dict, name: str = "catalogue-test") -> dict:
    return helpers.call_action("harvest_source_create", context={"user": factories.Sysadmin()["name"]},
                               name=name, title="测试目录", url=config["location"], source_type=SOURCE_TYPE,
                               owner_org=org["id"], config=json.dumps(config, ensure_ascii=False))


@pytest.fixture
def department():
    our_factories.domain_groups()
    return factories.Organization(name=DEPARTMENT["name"], title=DEPARTMENT["title"])


@pytest.fixture(autouse=True)
def folder(tmp_path, ckan_config, monkeypatch):
    """The catalogue folder: each test's own (see _worker_ini for other processes)."""
    monkeypatch.setitem(ckan_config, "ckanext.shanghai.harvest.catalogue_folder", str(tmp_path))
    return tmp_path


@pytest.fixture
def catalogue(tmp_path):
    """Rows of a CSV catalogue and a function that writes them (GBK, like real exports)."""
    rows = list(gen.entries(DEPARTMENT, 6))
    path = tmp_path / "catalogue.csv"

    def write(current: list[dict]) -> None:
        gen.write_csv(path, current, "gbk")

    write(rows)
    return rows, path, write


def _active_codes() -> dict[str, str]:
    query = model.Session.query(model.Package).filter(model.Package.type == "dataset",
                                                      model.Package.state == "active")
    return {p.extras["catalogue_code"]: p.name for p in query}


def test_first_harvest_creates_datasets_of_our_schema(department, catalogue):
    rows, path, _ = catalogue
    source = _source(department, {"format": "csv", "location": str(path)})
    summary = run_source(source["id"])
    assert (summary.created, summary.errors, summary.gather_errors) == (6, 0, []), summary.messages
    assert set(_active_codes()) == {r["code"] for r in rows}
    shown = helpers.call_action("package_show", id=dataset_name(rows[0]["code"]))
    assert shown["title"] == rows[0]["name"]
    assert shown["organization"]["name"] == DEPARTMENT["name"]
    assert shown["data_domain"] in gen.DOMAINS and shown["catalogue_code"] == rows[0]["code"]
    fields = shown["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == [n for n, _, _ in rows[0]["data_items"]]
    non_open = [r for r in rows if r["open_type"] == "非开放"]
    for row in non_open:
        assert helpers.call_action("package_show", id=dataset_name(row["code"]))["private"] is True


def test_reharvest_skips_unchanged_updates_changed_and_withdraws_removed(department, catalogue):
    rows, path, write = catalogue
    source = _source(department, {"format": "csv", "location": str(path)})
    run_source(source["id"])
    again = run_source(source["id"])
    assert (again.created, again.updated, again.unchanged, again.withdrawn) == (0, 0, 6, 0)

    rows[1]["name"] = "改名后的目录"
    removed = rows.pop(4)
    write(rows)
    third = run_source(source["id"])
    assert (third.created, third.updated, third.unchanged, third.withdrawn, third.errors) == (0, 1, 4, 1, 0)
    assert helpers.call_action("package_show", id=dataset_name(rows[1]["code"]))["title"] == "改名后的目录"
    assert model.Package.get(dataset_name(removed["code"])).state == "deleted"
    assert len(_active_codes()) == 5

    rows.append(removed)  # back in the catalogue: the same dataset comes back
    write(rows)
    fourth = run_source(source["id"])
    assert fourth.updated == 1 and fourth.withdrawn == 0
    assert model.Package.get(dataset_name(removed["code"])).state == "active"


def test_bad_entries_are_named_and_the_others_still_import(department, catalogue):
    rows, path, write = catalogue
    rows[1]["release_date"] = "2016年13月02日"
    rows[2]["name"] = ""
    rows[4]["code"] = rows[3]["code"]
    write(rows)
    source = _source(department, {"format": "csv", "location": str(path)})
    summary = run_source(source["id"])
    assert (summary.created, summary.errors) == (3, 3)
    text = "\n".join(summary.messages)
    assert "catalogue.csv, row 3, 字段 发布日期 (release_date) “2016年13月02日”" in text and "[bad_date]" in text
    assert "catalogue.csv, row 4, 字段 信息资源名称 (name)" in text and "[missing_field]" in text
    assert f"catalogue.csv, row 6, 字段 信息资源代码 (code) “{rows[3]['code']}”" in text
    assert "first at catalogue.csv, row 5 [duplicate_code]" in text
    assert rows[3]["code"] in _active_codes()


def test_the_configured_domains_file_decides_the_domains(department, catalogue, tmp_path, ckan_config,
                                                        monkeypatch):
    rows, path, _ = catalogue
    table = domain_table()
    dropped = domain_of(rows[0]["classification"], rows[0]["code"], domains=table)
    refused = [r for r in rows if domain_of(r["classification"], r["code"], domains=table) == dropped]
    domains = our_factories.domains_file(tmp_path, without=dropped)
    monkeypatch.setitem(ckan_config, "ckanext.shanghai.domains_file", str(domains))
    summary = run_source(_source(department, {"format": "csv", "location": str(path)})["id"])
    assert (summary.created, summary.errors) == (len(rows) - len(refused), len(refused))
    assert "\n".join(summary.messages).count("[unknown_domain]") == len(refused)
    assert set(_active_codes()) == {r["code"] for r in rows if r not in refused}


def test_an_unreadable_source_fails_its_job_and_keeps_the_datasets(department, catalogue):
    rows, path, _ = catalogue
    source = _source(department, {"format": "csv", "location": str(path)})
    run_source(source["id"])
    path.write_bytes(b"\xff\xfe\x00garbage\x80\x81\n\xff\xff\n")
    summary = run_source(source["id"])
    assert summary.withdrawn == 0 and summary.created == 0
    assert "catalogue unreadable, existing datasets left as they are" in summary.gather_errors[0]
    assert "UTF-8" in summary.gather_errors[0]
    assert len(_active_codes()) == 6
    status = helpers.call_action("harvest_source_show_status", id=source["id"])
    assert status["last_job"]["status"] == "Finished"


def test_api_and_xlsx_sources(department, folder, monkeypatch):
    rows = list(gen.entries(load_departments()[2], 5))
    monkeypatch.setenv(TOKEN_ENV, "k")
    with CatalogueServer({"d": gen.api_payload(rows)}, token="k") as server:
        api = _source(department, {"format": "api", "location": server.url("d"), "token_env": TOKEN_ENV},
                      "catalogue-api")
        assert run_source(api["id"]).created == 5
    other = factories.Organization()
    shutil.copy(harvesters.CATALOGUES / "sh-jtw.xlsx", folder)  # the seed file
    xlsx = _source(other, {"format": "xlsx", "location": "sh-jtw.xlsx"}, "catalogue-xlsx")
    summary = run_source(xlsx["id"])
    assert (summary.created, summary.errors) == (8, 0)
    assert len(_active_codes()) == 13
    # The same codes from a second source are refused, not taken over.
    clash = _source(factories.Organization(), {"format": "xlsx", "location": str(folder / "sh-jtw.xlsx")},
                    "catalogue-clash")
    clashed = run_source(clash["id"])
    assert clashed.errors == 8 and "[code_taken]" in clashed.messages[0]


def test_a_new_source_comes_back_with_its_harvest_status(department, caplog):
    created = _source(department, {"format": "csv", "location": "catalogue.csv"})
    assert created["status"]["job_count"] == 0  # ckanext-harvest found the source it had just made
    assert "Harvest source not found" not in caplog.text


def test_an_invalid_config_is_refused():
    org = factories.Organization()
    with pytest.raises(Exception, match="config.format"):
        _source(org, {"format": "pdf", "location": "x"})


def test_a_run_stopped_midway_then_rerun_has_every_entry_once(department, catalogue):
    rows, path, _ = catalogue
    source = _source(department, {"format": "csv", "location": str(path)})
    partial = run_source(source["id"], limit=3)
    assert partial.created == 3
    summary = run_source(source["id"])
    assert summary.created + summary.unchanged == 6 and summary.errors == 0
    codes = [p.extras["catalogue_code"] for p in model.Session.query(model.Package).filter(
        model.Package.type == "dataset")]
    assert sorted(codes) == sorted(r["code"] for r in rows)


def test_status_api_and_page_for_sysadmins(app, department, catalogue):
    rows, path, write = catalogue
    rows[1]["release_date"] = "2016-02-30"
    write(rows)
    source = _source(department, {"format": "csv", "location": str(path)})
    run_source(source["id"])
    sysadmin = factories.Sysadmin()
    status = helpers.call_action("shanghai_harvest_status", context={"user": sysadmin["name"], "ignore_auth": False})
    [entry] = status
    assert entry["name"] == "catalogue-test" and entry["organization"] == DEPARTMENT["name"]
    assert entry["last_job"]["status"] == "Finished"
    assert entry["counts"] == {"created": 5, "updated": 0, "unchanged": 0, "withdrawn": 0, "errors": 1}
    assert "row 3" in entry["errors"][0] and "[bad_date]" in entry["errors"][0]

    user = factories.User()
    with pytest.raises(Exception, match="sysadmins"):
        helpers.call_action("shanghai_harvest_status", context={"user": user["name"], "ignore_auth": False})

    page = app.get("/ckan-admin/harvest-status", headers={"Authorization": factories.APIToken(
        user=sysadmin["name"])["token"]})
    assert page.status_code == 200
    assert "catalogue-test" in page.get_data(as_text=True) and "[bad_date]" in page.get_data(as_text=True)
    refused = app.get("/ckan-admin/harvest-status", headers={"Authorization": factories.APIToken(
        user=user["name"])["token"]})
    assert refused.status_code == 403


def _worker_ini(folder: Path) -> Path:
    """The test run's ini with this module's plugins (their tables are the ones clean_db made),
    reading catalogues from ``folder``."""
    ini = folder / "worker.ini"
    ini.write_text("".join(f"ckan.plugins = {PLUGINS}\nckanext.shanghai.harvest.catalogue_folder = {folder}\n"
                           if line.startswith("ckan.plugins") else line
                           for line in Path(os.environ["CKAN_INI"]).read_text(encoding="utf-8").splitlines(True)),
                   encoding="utf-8")
    return ini


def test_harvest_all_prints_a_summary_per_source(department, catalogue, tmp_path):
    rows, path, write = catalogue
    rows[0]["update_cycle"] = "偶尔"
    write(rows)
    source = _source(department, {"format": "csv", "location": str(path)})
    ckan = Path(sys.executable).with_name("ckan")
    done = subprocess.run([str(ckan), "-c", str(_worker_ini(tmp_path)), "shanghai-harvest", "harvest-all"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("source"))
    assert lines[header].split() == ["source", "created", "updated", "unchanged", "withdrawn", "errors"]
    assert lines[header + 2].split() == [source["name"], "5", "0", "0", "0", "1"]
    assert lines[header + 3].split() == ["total", "5", "0", "0", "0", "1"]
    assert "row 2, 字段 更新周期 (update_cycle) “偶尔”" in done.stderr


def test_a_harvest_whose_worker_is_killed_then_rerun_has_every_entry_once(department, tmp_path):
    rows = list(gen.entries(DEPARTMENT, 120))
    path = tmp_path / "big.csv"
    gen.write_csv(path, rows, "utf-8")
    source = _source(department, {"format": "csv", "location": str(path)}, "catalogue-big")
    ini = _worker_ini(tmp_path)
    ckan = Path(sys.executable).with_name("ckan")
    worker = subprocess.Popen([str(ckan), "-c", str(ini), "shanghai-harvest", "harvest-all",
                               "--source", source["name"]],
                              stdout=subprocess.DEVNULL, stderr=(tmp_path / "err.txt").open("w"))
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            model.Session.remove()
            if len(_active_codes()) >= 20:
                break
            time.sleep(0.05)
        assert worker.poll() is None, (tmp_path / "err.txt").read_text()[-3000:]
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
    model.Session.remove()
    assert 20 <= len(_active_codes()) < 120
    summary = run_source(source["id"])
    assert summary.errors == 0 and summary.created + summary.updated + summary.unchanged == 120
    codes = [p.extras["catalogue_code"] for p in model.Session.query(model.Package).filter(
        model.Package.type == "dataset")]
    assert sorted(codes) == sorted(r["code"] for r in rows)
    assert run_source(source["id"]).unchanged == 120


def test_a_harvested_dataset_can_be_edited(department, catalogue):
    rows, path, _ = catalogue
    source = _source(department, {"format": "csv", "location": str(path)})
    run_source(source["id"])
    edited = helpers.call_action("package_patch", context={"user": factories.Sysadmin()["name"]},
                                 id=dataset_name(rows[0]["code"]), notes="edited")
    assert edited["notes"] == "edited"


def test_clearing_a_source_purges_its_datasets_and_history_and_a_new_harvest_starts_afresh(department, catalogue):
    rows, path, _ = catalogue
    source = _source(department, {"format": "csv", "location": str(path)})
    assert run_source(source["id"]).created == 6
    name = dataset_name(next(r["code"] for r in rows if r["open_type"] != "非开放"))
    assert helpers.call_action("package_search", q=f"name:{name}")["count"] == 1

    admin = factories.Sysadmin()["name"]
    helpers.call_action("harvest_source_clear", context={"user": admin}, id=source["name"])

    assert _active_codes() == {}
    assert model.Package.get(name) is None  # purged, not only deleted
    assert helpers.call_action("package_search", q=f"name:{name}")["count"] == 0
    assert model.Session.query(HarvestObject).filter_by(harvest_source_id=source["id"]).count() == 0
    assert model.Session.query(HarvestJob).filter_by(source_id=source["id"]).count() == 0
    assert helpers.call_action("harvest_source_show", id=source["id"])["name"] == source["name"]
    again = run_source(source["id"])
    assert (again.created, again.unchanged) == (6, 0)
    assert set(_active_codes()) == {r["code"] for r in rows}


def test_ckan_harvester_import_reapplies_the_catalogue_over_local_edits(department, catalogue):
    rows, path, _ = catalogue
    source = _source(department, {"format": "csv", "location": str(path)})
    assert run_source(source["id"]).created == 6
    name = dataset_name(rows[0]["code"])
    helpers.call_action("package_patch", context={"user": factories.Sysadmin()["name"]}, id=name, title="本地改动")

    # what `ckan harvester import --source-id …` does: import the current objects again, forced
    imported = helpers.call_action("harvest_objects_import", context={"user": factories.Sysadmin()["name"]},
                                   source_id=source["id"])
    assert imported == 6
    assert helpers.call_action("package_show", id=name)["title"] == rows[0]["name"]
    assert len(_active_codes()) == 6


def test_the_scheduler_marks_a_job_finished_once_its_objects_are_done(department, catalogue, tmp_path):
    _, path, _ = catalogue
    source = _source(department, {"format": "csv", "location": str(path)})
    # what the gather and fetch consumers do with a job started from the web UI
    job_id = helpers.call_action("harvest_job_create", source_id=source["id"], run=False)["id"]
    job = HarvestJob.get(job_id)
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester(SOURCE_TYPE)
    for object_id in queue.gather_stage(harvester, job):
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    assert helpers.call_action("harvest_job_show", id=job_id)["status"] == "Running"

    ckan = Path(sys.executable).with_name("ckan")
    done = subprocess.run([str(ckan), "-c", str(_worker_ini(tmp_path)), "shanghai-harvest", "harvest-scheduler",
                           "--once"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    model.Session.remove()
    shown = helpers.call_action("harvest_job_show", id=job_id)
    assert shown["status"] == "Finished" and shown["stats"]["added"] == 6
