"""``package_search`` serves each dataset exactly as ``package_show`` returns it, as CKAN's
Solr index does: clients (and CKAN's own ``package_show`` cache) rely on the two being
the same, validation's fields included, and current once a validation job ends."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

from ckanext.shanghai.portal import seed
from ckanext.shanghai.validation import runner

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _show(user: str | None, id: str) -> dict[str, Any]:
    # use_cache=False: built afresh from the database, not from the index
    context = {"user": user or "", "ignore_auth": False, "use_cache": False}
    return helpers.call_action("package_show", context=context, id=id)


def _search(user: str | None, **params: Any) -> dict[str, Any]:
    return helpers.call_action("package_search", context={"user": user or "", "ignore_auth": False},
                               rows=1000, include_private=True, **params)


def _tabular_resource(built: seed.Seed) -> tuple[str, str]:
    entry = next(e for e in built.datasets
                 if e["package"]["open_type"] == "unconditional" and e["resources"]
                 and e["resources"][0]["resource"].get("format", "").lower() == "csv")
    return entry["package"]["name"], entry["resources"][0]["resource"]["name"]


def test_search_returns_package_show_for_every_seed_dataset_and_current_validation(seed_folder):
    admin = factories.Sysadmin()["name"]
    built = seed.read_seed(seed_folder)
    seed.ensure_domain_groups(admin)
    seed.ensure_departments(admin, built)
    assert seed.load_datasets(admin, built) == len(built.datasets)

    # a validation job ends (in process, as the worker runs it): it re-indexes its dataset
    name, resource_name = _tabular_resource(built)
    resource = next(r for r in _show(admin, name)["resources"] if r["name"] == resource_name)
    assert resource["validation_status"] == "pending"
    status = runner.validate_resource(resource["id"])
    assert status in ("success", "failure")

    found = _search(admin)
    assert found["count"] == len(built.datasets)
    for result in found["results"]:
        assert result == _show(admin, result["id"]), result["name"]
        assert {"quality", "quality_level"} <= set(result)
        assert all("validation_status" in r for r in result["resources"] if r["format"] == "CSV")
    validated = next(r for r in found["results"] if r["name"] == name)
    shown = next(r for r in validated["resources"] if r["id"] == resource["id"])
    assert shown["validation_status"] == status
    # the quality follows: searching by it finds the dataset
    level = validated["quality_level"]
    assert name in [r["name"] for r in _search(admin, fq=f"quality_level:{level}")["results"]]


def test_the_stored_dict_reaches_nobody_package_show_would_refuse(seed_folder):
    admin = factories.Sysadmin()["name"]
    built = seed.read_seed(seed_folder)
    seed.ensure_domain_groups(admin)
    seed.ensure_departments(admin, built)
    closed = [e for e in built.datasets if e["package"]["open_type"] == "non_open"][:2]
    opened = [e for e in built.datasets if e["package"]["open_type"] != "non_open"][:2]
    assert closed and opened
    seed.load_datasets(admin, built, closed + opened)
    stranger = factories.User()["name"]

    for user in (None, stranger):
        found = _search(user)
        names = {r["name"] for r in found["results"]}
        assert names == {e["package"]["name"] for e in opened}
        for result in found["results"]:
            assert result == _show(user, result["id"])
        for entry in closed:
            name = entry["package"]["name"]
            # not by name, id, title words, nor through fl, facets or a direct id filter
            for params in ({"q": name}, {"fq": f"name:{name}"}, {"q": entry["package"]["title"]},
                           {"fq": f"name:{name}", "fl": "id,name,data_dict,validated_data_dict"},
                           {"fq": f"name:{name}", "facet.field": '["name"]'}):
                result = _search(user, **params)
                assert result["count"] == 0, params
                assert name not in str(result), params
            with pytest.raises(helpers.logic.NotAuthorized):
                _show(user, name)
