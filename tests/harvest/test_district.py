"""District portals running CKAN, harvested with ckanext-harvest's CKAN harvester
from the local stand-in (harvesters/district_portal.py), on a real database."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.shanghai.harvest.operations import run_source
from ckanext.shanghai.harvest.seed import DISTRICT_SOURCES, ensure_district_sources
from harvesters.district_portal import DistrictPortal
from tests import factories as our_factories

PLUGINS = "shanghai_search shanghai scheming_datasets activity harvest shanghai_department_harvester ckan_harvester"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db")]

ORG = DISTRICT_SOURCES["pudong"][0]


@pytest.fixture
def portal():
    with DistrictPortal() as served:
        yield served


@pytest.fixture
def source(portal):
    our_factories.domain_groups()
    factories.Organization(name=ORG, title="上海市浦东新区人民政府")
    assert ensure_district_sources(portal.base_url) == 1
    return helpers.call_action("harvest_source_show", id="district-pudong")


def _harvested() -> dict[str, model.Package]:
    query = model.Session.query(model.Package).filter(model.Package.type == "dataset",
                                                      model.Package.state == "active")
    return {p.name: p for p in query}


def test_the_portal_answers_as_ckan_does(portal):
    remote = portal.packages("pudong")
    with urllib.request.urlopen(f"{portal.url('pudong')}/api/3/action/package_search?rows=5&start=10&sort=id+asc") as r:
        page = json.load(r)["result"]
    assert page["count"] == len(remote) and [p["id"] for p in page["results"]] == sorted(p["id"] for p in remote)[10:15]
    since = "metadata_modified:[2016-11-10T00:00:00Z TO *]"
    with urllib.request.urlopen(f"{portal.url('pudong')}/api/action/package_search?"
                                + urllib.parse.urlencode({"fq": since, "rows": 100})) as r:
        assert {p["metadata_modified"][:10] for p in json.load(r)["result"]["results"]} == {
            "2016-11-10", "2016-11-11", "2016-11-12"}
    with urllib.request.urlopen(remote[0]["resources"][0]["url"]) as r:
        assert r.read().decode("utf-8").startswith("停车场名称")


def test_a_district_portal_is_harvested_into_our_schema_and_again_without_duplicates(portal, source):
    remote = portal.packages("pudong")
    summary = run_source(source["id"])
    assert (summary.created, summary.errors, summary.gather_errors) == (len(remote), 0, []), summary.messages
    assert set(_harvested()) == {p["name"] for p in remote}
    first = remote[0]
    shown = helpers.call_action("package_show", id=first["name"])
    assert shown["organization"]["name"] == ORG  # the source's organisation, not the remote one
    assert (shown["data_domain"], shown["catalogue_code"], shown["update_frequency"]) == (
        first["data_domain"], first["catalogue_code"], first["update_frequency"])
    assert [g["name"] for g in shown["groups"]] == [first["data_domain"]]  # the domain's group
    assert shown["resources"][0]["url"] == first["resources"][0]["url"]
    conditional = next(p for p in remote if p["open_type"] == "conditional")
    assert helpers.call_action("package_show", id=conditional["name"])["open_conditions"]

    # A re-harvest asks only for what changed since the last run (nothing): nothing twice.
    again = run_source(source["id"])
    assert (again.created, again.updated, again.errors) == (0, 0, 0)
    assert len(_harvested()) == len(remote)


def test_a_changed_remote_dataset_is_updated_and_a_bad_one_is_named(portal, source):
    run_source(source["id"])
    remote = portal.packages("pudong")
    remote[1]["title"] = "浦东新区公交站点（更新）"
    remote[1]["metadata_modified"] = "2099-01-01T00:00:00"
    remote[2]["data_domain"] = "weather"
    remote[2]["metadata_modified"] = "2099-01-01T00:00:00"
    portal.set_packages("pudong", remote)
    summary = run_source(source["id"])
    assert (summary.created, summary.updated, summary.errors) == (0, 1, 1), summary.messages
    assert helpers.call_action("package_show", id=remote[1]["name"])["title"] == "浦东新区公交站点（更新）"
    assert remote[2]["id"] in summary.messages[0] and "data_domain" in summary.messages[0]
    assert helpers.call_action("package_show", id=remote[2]["name"])["data_domain"] != "weather"  # kept as it was
