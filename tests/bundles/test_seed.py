"""The seeded SODA contests (with a small metro file: the million rows are for `make run`)."""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import frictionless
import pytest
from ckan.tests import factories, helpers

from ckanext.shanghai.bundles import seed as contest_seed
from ckanext.shanghai.portal import seed as portal_seed
from ckanext.shanghai.portal.signals import seeding, setup_done

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def seeded(tmp_path, seed_folder):
    admin = factories.Sysadmin()["name"]
    wanted = {name for spec in contest_seed.BUNDLES for name in spec["datasets"]}
    built = portal_seed.read_seed(seed_folder)
    portal_seed.ensure_domain_groups(admin)
    portal_seed.ensure_departments(admin, built)
    portal_seed.load_datasets(admin, built, [e for e in built.datasets if e["package"]["name"] in wanted])
    made = contest_seed.load(admin, tmp_path / "files", rows=2000)
    return admin, made


def test_seed_makes_both_contests_with_published_bundles(seeded, tmp_path):
    admin, made = seeded
    assert made == {"contests": 2, "bundles": 6, "versions": 6}
    contests = helpers.call_action("shanghai_contest_list")
    assert [(c["edition"], c["theme"]) for c in contests] == [(2016, "城市安全"),
                                                               (2015, "智慧交通")]
    tiers = {(b["contest"], b["name"]): b["access_tier"]
             for b in helpers.call_action("shanghai_bundle_list")}
    assert set(tiers.values()) == {"public", "registered", "verified"}
    assert contest_seed.load(admin, tmp_path / "files", rows=2000) == {
        "contests": 0, "bundles": 0, "versions": 0}   # idempotent


def test_metro_file_is_marked_sample_and_has_the_rows(seeded, app):
    admin, _ = seeded
    token = {"Authorization": factories.APIToken(user=admin)["token"]}
    data = app.get("/contest/soda-2015/bundle/metro-card/resource/"
                   "metro-card-transactions-2015-04.csv", headers=token).data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["record_id", "card_hash", "txn_time", "line", "station", "txn_type",
                       "amount"]
    assert len(rows) == 2001
    dataset = helpers.call_action("package_show", id=contest_seed.METRO_DATASET)
    assert dataset["open_type"] == "conditional"
    assert "样本数据" in dataset["title"] and "样本数据" in dataset["resources"][0]["description"]


def test_metro_rows_are_deterministic():
    assert list(contest_seed.metro_rows(50)) == list(contest_seed.metro_rows(50))
    assert list(contest_seed.metro_rows(50))[:10] == list(contest_seed.metro_rows(10))


def test_every_seeded_bundle_validates_with_frictionless(seeded, app, tmp_path):
    admin, _ = seeded
    token = {"Authorization": factories.APIToken(user=admin)["token"]}
    for bundle in helpers.call_action("shanghai_bundle_list"):
        folder = tmp_path / bundle["contest"] / bundle["name"]
        zipfile.ZipFile(io.BytesIO(app.get(bundle["download_url"], headers=token).data)
                        ).extractall(folder)
        report = frictionless.validate(str(folder / "datapackage.json"))
        assert report.valid, (bundle["name"], report.flatten(["resourcePath", "type", "note"])[:5])


def test_portal_setup_signal_seeds_the_contests_only_with_seed_datasets(seed_folder, ckan_config):
    admin = factories.Sysadmin()["name"]
    wanted = {name for spec in contest_seed.BUNDLES for name in spec["datasets"]}
    files = Path(ckan_config["ckan.storage_path"]) / "seed_files"
    built = portal_seed.read_seed(seed_folder)
    portal_seed.ensure_domain_groups(admin)
    portal_seed.ensure_departments(admin, built)
    portal_seed.load_datasets(admin, built, [e for e in built.datasets if e["package"]["name"] in wanted])
    contest_seed.ensure_metro_dataset(admin, files, rows=50)  # not the million rows

    setup_done.send(admin, seeded=False)
    assert helpers.call_action("shanghai_contest_list") == []
    setup_done.send(admin, seeded=True)
    assert {c["name"] for c in helpers.call_action("shanghai_contest_list")} == {
        "soda-2015", "soda-2016"}
    assert len(helpers.call_action("shanghai_bundle_list")) == 6


def test_the_metro_dataset_is_made_before_the_seed_datasets_are_loaded(seed_folder, monkeypatch):
    monkeypatch.setattr(contest_seed, "METRO_ROWS", 50)
    admin = factories.Sysadmin()["name"]
    seeding.send(admin)  # no departments yet: nothing to publish it
    assert helpers.call_action("package_list") == []
    portal_seed.ensure_departments(admin, portal_seed.read_seed(seed_folder))
    seeding.send(admin)
    seeding.send(admin)  # made once
    assert helpers.call_action("package_list") == [contest_seed.METRO_DATASET]
    dataset = helpers.call_action("package_show", id=contest_seed.METRO_DATASET)
    assert str(dataset["record_count"]) == "50"
    assert dataset["organization"]["name"] == contest_seed.METRO_DEPARTMENT
