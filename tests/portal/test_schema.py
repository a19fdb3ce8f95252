"""The dataset schema: fields, vocabularies, errors, domain groups."""
from __future__ import annotations

import pytest
from ckan.logic import ValidationError
from ckan.tests import factories, helpers

from tests.factories import dataset, dataset_dict, domain_groups

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _admin():
    return {"user": factories.Sysadmin()["name"]}


def test_fields_round_trip():
    pkg = dataset(title_en="Bus lines", record_count="950", temporal_start="2015-01-01",
                  temporal_end="2016-12-31", app_scenarios=["出行服务", "交通规划"],
                  open_conditions="", contact_email="data@example.gov.cn",
                  resources=[{"url": "http://x/a.csv", "format": "CSV",
                              "schema": {"fields": [{"name": "line", "type": "string"}]}}])
    shown = helpers.call_action("package_show", id=pkg["id"])
    assert shown["title_en"] == "Bus lines"
    assert shown["record_count"] == "950"
    assert shown["app_scenarios"] == ["出行服务", "交通规划"]
    assert shown["temporal_end"] == "2016-12-31"
    assert shown["resources"][0]["schema"] == {"fields": [{"name": "line", "type": "string"}]}


@pytest.mark.parametrize("field, value, expected", [
    ("data_domain", "traffic", "transport (道路交通)"),
    ("open_type", "open", "unconditional (无条件开放)"),
    ("update_frequency", "sometimes", "irregular (不定期)"),
    ("share_type", "all", "none (不予共享)"),
])
def test_bad_choice_names_field_and_allowed_values(field, value, expected):
    with pytest.raises(ValidationError) as e:
        dataset(**{field: value})
    message = e.value.error_dict[field][0]
    assert value in message and expected in message


@pytest.mark.parametrize("field, value", [
    ("release_date", "2016-13-45"),
    ("record_count", "-3"),
    ("record_count", "many"),
    ("contact_email", "not-an-email"),
    ("catalogue_code", ""),
])
def test_bad_values_are_refused_on_their_field(field, value):
    with pytest.raises(ValidationError) as e:
        dataset(**{field: value})
    assert field in e.value.error_dict


def test_end_before_start_is_refused():
    with pytest.raises(ValidationError) as e:
        dataset(temporal_start="2016-01-01", temporal_end="2015-01-01")
    assert "temporal_end" in e.value.error_dict


def test_bad_table_schema_is_refused():
    with pytest.raises(ValidationError) as e:
        dataset(resources=[{"url": "http://x/a.csv",
                            "schema": {"fields": [{"name": "a", "type": "strin"}]}}])
    assert "strin" in str(e.value.error_dict)


def test_catalogue_code_is_unique():
    first = dataset(catalogue_code="A0107-SHJTW-00001")
    with pytest.raises(ValidationError) as e:
        dataset(catalogue_code="A0107-SHJTW-00001")
    assert first["name"] in e.value.error_dict["catalogue_code"][0]
    # updating the owner of the code is fine
    helpers.call_action("package_patch", context=_admin(), id=first["id"], title="新名称")


def test_errors_in_english_for_english_users(app):
    sysadmin = factories.Sysadmin()
    org = factories.Organization()
    response = app.post("/en/api/3/action/package_create",
                        json=dataset_dict(owner_org=org["id"], data_domain="traffic"),
                        headers={"Authorization": factories.APIToken(user=sysadmin["name"])["token"]},
                        status=409)
    assert "Allowed values" in response.json["error"]["data_domain"][0]


def test_non_open_cannot_be_made_public():
    pkg = dataset(open_type="non_open", private=False)
    assert pkg["private"] is True
    updated = helpers.call_action("package_patch", context=_admin(), id=pkg["id"], private=False)
    assert updated["private"] is True


def test_domain_group_follows_data_domain():
    domain_groups()
    pkg = dataset(data_domain="transport")
    assert [g["name"] for g in pkg["groups"]] == ["transport"]
    moved = helpers.call_action("package_patch", context=_admin(), id=pkg["id"],
                                data_domain="health")
    assert [g["name"] for g in moved["groups"]] == ["health"]
    result = helpers.call_action("package_search", fq="groups:health")
    assert [d["name"] for d in result["results"]] == [pkg["name"]]
    assert helpers.call_action("group_show", id="transport")["package_count"] == 0
