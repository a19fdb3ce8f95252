"""CKAN views that raised on input they did not expect (each a 500, found by the leak
walker) answer with a 4xx (``portal/inputs.py``), and no one may unfollow a dataset
they may not see (``portal/logic/auth.py``)."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.factories import dataset

# The walker's attacker has read a form first; here CSRF would answer before the views.
pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("WTF_CSRF_ENABLED", False)]


def _token(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_a_registry_entry_that_is_no_action_is_a_400(app):
    # ckanext-harvest registers its exception class InactiveSource among its actions.
    response = app.post("/api/3/action/InactiveSource", json={}, status=None)
    assert response.status_code == 400
    assert "InactiveSource" in response.get_json()["error"]["message"]


def test_not_found_and_not_authorized_let_through_by_a_view_are_404_and_403(app):
    organization = factories.Organization()
    assert app.post(f"/organization/follow/{organization['name']}",
                    status=None).status_code == 403
    assert app.get("/dataset/changes_multiple", status=None).status_code == 404
    group = factories.Group()
    sysadmin = _token(factories.Sysadmin())
    assert app.get(f"/organization/member_new/{group['name']}", headers=sysadmin,
                   status=None).status_code == 404


def test_views_failing_on_incomplete_forms_or_the_wrong_object_answer_4xx(app):
    sysadmin = factories.Sysadmin()
    headers = _token(sysadmin)
    organization = factories.Organization(user=sysadmin)
    pkg = dataset(owner_org=organization["id"])
    response = app.post(f"/dataset/{pkg['id']}/resource/new", data={}, headers=headers,
                        status=None)
    assert response.status_code == 400
    assert app.post("/user/login", data={}, status=None).status_code == 400
    group = factories.Group(user=sysadmin)
    assert app.get(f"/group/bulk_process/{group['name']}", headers=headers,
                   status=None).status_code == 404


def test_no_one_unfollows_a_dataset_they_may_not_see(app):
    organization = factories.Organization()
    private = dataset(owner_org=organization["id"], private=True)
    outsider = _token(factories.User())
    response = app.post("/api/3/action/unfollow_dataset", json={"id": private["id"]},
                        headers=outsider, status=None)
    assert response.status_code == 403
    public = dataset(owner_org=organization["id"])
    assert app.post("/api/3/action/unfollow_dataset", json={"id": public["id"]},
                    headers=outsider, status=None).status_code == 200


def test_tags_only_hidden_datasets_carry_are_not_listed(app):
    organization = factories.Organization()
    member = factories.User()
    helpers.call_action("organization_member_create", id=organization["id"],
                        username=member["name"], role="member")
    dataset(owner_org=organization["id"], private=True, tags=[{"name": "zqxsecrettag"}])
    dataset(owner_org=organization["id"], tags=[{"name": "zqxopentag"}])
    outsider = _token(factories.User())
    for headers in ({}, outsider):
        body = app.get("/api/3/action/tag_list", headers=headers).get_json()["result"]
        assert "zqxopentag" in body and "zqxsecrettag" not in body
        search = app.get("/api/3/action/tag_search?query=zqx", headers=headers).get_json()
        assert [t["name"] for t in search["result"]["results"]] == ["zqxopentag"]
        assert search["result"]["count"] == 1
        completion = app.get("/api/3/action/tag_autocomplete?q=zqx&limit=5",
                             headers=headers).get_json()["result"]
        assert completion == ["zqxopentag"]
    # The department's own members still see their tags.
    body = app.get("/api/3/action/tag_list", headers=_token(member)).get_json()["result"]
    assert {"zqxopentag", "zqxsecrettag"} <= set(body)


def test_no_datastore_table_is_listed_without_a_resource(app):
    # CKAN's default lets anyone search _table_metadata: every table by resource id.
    response = app.get("/api/3/action/datastore_search?resource_id=_table_metadata",
                       status=None)
    assert response.status_code == 404


def test_actions_reading_missing_parameters_or_users_unchecked_answer_4xx(app):
    # ckanext-harvest registers its mail helpers among its actions, too.
    response = app.post("/api/3/action/send_mail", json={}, status=None)
    assert response.status_code == 400
    # Its sysadmin-only checks looked up an anonymous caller unchecked.
    for action in ("harvest_jobs_run", "harvest_job_abort"):
        assert app.post(f"/api/3/action/{action}", json={"id": "x"},
                        status=None).status_code == 403, action
    user = _token(factories.User())
    assert app.post("/api/3/action/harvest_job_list", json={}, headers=user,
                    status=None).status_code == 403
    assert app.post("/api/3/action/harvest_job_list", json={},
                    headers=_token(factories.Sysadmin())).status_code == 200
    for action, missing in (("group_autocomplete", "q"), ("user_invite", "group_id"),
                            ("task_status_update_many", "data"),
                            ("harvest_job_abort", "id|source_id")):
        response = app.post(f"/api/3/action/{action}", json={}, headers=user, status=None)
        assert response.status_code == 409, action
        assert response.get_json()["error"][missing], action


def test_all_harvest_sources_reindex_without_solr(app):
    # ckanext-harvest's version committed to Solr's index class directly (a 500).
    response = app.post("/api/3/action/harvest_sources_reindex", json={},
                        headers=_token(factories.Sysadmin()), status=None)
    assert response.status_code == 200
    assert response.get_json()["result"] is True
