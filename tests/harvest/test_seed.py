"""The seed's harvest sources: one per catalogue of harvesters/catalogues/sources.yaml and
one per district portal, made when the portal's setup has loaded the seed datasets."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import yaml
from ckan import model
from ckan.tests import factories, helpers

import harvesters
from ckanext.shanghai.harvest.department import SOURCE_TYPE
from ckanext.shanghai.harvest.seed import DISTRICT_SOURCES, source_name
from ckanext.shanghai.portal import signals

PLUGINS = ("shanghai_search shanghai scheming_datasets activity harvest shanghai_department_harvester "
           "ckan_harvester shanghai_dcat_harvester")
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db")]

SEED = yaml.safe_load(harvesters.SEED_SOURCES.read_text(encoding="utf-8"))


@pytest.fixture
def organisations(monkeypatch):
    monkeypatch.setenv("SHANGHAI_CATALOGUE_API_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("SHANGHAI_DISTRICT_PORTAL_URL", "http://127.0.0.1:2")
    for name in [*SEED, *(org for org, *_ in DISTRICT_SOURCES.values())]:
        factories.Organization(name=name)


def _sources() -> dict[str, dict]:
    names = model.Session.scalars(sa.select(model.Package.name).where(model.Package.type == "harvest"))
    return {name: helpers.call_action("harvest_source_show", id=name) for name in names}


def test_setup_done_without_seed_datasets_makes_no_source(organisations):
    signals.setup_done.send("admin", seeded=False)
    assert _sources() == {}


def test_setup_done_with_seed_datasets_makes_every_seed_source_once(organisations, capsys):
    signals.setup_done.send("admin", seeded=True)
    assert f"harvest seed: {len(SEED) + len(DISTRICT_SOURCES)} sources created" in capsys.readouterr().out
    sources = _sources()
    assert set(sources) == {*map(source_name, SEED), *(f"district-{d}" for d in DISTRICT_SOURCES)}
    for department, seed in SEED.items():
        source = sources[source_name(department)]
        config = json.loads(source["config"])
        assert source["source_type"] == SOURCE_TYPE and config["format"] == seed["format"]
        if seed["format"] == "api":
            assert config["location"] == f"http://127.0.0.1:1/catalogue/{department}/entries"
        else:
            assert config["location"] == seed["file"]
    assert sources["district-xuhui"]["url"] == "http://127.0.0.1:2/xuhui/catalog.ttl"

    signals.setup_done.send("admin", seeded=True)  # again: nothing new
    assert "harvest seed: 0 sources created" in capsys.readouterr().out
    assert _sources().keys() == sources.keys()
