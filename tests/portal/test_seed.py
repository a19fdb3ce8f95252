"""Loading the seed catalogue through CKAN's actions."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from catalog_seed.generate import iter_seed_datasets
from ckanext.shanghai.portal import seed

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def test_seed_is_loaded_once_with_downloadable_files(app, tmp_path):
    admin = factories.Sysadmin()["name"]
    assert seed.ensure_domain_groups(admin) == 12
    assert seed.ensure_departments(admin) >= 46
    seeds = list(iter_seed_datasets())
    # the first open dataset (files of conditional ones are not for everyone), and two more
    first = next(s for s in seeds if s.dataset["open_type"] == "unconditional")
    sample = [first] + [s for s in seeds if s is not first][:2]

    assert seed.load_datasets(admin, tmp_path, sample) == 3
    assert seed.load_datasets(admin, tmp_path, sample) == 0       # idempotent
    assert seed.ensure_domain_groups(admin) == 0
    assert seed.ensure_departments(admin) == 0

    shown = helpers.call_action("package_show", id=first.dataset["name"])
    assert shown["catalogue_code"] == first.dataset["catalogue_code"]
    assert [g["name"] for g in shown["groups"]] == [first.dataset["data_domain"]]
    resource = shown["resources"][0]
    assert resource["url_type"] == "upload"
    body = app.get(resource["url"].replace("http://127.0.0.1:5000", "")).data
    assert body == first.files[0].write(tmp_path).read_bytes()
    assert shown["resources"][0]["schema"] == first.files[0].resource["schema"]
