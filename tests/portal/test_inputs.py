"""Bad input is a 4xx with a message, never a 500: NUL characters, wrong JSON types,
bad booleans, oversized bodies and DataTables requests that are not DataTables'
(``portal/inputs.py``). Each case below was a 500 (or an unbounded read) before."""
from __future__ import annotations

import io
import json
from typing import Any

import ckan.lib.jobs as jobs
import pytest
from ckan.tests import factories, helpers

from ckanext.shanghai.validation import runner
from tests.bundles.conftest import contest  # noqa: F401 - fixture
from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _token(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _error(response: Any) -> dict[str, Any]:
    body = response.get_json()
    assert body["success"] is False
    return body["error"]


@pytest.fixture
def loaded(contest):  # noqa: F811 - the fixture imported above
    """The contest's data, validated and loaded into the DataStore."""
    jobs.Worker([runner.QUEUE]).work(burst=True)
    assert helpers.call_action("datastore_search",
                               resource_id=contest["resources"]["bus"]["id"])["total"] == 2
    return contest


NUL_GETS = [
    "/api/3/action/shanghai_contest_show?id=%00",
    "/api/3/action/shanghai_bundle_show?contest=soda-2015&id=%00",
    "/api/3/action/shanghai_resource_validation_show?id=%00",
    "/api/3/action/shanghai_dataset_quality_show?id=%00",
    "/api/3/action/package_show?id=%00",
    "/api/3/action/resource_show?id=%00",
    "/api/3/action/organization_show?id=%00",
    "/api/3/action/group_show?id=%00",
    "/api/3/action/datastore_search?resource_id=%00",
    "/api/3/action/datastore_info?id=%00",
    '/api/3/action/package_search?facet.field=["\\u0000"]',
]


def test_a_nul_character_is_a_400_on_every_path(app, contest):  # noqa: F811
    for url in NUL_GETS:
        response = app.get(url, status=None)
        assert response.status_code == 400, url
        assert "NUL" in _error(response)["message"], url
    for action, body in (("package_show", {"id": "\u0000"}),
                         ("package_search", {"facet.field": ["\u0000"]}),
                         ("shanghai_contest_show", {"id": "soda\u00002015"}),
                         ("member_list", {"id": "\u0000"})):
        response = app.post(f"/api/3/action/{action}", json=body, status=None)
        assert response.status_code == 400, action
    # Pages: the bundle download (a 500 before), a contest and a dataset.
    for url in ("/contest/soda-2015/bundle/%00/download", "/contest/%00", "/dataset/%00"):
        response = app.get(url, status=None)
        assert response.status_code == 400, url
        assert "NUL" in response.get_data(as_text=True)
    # A form post too (the JSON-in-a-form-key shape CKAN also accepts).
    response = app.post("/api/3/action/package_show", data={'{"id": "\\u0000"}': "1"},
                        status=None)
    assert response.status_code == 400


def test_a_flag_that_is_not_true_or_false_is_a_409(app):
    org = factories.Organization()
    user = factories.User()
    for action, extra in (("package_search", {}), ("organization_list", {}),
                          ("group_list", {}), ("user_list", {}),
                          ("organization_show", {"id": org["name"]}),
                          ("user_show", {"id": user["name"]})):
        for flag in ("include_private", "include_drafts", "include_deleted",
                     "all_fields", "include_datasets", "use_default_schema"):
            for value in ("abc", "", "null", "[]", "{}"):
                response = app.get(f"/api/3/action/{action}", params={flag: value, **extra},
                                   status=None)
                assert response.status_code == 409, (action, flag, value)
                assert _error(response)[flag]
    for value in ([], {}, [True]):
        response = app.post("/api/3/action/package_search", json={"include_private": value},
                            status=None)
        assert response.status_code == 409
        assert "include_private" in _error(response)


def test_flags_in_any_spelling_still_work(app):
    for value in ("true", "False", "1", "no"):
        assert app.get("/api/3/action/package_search",
                       params={"include_private": value}).status_code == 200
    assert app.post("/api/3/action/package_search",
                    json={"include_private": True, "include_drafts": None}).status_code == 200


def test_numbers_of_the_wrong_type_are_a_409(app):
    for params in ({"facet.mincount": ""}, {"rows": " "}, {"start": ""}):
        response = app.get("/api/3/action/package_search", params=params, status=None)
        assert response.status_code == 409, params
        assert _error(response)[next(iter(params))]
    for action, body in (("package_search", {"rows": [1]}),
                         ("datastore_search", {"limit": [True, -15]})):
        response = app.post(f"/api/3/action/{action}", json=body, status=None)
        assert response.status_code == 409, action
    assert app.post("/api/3/action/package_search", json={"rows": "2"}).status_code == 200


def test_ids_of_the_wrong_type_are_a_409(app, contest):  # noqa: F811
    for action, body in (("package_show", {"id": 5}), ("package_show", {"id": ["x"]}),
                         ("resource_show", {"id": {"a": 1}}), ("group_show", {"id": 5}),
                         ("member_list", {"id": ["x"]}),
                         ("shanghai_contest_show", {"id": ["soda-2015"]}),
                         ("datastore_search", {"resource_id": [1]})):
        response = app.post(f"/api/3/action/{action}", json=body, status=None)
        assert response.status_code == 409, action
        assert next(iter(body)) in _error(response)


def test_datastore_filters_that_are_not_an_object_are_a_409(app, loaded):
    resource_id = loaded["resources"]["bus"]["id"]
    for filters in ("[]", "null", "5", '"a"'):
        response = app.get("/api/3/action/datastore_search",
                           params={"resource_id": resource_id, "filters": filters},
                           status=None)
        assert response.status_code == 409, filters
        assert "filters" in _error(response)
    for filters in ([], 5, "[]"):
        response = app.post("/api/3/action/datastore_search",
                            json={"resource_id": resource_id, "filters": filters},
                            status=None)
        assert response.status_code == 409, filters
    ok = app.get("/api/3/action/datastore_search",
                 params={"resource_id": resource_id, "filters": '{"line": "11路"}'})
    assert ok.get_json()["result"]["total"] == 1


def test_an_action_reading_a_missing_parameter_before_its_checks_is_a_409(app):
    for headers in ({}, _token(factories.User())):
        response = app.post("/api/3/action/datastore_run_triggers", json={},
                            headers=headers, status=None)
        assert response.status_code == 409
        assert "resource_id" in _error(response)


def test_datatables_ajax_of_a_non_view_is_a_404_and_a_bad_form_a_400(app, loaded):
    sysadmin = loaded["organiser"]
    view = helpers.call_action("resource_view_create", context={"user": sysadmin["name"]},
                               resource_id=loaded["resources"]["bus"]["id"],
                               view_type="datatables_view", title="表格")
    form = {"draw": "1", "search[value]": "", "start": "0", "length": "10"}
    # (An API token stands in for the CSRF token the page's script sends.)
    headers = _token(sysadmin)
    response = app.post(f"/datatables/ajax/{view['id']}", data=form, headers=headers)
    assert json.loads(response.get_data())["recordsTotal"] == 2
    response = app.post("/datatables/ajax/not-a-view", data=form, headers=headers, status=None)
    assert response.status_code == 404
    assert response.get_json()["error"]
    for bad in ({**form, "draw": "abc"}, {**form, "order[0][column]": "99",
                                          "order[0][dir]": "asc"}):
        response = app.post(f"/datatables/ajax/{view['id']}", data=bad, headers=headers,
                            status=None)
        assert response.status_code == 400
        assert response.get_json()["error"]


def test_json_nested_too_deeply_is_a_400(app):
    response = app.post("/api/3/action/package_search", data="[" * 50000 + "]" * 50000,
                        content_type="application/json", status=None)
    assert response.status_code == 400
    assert _error(response)["message"]


@pytest.mark.ckan_config("ckanext.shanghai.max_body_kb", "4")
def test_a_body_over_the_limit_is_a_413(app):
    big = {"q": "上海" * 2000}  # 12 KB of UTF-8
    response = app.post("/api/3/action/package_search", json=big, status=None)
    assert response.status_code == 413
    assert "4 KB" in _error(response)["message"]
    response = app.post("/dataset/", data={"q": "x" * 8000}, status=None)
    assert response.status_code == 413
    assert app.post("/api/3/action/package_search", json={"q": "上海"}).status_code == 200
    # Uploads (multipart) keep ckan.max_resource_size as their limit.
    sysadmin = factories.Sysadmin()
    package = dataset(sysadmin)
    response = app.post("/api/3/action/resource_create", headers=_token(sysadmin),
                        data={"package_id": package["id"], "name": "upload",
                              "upload": (io.BytesIO(b"a,b\n" * 5000), "up.csv")},
                        content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.get_json()["result"]["size"] == 20000
