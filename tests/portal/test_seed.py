"""Loading the seed catalogue (a folder built by ``python -m catalog_seed build``)
through CKAN's actions."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from ckan import model
from ckan.tests import factories, helpers
from click.testing import CliRunner

from ckanext.shanghai.portal import seed
from ckanext.shanghai.portal.cli import shanghai
from ckanext.shanghai.portal.signals import setup_done

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def test_seed_is_loaded_once_with_downloadable_files(app, seed_folder):
    admin = factories.Sysadmin()["name"]
    built = seed.read_seed(seed_folder)
    assert seed.ensure_domain_groups(admin) == 12
    assert seed.ensure_departments(admin, built) >= 46
    # the first open dataset (files of conditional ones are not for everyone), and two more
    first = next(e for e in built.datasets if e["package"]["open_type"] == "unconditional")
    sample = [first] + [e for e in built.datasets if e is not first][:2]

    assert seed.load_datasets(admin, built, sample) == 3
    assert seed.load_datasets(admin, built, sample) == 0       # idempotent
    assert seed.ensure_domain_groups(admin) == 0
    assert seed.ensure_departments(admin, built) == 0

    shown = helpers.call_action("package_show", id=first["package"]["name"])
    assert shown["catalogue_code"] == first["package"]["catalogue_code"]
    assert [g["name"] for g in shown["groups"]] == [first["package"]["data_domain"]]
    resource = shown["resources"][0]
    assert resource["url_type"] == "upload"
    body = app.get(resource["url"].replace("http://127.0.0.1:5000", "")).data
    assert body == (seed_folder / "files" / first["resources"][0]["file"]).read_bytes()
    assert shown["resources"][0]["schema"] == first["resources"][0]["resource"]["schema"]


def test_departments_keep_their_english_names_code_and_kind(seed_folder):
    admin = factories.Sysadmin()["name"]
    built = seed.read_seed(seed_folder)
    seed.ensure_departments(admin, built)
    wanted = built.organizations[0]
    shown = helpers.call_action("organization_show", id=wanted["name"])
    assert shown["title"] == wanted["title"]
    extras = {e["key"]: e["value"] for e in shown["extras"]}
    assert set(extras) == {"title_en", "description_en", "code", "kind"}
    assert extras == {e["key"]: e["value"] for e in wanted["extras"]}


@pytest.mark.parametrize(("manifest", "message"), [
    (None, "does not exist"),
    ("{not json", "cannot be read"),
    (json.dumps({"format": 99}), "not a seed manifest of format 1"),
    (json.dumps([]), "not a seed manifest"),
])
def test_a_bad_seed_folder_is_refused_with_how_to_build_it(tmp_path, manifest, message):
    if manifest is not None:
        (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as caught:
        seed.read_seed(tmp_path)
    assert f"python -m catalog_seed build {tmp_path}" in str(caught.value)


def test_the_portal_imports_nothing_of_the_seed_generator():
    # the seed reaches the portal as data (a built folder), never as code
    modules = ("plugin", "cli", "seed", "signals")
    code = ("import sys\n" + "".join(f"import ckanext.shanghai.portal.{m}\n" for m in modules)
            + "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'catalog_seed'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_setup_without_datasets_makes_the_departments_and_signals_it(seed_folder, monkeypatch):
    received = []

    def subscriber(sender, **kwargs):
        received.append((sender, kwargs))

    setup_done.connect(subscriber)
    try:
        monkeypatch.setenv("SHANGHAI_ADMIN_PASSWORD", "a-long-enough-password-1")
        result = CliRunner().invoke(shanghai, ["setup", "--admin", "operator", "--seed", str(seed_folder),
                                               "--no-datasets"])
    finally:
        setup_done.disconnect(subscriber)
    assert result.exit_code == 0, result.output
    departments = len(seed.read_seed(seed_folder).organizations)
    assert f"12 domain groups, {departments} departments, 0 datasets created" in result.output
    assert received == [("operator", {"seeded": False})]
    assert model.Session.query(model.Package).count() == 0


def test_setup_refuses_a_folder_that_was_not_built(tmp_path):
    result = CliRunner().invoke(shanghai, ["setup", "--seed", str(tmp_path), "--no-datasets"])
    assert result.exit_code == 2
    assert "manifest.json does not exist" in result.output
    assert f"python -m catalog_seed build {tmp_path}" in result.output
