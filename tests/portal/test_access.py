"""The portal's one access rule for data (``portal/access.py``) on every path that reads a
resource's rows, and listings that must not reveal what the caller may not see.

Each kind of caller is tried: anonymous, a plain logged-in user, a member of another
organisation, a member of the publishing department and a sysadmin.
"""
from __future__ import annotations

import json
import re
from typing import Any

import ckan.lib.jobs as jobs
import ckan.plugins as p
import pytest
from ckan.tests import factories, helpers

from ckanext.shanghai.portal import access
from ckanext.shanghai.validation import runner
from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

RECORDS = [{"line": "1号线", "taps": 980000}, {"line": "2号线", "taps": 1020000}]
ROW = "1020000"  # a value of the rows, never in the metadata


@pytest.fixture
def people() -> dict[str, dict[str, Any] | None]:
    """Callers by kind, each with an API token (None: anonymous)."""
    def with_token(user: dict[str, Any]) -> dict[str, Any]:
        return dict(user, token=factories.APIToken(user=user["name"])["token"])

    member, outsider = with_token(factories.User()), with_token(factories.User())
    department = factories.Organization(name="department", users=[
        {"name": member["name"], "capacity": "member"}])
    factories.Organization(name="other", users=[{"name": outsider["name"],
                                                 "capacity": "editor"}])
    return {"anonymous": None, "plain": with_token(factories.User()), "outsider": outsider,
            "member": member, "sysadmin": with_token(factories.Sysadmin()),
            "department": department}


def _publish(people: dict[str, Any], name: str, open_type: str) -> dict[str, Any]:
    """A dataset of the department with one resource in the DataStore and a DataTables
    view; returns the resource with its ``view_id``."""
    admin = {"user": people["sysadmin"]["name"]}
    pkg = dataset(people["sysadmin"], owner_org=people["department"]["id"], name=name,
                  title=f"标题-{name}", open_type=open_type,
                  open_conditions="需签署数据使用协议" if open_type == "conditional" else "",
                  resources=[{"url": f"http://example.gov.cn/{name}.csv", "format": "CSV"}])
    resource = pkg["resources"][0]
    helpers.call_action("datastore_create", context=dict(admin), resource_id=resource["id"],
                        force=True, fields=[{"id": "line", "type": "text"},
                                            {"id": "taps", "type": "int"}], records=RECORDS)
    view = helpers.call_action("resource_view_create", context=dict(admin),
                               resource_id=resource["id"], view_type="datatables_view",
                               title="预览")
    return dict(resource, view_id=view["id"], dataset=name)


@pytest.fixture
def data(people) -> dict[str, dict[str, Any]]:
    return {open_type: _publish(people, f"data-{open_type.replace('_', '-')}", open_type)
            for open_type in ("unconditional", "conditional", "non_open")}


def _headers(user: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": user["token"]} if user else {}


def _api(app, action: str, user: dict[str, Any] | None, **data: Any):
    return app.post(f"/api/3/action/{action}", json=data, headers=_headers(user))


def _datatables(app, resource: dict[str, Any], user: dict[str, Any] | None):
    """The DataTables view's own request for rows, as its script makes it."""
    form = {"draw": "1", "start": "0", "length": "10", "search[value]": ""}
    if user is None:  # a visitor's session: the page gives the script a CSRF token
        page = app.get(f"/dataset/{resource['dataset']}").body
        match = re.search(r'<meta name="_csrf_token" content="([^"]+)"', page)
        assert match, "no CSRF token on the dataset page"
        form["_csrf_token"] = match.group(1)
    return app.post(f"/datatables/ajax/{resource['view_id']}", data=form,
                    headers=_headers(user))


# Who may read the rows of each kind of data (DESIGN.md, "Who may read what").
ENTITLED = {
    "unconditional": {"anonymous", "plain", "outsider", "member", "sysadmin"},
    "conditional": {"member", "sysadmin"},
    "non_open": {"member", "sysadmin"},
}
CALLERS = ("anonymous", "plain", "outsider", "member", "sysadmin")


@pytest.mark.parametrize("open_type", list(ENTITLED))
def test_rows_only_for_the_entitled_on_every_path(app, people, data, open_type):
    resource = data[open_type]
    for caller in CALLERS:
        user = people[caller]
        entitled = caller in ENTITLED[open_type]
        paths = {
            "datastore_search": _api(app, "datastore_search", user,
                                     resource_id=resource["id"]),
            "datastore_info": _api(app, "datastore_info", user, id=resource["id"]),
            "dump": app.get(f"/datastore/dump/{resource['id']}", headers=_headers(user)),
            "datatables": _datatables(app, resource, user),
            "download": app.get(f"/dataset/{resource['dataset']}/resource/{resource['id']}"
                                "/download", headers=_headers(user),
                                follow_redirects=False),
        }
        for path, response in paths.items():
            where = f"{open_type} {path} as {caller}"
            if entitled:
                assert response.status_code in (200, 302), where
                if path in ("datastore_search", "dump", "datatables"):
                    assert ROW in response.get_data(as_text=True), where
            else:
                assert response.status_code == 403, where
                assert ROW not in response.get_data(as_text=True), where


def test_a_refusal_says_why(app, data):
    conditional = _api(app, "datastore_search", None, resource_id=data["conditional"]["id"])
    assert "有条件开放" in conditional.json["error"]["message"]
    assert "需签署数据使用协议" in conditional.json["error"]["message"]
    dump = app.get(f"/datastore/dump/{data['non_open']['id']}", status=403).body
    assert "非开放" in dump or "not open" in dump


def test_the_resource_page_previews_no_rows_for_the_unentitled(app, people, data):
    for open_type, caller in (("conditional", None), ("non_open", people["outsider"])):
        resource = data[open_type]
        url = f"/dataset/{resource['dataset']}/resource/{resource['id']}"
        page = app.get(url, headers=_headers(caller))
        if open_type == "conditional":  # its metadata is public: the page says why
            assert page.status_code == 200 and "有条件开放" in page.body
            assert f"/view/{resource['view_id']}" not in page.body
        assert ROW not in page.get_data(as_text=True)
        view = app.get(f"{url}/view/{resource['view_id']}", headers=_headers(caller))
        assert view.status_code == 403 and ROW not in view.get_data(as_text=True)
    member = people["member"]
    resource = data["conditional"]
    page = app.get(f"/dataset/{resource['dataset']}/resource/{resource['id']}",
                   headers=_headers(member)).body
    assert f"/view/{resource['view_id']}" in page and "有条件开放" not in page


def test_validation_reports_quote_cells_only_to_the_entitled(app, people,
                                                             create_with_upload):
    jobs.get_queue(runner.QUEUE).empty()  # jobs other tests left for their resources
    pkg = dataset(people["sysadmin"], owner_org=people["department"]["id"], name="parks",
                  open_type="conditional")
    content = ("park_id,name,district,address,longitude,latitude,total_spaces,hourly_fee,"
               "phone,opened\nP00000001,人民广场停车场,秘密区,人民大道200号,121.475,31.232,"
               "500,10.0,021-63181234,2001-05-01\n")
    resource = create_with_upload(content, "parks.csv", package_id=pkg["id"], url="parks.csv",
                                  format="CSV", schema="car_parks",
                                  context={"user": people["sysadmin"]["name"]})
    jobs.Worker([runner.QUEUE]).work(burst=True)
    url = f"/dataset/parks/resource/{resource['id']}/validation"
    for caller in CALLERS:
        user = people[caller]
        report = _api(app, "shanghai_resource_validation_show", user, id=resource["id"])
        page = app.get(url, headers=_headers(user))
        entitled = caller in ENTITLED["conditional"]
        for response in (report, page):
            assert response.status_code == (200 if entitled else 403), caller
            text = (json.dumps(response.json, ensure_ascii=False) if response.is_json
                    else response.get_data(as_text=True))
            assert ("秘密区" in text) == entitled, caller


@pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", "false")
def test_sql_search_stays_off(app, people, data):
    response = _api(app, "datastore_search_sql", people["sysadmin"],
                    sql=f'SELECT * FROM "{data["conditional"]["id"]}"')
    assert response.status_code == 400 and ROW not in response.get_data(as_text=True)


class GrantsPlugin(p.SingletonPlugin):
    """Stands in for the applications feature: grants ``grantee`` one dataset."""

    p.implements(access.IDataAccessGrants)
    grantee = ""

    def data_access_granted(self, user, package) -> bool:
        return user.name == self.grantee and package.name == "data-conditional"


@pytest.fixture
def grants(tmp_path, monkeypatch):
    """``GrantsPlugin`` loaded as CKAN loads any plugin: by its entry point."""
    info = tmp_path / "shanghai_test_grants-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shanghai-test-grants\n"
                                   "Version: 0\n")
    (info / "entry_points.txt").write_text(
        f"[ckan.plugins]\nshanghai_test_grants = {__name__}:GrantsPlugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield p.load("shanghai_test_grants")
    p.unload("shanghai_test_grants")


def test_grantees_of_conditional_data_come_from_plugins(app, people, data, grants):
    grants.grantee = people["plain"]["name"]
    for open_type, status in (("conditional", 200), ("non_open", 403)):
        assert _api(app, "datastore_search", people["plain"],
                    resource_id=data[open_type]["id"]).status_code == status, open_type
    assert _api(app, "datastore_search", people["outsider"],
                resource_id=data["conditional"]["id"]).status_code == 403


# Listings


def test_member_list_hides_datasets_the_caller_may_not_see(app, people, data):
    private_id = helpers.call_action("package_show", id="data-non-open")["id"]
    for caller in CALLERS:
        response = _api(app, "member_list", people[caller], id="department",
                        object_type="package")
        assert response.status_code == 200, caller
        ids = {member[0] for member in response.json["result"]}
        assert (private_id in ids) == (caller in ENTITLED["non_open"]), caller
        assert len(ids) == (3 if caller in ENTITLED["non_open"] else 2), caller


def test_collaborator_list_refuses_anonymous_callers_cleanly(app, people, data):
    response = _api(app, "package_collaborator_list", None, id="data-conditional")
    assert response.status_code == 403
    assert response.json["success"] is False
    assert _api(app, "package_collaborator_list", people["plain"],
                id="data-conditional").status_code == 403


def test_listings_and_counts_show_only_what_the_caller_may_see(app, people, data):
    for caller in CALLERS:
        user = people[caller]
        sees = caller in ENTITLED["non_open"]
        where = caller

        orgs = _api(app, "organization_list", user, all_fields=True).json["result"]
        # (CKAN counts only public datasets in this list, even for their department)
        if not sees:
            assert {o["name"]: o["package_count"] for o in orgs}["department"] == 2, where
        shown = _api(app, "organization_show", user, id="department",
                     include_datasets=True).json["result"]
        assert shown["package_count"] == (3 if sees else 2), where
        assert ("data-non-open" in {d["name"] for d in shown["packages"]}) == sees, where
        found = _api(app, "package_autocomplete", user, q="data").json["result"]
        assert ("data-non-open" in {d["name"] for d in found}) == sees, where
        body = app.get("/api/2/util/dataset/autocomplete?incomplete=data",
                       headers=_headers(user)).get_data(as_text=True)
        assert ("data-non-open" in body) == sees, where
        page = app.get("/organization/department", headers=_headers(user)).body
        assert ("标题-data-non-open" in page) == sees, where


def test_activity_of_a_dataset_closed_later_is_hidden(app, people, data):
    # Published openly, then made non-open: its earlier activity must go with it.
    helpers.call_action("package_patch", context={"user": people["sysadmin"]["name"]},
                        id="data-unconditional", open_type="non_open")
    for caller in CALLERS:
        user = people[caller]
        sees = caller in ENTITLED["non_open"]
        for action, params in (("organization_activity_list", {"id": "department"}),
                               ("recently_changed_packages_activity_list", {}),
                               ("user_activity_list", {"id": people["sysadmin"]["name"]})):
            response = _api(app, action, user, **params)
            assert response.status_code == 200, (action, caller)
            text = json.dumps(response.json["result"], ensure_ascii=False)
            if not sees:
                assert "标题-data-unconditional" not in text, (action, caller)
                assert "标题-data-non-open" not in text, (action, caller)
            elif action == "user_activity_list":  # (CKAN's organisation list shows
                assert "标题-data-unconditional" in text, caller  # public datasets only)
