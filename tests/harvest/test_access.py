"""Harvest internals are for operators: sysadmins and the admins of a source's
organisation. Every harvest action and page, as each kind of caller, over HTTP."""
from __future__ import annotations

import datetime
import itertools
import json
from pathlib import Path
from typing import Any

import ckan.authz as authz
import ckan.logic as logic
import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

from catalog_seed.departments import load_departments
from ckanext.shanghai.harvest.department import SOURCE_TYPE
from ckanext.shanghai.harvest.operations import run_source
from ckanext.shanghai.harvest.readers.api import TOKEN_ENV
from ckanext.shanghai.harvest.seed import ensure_seed_sources
from harvesters import catalogue_generator as gen
from harvesters.testing_server import CatalogueServer
from tests import factories as our_factories

PLUGINS = "shanghai_search shanghai scheming_datasets activity harvest shanghai_department_harvester"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db")]

DEPARTMENT = load_departments()[0]
#: what only the source's operators may read: the harvested non-open entry's name, the
#: source's title and its catalogue file
MARKERS = ("ZQXNONOPEN", "ZQXSOURCE", "zqx-catalogue.csv")


@pytest.fixture
def folder(tmp_path: Path, ckan_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The catalogue folder of these tests."""
    folder = tmp_path / "catalogues"
    folder.mkdir()
    monkeypatch.setitem(ckan_config, "ckanext.shanghai.harvest.catalogue_folder", str(folder))
    return folder


def _headers(user: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}


@pytest.fixture
def world(folder: Path) -> dict[str, Any]:
    """A department with an admin, an editor and a member; another department's admin;
    a plain user; a sysadmin; a source of the department harvested once, with a
    non-open entry."""
    our_factories.domain_groups()
    users = {role: factories.User() for role in ("admin", "editor", "member", "other_admin", "plain")}
    users["sysadmin"] = factories.Sysadmin()
    department = factories.Organization(name=DEPARTMENT["name"], title=DEPARTMENT["title"], users=[
        {"name": users[role]["name"], "capacity": role} for role in ("admin", "editor", "member")])
    factories.Organization(users=[{"name": users["other_admin"]["name"], "capacity": "admin"}])
    rows = list(gen.entries(DEPARTMENT, 3))
    rows[0].update(name="ZQXNONOPEN 商品房成交月度汇总", open_type="非开放", open_conditions="")
    gen.write_csv(folder / "zqx-catalogue.csv", rows, "utf-8")
    source = helpers.call_action(
        "harvest_source_create", context={"user": users["sysadmin"]["name"]}, name="catalogue-zqx",
        title="ZQXSOURCE 目录", url="file:zqx-catalogue.csv", source_type=SOURCE_TYPE, owner_org=department["id"],
        config=json.dumps({"format": "csv", "location": "zqx-catalogue.csv"}))
    assert run_source(source["id"]).created == 3
    obj = model.Session.query(HarvestObject).filter(HarvestObject.content.contains("ZQXNONOPEN")).one()
    return {"users": users, "department": department, "source": source, "object": obj.id,
            "job": obj.harvest_job_id, "dataset": obj.package_id}


def _requests(w: dict[str, Any]) -> list[str]:
    """Every harvest action that reads, and every harvest page, for the world's source."""
    name, sid, job, obj, dataset = (w["source"]["name"], w["source"]["id"], w["job"], w["object"], w["dataset"])
    return [
        f"/api/3/action/harvest_source_show?id={name}",
        f"/api/3/action/harvest_source_show_status?id={sid}",
        "/api/3/action/harvest_source_list",
        "/api/3/action/harvest_source_list?return_last_job_status=true",
        f"/api/3/action/harvest_job_show?id={job}",
        f"/api/3/action/harvest_job_report?id={job}",
        f"/api/3/action/harvest_job_list?source_id={sid}",
        f"/api/3/action/harvest_object_show?id={obj}",
        f"/api/3/action/harvest_object_show?dataset_id={dataset}",
        f"/api/3/action/harvest_object_list?source_id={sid}",
        "/api/3/action/harvest_object_list",
        "/api/3/action/harvest_log_list",
        f"/api/3/action/package_show?id={name}",
        "/api/3/action/package_search?fq=dataset_type:harvest&include_private=true",
        "/api/3/action/package_list",
        "/harvest/",
        f"/harvest/{name}",
        f"/harvest/about/{name}",
        f"/harvest/admin/{name}",
        f"/harvest/{name}/job",
        f"/harvest/{name}/job/last",
        f"/harvest/{name}/job/{job}",
        f"/harvest/object/{obj}",
        f"/dataset/harvest_object/{dataset}",
    ]


def test_nobody_but_operators_sees_harvest_internals(app, world):
    secrets = (*MARKERS, world["source"]["name"], world["job"], world["object"])
    roles = {role: _headers(world["users"][role] if role else None)
             for role in (None, "plain", "editor", "member", "other_admin")}
    for (role, headers), url in itertools.product(roles.items(), _requests(world)):
        response = app.get(url, headers=headers)
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 403, 404), (role, url, response.status_code)
        # (CKAN's refusal of package_show names the dataset's id, whatever its type)
        leaked = [s for s in (*secrets, *([world["source"]["id"]] if response.status_code == 200 else []))
                  if s in body and s not in url]
        assert not leaked, (role, url, leaked)
        if url.startswith("/api/") and response.status_code == 200:
            result = response.json["result"]
            assert result in ([], {}) or (isinstance(result, dict) and result.get("count") == 0) \
                or (isinstance(result, list) and world["source"]["name"] not in result), (role, url, result)


@pytest.mark.parametrize("role", ["admin", "sysadmin"])
def test_operators_see_their_sources(app, world, role):
    headers = _headers(world["users"][role])

    def result(url: str) -> Any:
        response = app.get(url, headers=headers)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        return response.json["result"]

    source = world["source"]
    assert result(f"/api/3/action/harvest_source_show?id={source['name']}")["title"] == "ZQXSOURCE 目录"
    assert [s["id"] for s in result("/api/3/action/harvest_source_list")] == [source["id"]]
    assert result(f"/api/3/action/harvest_source_show_status?id={source['id']}")["job_count"] == 1
    assert [j["id"] for j in result(f"/api/3/action/harvest_job_list?source_id={source['id']}")] == [world["job"]]
    assert result(f"/api/3/action/harvest_job_show?id={world['job']}")["source_id"] == source["id"]
    assert world["object"] in result(f"/api/3/action/harvest_object_list?source_id={source['id']}")
    assert "ZQXNONOPEN" in result(f"/api/3/action/harvest_object_show?id={world['object']}")["content"]
    assert "ZQXNONOPEN" in result(f"/api/3/action/harvest_object_show?dataset_id={world['dataset']}")["content"]
    found = result("/api/3/action/package_search?fq=dataset_type:harvest&include_private=true")
    assert [d["name"] for d in found["results"]] == [source["name"]]
    for page in (f"/harvest/object/{world['object']}", f"/harvest/{source['name']}/job/{world['job']}",
                 f"/harvest/admin/{source['name']}", f"/harvest/about/{source['name']}"):
        response = app.get(page, headers=headers)
        assert response.status_code == 200, page
    assert "ZQXNONOPEN" in app.get(f"/harvest/object/{world['object']}", headers=headers).get_data(as_text=True)
    # the log spans every source: sysadmins only
    log = app.get("/api/3/action/harvest_log_list", headers=headers)
    assert log.status_code == (200 if role == "sysadmin" else 403)
    # a source is private, whoever created it: no listing of public datasets shows it
    assert source["name"] not in result("/api/3/action/package_list")


def _legacy(package: model.Package, config: dict[str, Any]) -> None:
    """Give a source the config an older portal stored (bypassing validation, which refuses it)."""
    text = json.dumps(config)
    package.extras = dict(package.extras, config=text)
    package.metadata_modified = datetime.datetime.utcnow()  # package_show reads the database, not the index
    HarvestSource.get(package.id).config = text


def test_a_source_never_returns_a_credential(app, world, monkeypatch):
    admin, sysadmin = world["users"]["admin"], world["users"]["sysadmin"]
    # The seed's API sources name the variable that holds the token; one made by an
    # older portal (the token in its config, public) is brought up to date.
    factories.Organization(name="sh-gaj")
    ensure_seed_sources("http://127.0.0.1:1")
    old = model.Package.get("catalogue-sh-gaj")
    _legacy(old, {"format": "api", "token": "ZQXOLD", "location": "http://127.0.0.1:1/x"})
    old.private = False
    model.Session.commit()
    ensure_seed_sources("http://127.0.0.1:1")
    seed = helpers.call_action("package_show", context={"user": sysadmin["name"]}, id="catalogue-sh-gaj")
    assert json.loads(seed["config"])["token_env"] == TOKEN_ENV and "token" not in json.loads(seed["config"])
    assert "token" not in seed and seed["private"] is True
    assert "ZQXOLD" not in (HarvestSource.get(seed["id"]).config or "")

    # A credential in a config is refused, for sysadmins too.
    refused = app.post("/api/3/action/harvest_source_create", headers=_headers(sysadmin), json={
        "name": "with-token", "url": "https://catalogue.example/x", "source_type": SOURCE_TYPE,
        "owner_org": world["department"]["id"],
        "config": json.dumps({"format": "api", "location": "https://catalogue.example/x", "token": "s3cr3t"})})
    assert refused.status_code == 409 and "token_env" in refused.get_data(as_text=True)

    # A legacy config that holds one: never shown, by any action.
    source = HarvestSource.get(world["source"]["id"])
    _legacy(model.Package.get(source.id), {"format": "csv", "location": "zqx-catalogue.csv", "token": "ZQXLEGACYTOKEN"})
    model.Session.commit()
    for url in (f"/api/3/action/package_show?id={source.id}", f"/api/3/action/harvest_source_show?id={source.id}",
                "/api/3/action/harvest_source_list"):
        for user in (admin, sysadmin):
            response = app.get(url, headers=_headers(user))
            assert response.status_code == 200 and "ZQXLEGACYTOKEN" not in response.get_data(as_text=True), url

    # The token is read from the environment when the source is harvested.
    rows = list(gen.entries(load_departments()[2], 2))
    with CatalogueServer({"d": gen.api_payload(rows)}, token="ZQXENVTOKEN") as server:
        api = helpers.call_action("harvest_source_create", context={"user": sysadmin["name"]}, name="api-zqx",
                                  url=server.url("d"), source_type=SOURCE_TYPE, owner_org=world["department"]["id"],
                                  config=json.dumps({"format": "api", "location": server.url("d"),
                                                     "token_env": TOKEN_ENV}))
        monkeypatch.delenv(TOKEN_ENV, raising=False)
        unset = run_source(api["id"])
        assert unset.created == 0 and TOKEN_ENV in unset.gather_errors[0]
        monkeypatch.setenv(TOKEN_ENV, "ZQXENVTOKEN")
        assert run_source(api["id"]).created == 2
    shown = app.get(f"/api/3/action/harvest_source_show?id={api['id']}", headers=_headers(admin))
    assert "ZQXENVTOKEN" not in shown.get_data(as_text=True)


def _create(app, user: dict[str, Any], org_id: str, config: dict[str, Any], *, source_type: str = SOURCE_TYPE,
            url: str = "file:x.csv", name: str = "new-source") -> Any:
    return app.post("/api/3/action/harvest_source_create", headers=_headers(user), json={
        "name": name, "url": url, "source_type": source_type, "owner_org": org_id,
        "config": json.dumps(config)})


def test_editors_and_members_cannot_create_or_change_sources(app, world):
    org = world["department"]["id"]
    for role in ("editor", "member", "other_admin", "plain"):
        user = world["users"][role]
        assert _create(app, user, org, {"format": "csv", "location": "zqx-catalogue.csv"}).status_code == 403, role
        direct = app.post("/api/3/action/package_create", headers=_headers(user), json={
            "name": "by-package-create", "type": "harvest", "url": "file:x.csv", "source_type": SOURCE_TYPE,
            "owner_org": org, "config": json.dumps({"format": "csv", "location": "/etc/passwd"})})
        assert direct.status_code == 403, role
        for action, data in (("harvest_source_patch", {"id": world["source"]["id"], "title": "changed"}),
                             ("harvest_job_create", {"source_id": world["source"]["id"], "run": False}),
                             ("harvest_source_clear", {"id": world["source"]["id"]}),
                             ("package_delete", {"id": world["source"]["id"]}),
                             ("harvest_abort_failed_jobs", {"life_span": 0})):
            response = app.post(f"/api/3/action/{action}", headers=_headers(user), json=data)
            assert response.status_code == 403, (role, action, response.status_code)
    assert model.Package.get(world["source"]["id"]).state == "active"


def test_admins_create_sources_within_the_folder_and_the_allow_lists(app, world, folder, tmp_path, ckan_config,
                                                                     monkeypatch):
    admin, sysadmin = world["users"]["admin"], world["users"]["sysadmin"]
    org = world["department"]["id"]
    outside = tmp_path / "outside.csv"
    outside.write_text("信息资源代码,信息资源名称\n", encoding="utf-8")
    (folder / "link.csv").symlink_to(outside)
    (folder / "sub").mkdir()
    for number, location in enumerate((str(outside), "/etc/passwd", "../outside.csv", "sub/../../outside.csv",
                                       "link.csv", f"file://{outside}", "file:///etc/passwd",
                                       "file:../outside.csv", "http://127.0.0.1:1/x.csv")):
        for user in (admin, sysadmin):
            response = _create(app, user, org, {"format": "csv", "location": location}, name=f"bad-{number}")
            assert response.status_code == 409, (location, response.status_code)
            assert "catalogue folder" in response.get_data(as_text=True), location
    for number, location in enumerate(("zqx-catalogue.csv", str(folder / "zqx-catalogue.csv"),
                                       f"file://{folder / 'zqx-catalogue.csv'}", "sub/../zqx-catalogue.csv")):
        response = _create(app, admin, org, {"format": "csv", "location": location}, name=f"good-{number}")
        assert response.status_code == 200, (location, response.get_data(as_text=True)[:300])
        assert response.json["result"]["private"] is True

    # hosts and source types: only those of the allow-lists, for organisation admins
    api = {"format": "api", "location": "https://catalogue.sh.gov.cn/catalogue/d/entries", "token_env": TOKEN_ENV}
    assert _create(app, admin, org, api, name="api-1").status_code == 403
    assert _create(app, admin, org, dict(api, location="file:///etc/passwd"), name="api-2").status_code in (403, 409)
    monkeypatch.setitem(ckan_config, "ckanext.shanghai.harvest.allowed_hosts", ["catalogue.sh.gov.cn"])
    assert _create(app, admin, org, api, name="api-3").status_code == 200
    assert _create(app, admin, org, dict(api, location="http://evil.example/entries"), name="api-4").status_code == 403
    assert _create(app, admin, org, dict(api, token_env="CKAN_SQLALCHEMY_URL"), name="api-5").status_code == 409
    ckan = _create(app, admin, org, {}, source_type="ckan", url="https://catalogue.sh.gov.cn/", name="ckan-1")
    assert ckan.status_code == 403
    assert _create(app, world["users"]["other_admin"], org, api, name="api-6").status_code == 403
    # ... and an admin cannot point an existing source elsewhere either
    moved = app.post("/api/3/action/harvest_source_patch", headers=_headers(admin), json={
        "id": "api-3", "config": json.dumps(dict(api, location="http://evil.example/entries"))})
    assert moved.status_code == 403


def test_the_gather_refuses_a_location_outside_the_folder(world):
    # a source saved before the rule (or under another folder): refused when harvested
    source = HarvestSource.get(world["source"]["id"])
    source.config = json.dumps({"format": "csv", "location": "/etc/passwd"})
    model.Session.commit()
    summary = run_source(source.id)
    assert summary.created == 0 and "catalogue folder" in summary.gather_errors[0]


def test_a_second_job_while_one_is_pending_is_a_409(app, world):
    headers = _headers(world["users"]["sysadmin"])
    data = {"source_id": world["source"]["id"], "run": False}
    assert app.post("/api/3/action/harvest_job_create", headers=headers, json=data).status_code == 200
    again = app.post("/api/3/action/harvest_job_create", headers=headers, json=data)
    assert again.status_code == 409 and again.json["error"]["source_id"]  # a message, in the portal's language
    assert model.Session.query(HarvestJob).filter(HarvestJob.status == "New").count() == 1



@pytest.mark.parametrize("auth_first", [True, False])
def test_harvest_actions_and_auth_functions_stay_in_their_registries(auth_first):
    # ckanext-harvest built both from one shared dict: the registry built second took
    # the other's functions (its auth check harvest_sources_clear became an action, an
    # action such as harvest_source_index_clear an auth check).
    logic.clear_actions_cache()
    authz.clear_auth_functions_cache()
    builds = [authz._AuthFunctions.keys,
              lambda: tk.get_action("package_show")]
    for build in builds if auth_first else reversed(builds):
        build()
    assert "harvest_sources_clear" not in logic._actions
    assert "harvest_source_index_clear" in logic._actions
    # CKAN's AuthFunctions registry has keys() but neither __contains__ nor __iter__.
    assert "harvest_sources_clear" in authz._AuthFunctions.keys()  # noqa: SIM118
    assert "harvest_source_index_clear" not in authz._AuthFunctions.keys()  # noqa: SIM118
