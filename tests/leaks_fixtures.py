"""The secret world the leak walker (tests/test_leaks.py) hunts in.

One department holds a private dataset, a non-open (非开放) dataset and a conditionally
open (有条件开放) dataset, each with an uploaded CSV file that validation loads into the
DataStore (with a DataTables view); a harvest source of the department with a credential
in its config has harvested a catalogue with a non-open entry; a SODA contest has a
registered-tier bundle holding the conditional data. Every name, title, description,
file row and credential carries a unique ASCII marker (``ZQX…``), so a leak is found by
a substring test whatever the encoding of the response (HTML-escaped, JSON ``\\u``
escapes of the Chinese around it, a CSV or a zip of stored entries).
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers
from ckanext.activity.model import Activity
from ckanext.harvest.model import HarvestObject, HarvestSource

from catalog_seed.departments import load_departments
from ckanext.shanghai.harvest.department import SOURCE_TYPE
from ckanext.shanghai.harvest.operations import run_source
from ckanext.shanghai.validation import runner
from harvesters import catalogue_generator as gen
from tests.factories import dataset, domain_groups

#: The word every secret title holds, so a search finds them without naming a marker.
SEARCH_WORD = "机密"

SCHEMA = {"fields": [{"name": "line", "type": "string"},
                     {"name": "passengers", "type": "integer"}]}

#: Who may see a marker. ``department``: its department and sysadmins; ``nobody``: no
#: response to anyone (credentials and the portal's own secrets).
DEPARTMENT, NOBODY = "department", "nobody"


@dataclasses.dataclass(frozen=True)
class Secret:
    """A string that must not reach a response of a caller outside ``audience``."""

    value: str
    what: str       # what it is, e.g. "non-open dataset: title"
    owner: str      # the helper area that keeps it closed, for the report
    audience: str = DEPARTMENT
    #: the ids and names of one dataset (its resources and views) or of one harvest
    #: source (its jobs, objects and datasets) share an identity: a request naming one
    #: may get another back (CKAN's "not authorised to read package <id>").
    identity: str = ""


@dataclasses.dataclass
class Target:
    """A secret object and the values a data_dict or a URL may name it by."""

    kind: str                # package, resource, view, group, user, harvest_source, ...
    label: str               # for messages
    id: str
    name: str | None = None
    facts: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class World:
    secrets: list[Secret]
    targets: list[Target]
    users: dict[str, dict[str, Any]]       # role → user dict (None for anonymous)
    tokens: dict[str, str]                 # role → API token
    facts: dict[str, Any]                  # ids for the positive checks


def _csv(marker: str) -> str:
    return f"line,passengers\n{marker},980000\n2号线,1020000\n"


def _token(user: dict[str, Any]) -> str:
    return helpers.call_action("api_token_create", context={"user": user["name"]},
                               user=user["name"], name="leak-walker")["token"]


def _config_secrets() -> list[Secret]:
    """The portal's own secrets from the running configuration."""
    values: list[tuple[str, str]] = []
    for key in ("SECRET_KEY", "WTF_CSRF_SECRET_KEY", "beaker.session.secret",
                "api_token.jwt.encode.secret", "api_token.jwt.decode.secret"):
        value = str(tk.config.get(key) or "")
        values.append((value.removeprefix("string:"), f"config {key}"))
    for key in ("sqlalchemy.url", "ckan.datastore.write_url", "ckan.datastore.read_url"):
        password = urlsplit(str(tk.config.get(key) or "")).password or ""
        values.append((password, f"password in {key}"))
    # Short or common values would match by chance; the portal's are long and random.
    return [Secret(v, what, "E (stack)", NOBODY) for v, what in values
            if len(v) >= 8 and v.lower() not in {"password", "postgres", "ckan_default"}]


def build(create_with_upload: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    """Create the secret world through CKAN's actions; run validation and a harvest."""
    sysadmin = factories.Sysadmin()
    department_info = load_departments()[0]
    dept_admin = factories.User(name="zqx-dept-admin")
    dept = factories.Organization(name=department_info["name"], title=department_info["title"],
                                  users=[{"name": dept_admin["name"], "capacity": "admin"}])
    other_editor, other_admin, plain = factories.User(), factories.User(), factories.User()
    factories.Organization(users=[{"name": other_editor["name"], "capacity": "editor"},
                                  {"name": other_admin["name"], "capacity": "admin"}])
    domain_groups()
    ctx = {"user": dept_admin["name"]}
    secrets: list[Secret] = []
    targets: list[Target] = []

    def secret_dataset(key: str, label: str, owner: str, **fields: Any) -> dict[str, Any]:
        marker = f"ZQX{key.upper()}"
        pkg = dataset(dept_admin, owner_org=dept["id"], name=f"zqx-{key}-dataset",
                      title=f"{SEARCH_WORD}{label} {marker}TITLE",
                      notes=f"说明 {marker}NOTES", **fields)
        res = create_with_upload(_csv(f"{marker}ROW"), f"{key}.csv", context=dict(ctx),
                                 package_id=pkg["id"], format="CSV",
                                 name=f"{marker}RESNAME", schema=SCHEMA)
        return {"pkg": pkg, "res": res, "marker": marker, "owner": owner}

    private = secret_dataset("private", "私有", "A (access rule)", private=True)
    non_open = secret_dataset("nonopen", "非开放", "A (access rule)", open_type="non_open")
    cond = secret_dataset("cond", "有条件开放", "A (access rule)", open_type="conditional")
    jobs.Worker([runner.QUEUE]).work(burst=True)

    for ds in (private, non_open):
        m, what = ds["marker"], ds["pkg"]["title"]
        secrets += [Secret(ds["pkg"]["name"], f"{what}: name", ds["owner"], identity=what),
                    Secret(ds["pkg"]["id"], f"{what}: id", ds["owner"], identity=what),
                    Secret(f"{m}TITLE", f"{what}: title", ds["owner"]),
                    Secret(f"{m}NOTES", f"{what}: notes", ds["owner"]),
                    Secret(f"{m}RESNAME", f"{what}: resource name", ds["owner"]),
                    Secret(ds["res"]["id"], f"{what}: resource id", ds["owner"],
                           identity=what),
                    Secret(f"{m}ROW", f"{what}: row", ds["owner"])]
    # Conditional: the metadata is public, the rows are not.
    secrets.append(Secret(f"{cond['marker']}ROW", "conditional dataset: row",
                          "A (access rule)"))

    views: dict[str, dict[str, Any]] = {}
    for key, ds in (("private", private), ("nonopen", non_open), ("cond", cond)):
        found = helpers.call_action("resource_view_list", id=ds["res"]["id"])
        assert found, f"validation made no DataTables view for the {key} resource"
        views[key] = found[0]
        pkg, res = ds["pkg"], ds["res"]
        shown = helpers.call_action("resource_show", id=res["id"])
        assert shown.get("datastore_active"), f"the {key} resource is not in the DataStore"
        common = {"package_id": pkg["id"], "dataset_id": pkg["id"], "resource_id": res["id"],
                  "view_id": views[key]["id"], "owner_org": dept["id"],
                  "filename": f"{key}.csv"}
        targets += [Target("package", f"{key} dataset", pkg["id"], pkg["name"], common),
                    Target("resource", f"{key} resource", res["id"], None, common),
                    Target("view", f"{key} view", views[key]["id"], None,
                           {**common, "resource_view_id": views[key]["id"]})]
        if key != "cond":
            secrets.append(Secret(views[key]["id"], f"{key} dataset: view id", "A (access rule)",
                                  identity=ds["pkg"]["title"]))

    # -- a harvest source with a credential, and a harvested non-open entry ------------
    rows = list(gen.entries(department_info, 2))
    rows[0].update(name=f"{SEARCH_WORD}目录 ZQXHARVENTRY", open_type="非开放",
                   abstract="摘要 ZQXHARVABSTRACT", open_conditions="")
    rows[1].update(open_type="无条件开放", open_conditions="")
    folder = tmp_path / "catalogues"
    folder.mkdir()
    catalogue = folder / "zqx-catalogue.csv"
    gen.write_csv(catalogue, rows, "utf-8")
    # The credential lives in an environment variable the config names (token_env);
    # a source saved before that rule still holds one in its config (planted below).
    credential, legacy = "ZQXHARVTOKEN-9b1f27c4e8", "ZQXLEGACYTOKEN-51d0a6"
    monkeypatch.setenv("SHANGHAI_ZQX_CATALOGUE_TOKEN", credential)
    monkeypatch.setitem(tk.config, "ckanext.shanghai.harvest.catalogue_folder", str(folder))
    monkeypatch.setitem(tk.config, "ckanext.shanghai.harvest.token_env_vars",
                        ["SHANGHAI_ZQX_CATALOGUE_TOKEN"])
    source = helpers.call_action(
        "harvest_source_create", context={"user": sysadmin["name"]},
        name="zqx-harvest-source", title=f"{SEARCH_WORD}目录源 ZQXHARVSRCTITLE",
        url=str(catalogue), source_type=SOURCE_TYPE, owner_org=dept["id"],
        config=json.dumps({"format": "csv", "location": str(catalogue),
                           "token_env": "SHANGHAI_ZQX_CATALOGUE_TOKEN"}))
    summary = run_source(source["id"])
    assert summary.created == 2, summary.messages
    obj = (model.Session.query(HarvestObject)
           .filter(HarvestObject.harvest_source_id == source["id"],
                   HarvestObject.content.contains("ZQXHARVENTRY")).first())
    assert obj is not None and obj.package_id
    job_id = obj.harvest_job_id
    stored = HarvestSource.get(source["id"])
    stored.config = json.dumps({**json.loads(stored.config), "token": legacy})
    model.Session.commit()
    harvested = helpers.call_action("package_show", id=obj.package_id)
    assert harvested["private"], "the non-open entry was harvested as a public dataset"
    harvest_owner = "B (harvest)"
    secrets += [Secret(credential, "harvest source credential", harvest_owner, NOBODY),
                Secret(legacy, "credential left in a legacy source config", harvest_owner,
                       NOBODY),
                Secret("ZQXHARVSRCTITLE", "harvest source: title", harvest_owner),
                Secret(source["name"], "harvest source: name", harvest_owner, identity="harvest"),
                Secret(source["id"], "harvest source: id", harvest_owner, identity="harvest"),
                Secret(str(catalogue), "harvest source: location", harvest_owner),
                Secret(job_id, "harvest job: id", harvest_owner, identity="harvest"),
                Secret(obj.id, "harvest object: id", harvest_owner, identity="harvest"),
                Secret("ZQXHARVENTRY", "harvested non-open entry: name", harvest_owner),
                Secret("ZQXHARVABSTRACT", "harvested non-open entry: abstract", harvest_owner),
                Secret(rows[0]["code"], "harvested non-open entry: code", harvest_owner),
                Secret(harvested["name"], "harvested non-open dataset: name", harvest_owner,
                       identity="harvest"),
                Secret(harvested["id"], "harvested non-open dataset: id", harvest_owner,
                       identity="harvest")]
    hfacts = {"source_id": source["id"], "harvest_source_id": source["id"],
              "source": source["name"],
              "job_id": job_id, "harvest_job_id": job_id, "object_id": obj.id,
              "harvest_object_id": obj.id, "owner_org": dept["id"]}
    targets += [Target("package", "harvested non-open dataset", harvested["id"],
                       harvested["name"], {**hfacts, "package_id": harvested["id"]}),
                Target("package", "harvest source dataset", source["id"], source["name"], hfacts),
                Target("harvest_source", "harvest source", source["id"], source["name"], hfacts),
                Target("harvest_job", "harvest job", job_id, None, hfacts),
                Target("harvest_object", "harvest object", obj.id, None,
                       {**hfacts, "package_id": harvested["id"]})]

    # -- a SODA bundle of registered tier holding the conditional data ----------------
    sys_ctx = {"user": sysadmin["name"]}
    contest = helpers.call_action("shanghai_contest_create", context=dict(sys_ctx),
                                  name="zqx-contest", title="泄漏测试大赛", edition=2015,
                                  terms="数据仅用于本届大赛。", start_date="2015-05-20",
                                  end_date="2015-10-31")
    bundle = helpers.call_action("shanghai_bundle_create", context=dict(sys_ctx),
                                 contest=contest["name"], name="zqx-bundle", title="刷卡数据包",
                                 access_tier="registered", datasets=[cond["pkg"]["name"]])
    helpers.call_action("shanghai_bundle_publish", context=dict(sys_ctx), id=bundle["id"])
    files = helpers.call_action("shanghai_bundle_show", context=dict(sys_ctx),
                                id=bundle["id"])["files"]
    data_file = next(f["name"] for f in files if f["name"].endswith(".csv"))
    bfacts = {"contest": contest["name"], "bundle": bundle["name"], "version": 1,
              "file_name": data_file}
    targets += [Target("bundle", "registered bundle", bundle["id"], bundle["name"], bfacts),
                Target("contest", "contest", contest["id"], contest["name"], bfacts)]

    # -- where the secrets are listed ----------------------------------------------------
    group = non_open["pkg"]["groups"][0] if non_open["pkg"].get("groups") else None
    gfacts = {"object": non_open["pkg"]["id"], "object_type": "package"}
    targets.append(Target("group", "department", dept["id"], dept["name"], gfacts))
    if group:
        targets.append(Target("group", "domain group", group["id"], group["name"], gfacts))
    for key, ds in (("private", private), ("nonopen", non_open)):
        activity = (model.Session.query(Activity)
                    .filter(Activity.object_id == ds["pkg"]["id"])
                    .order_by(Activity.timestamp.desc()).first())
        assert activity is not None, f"no activity of the {key} dataset"
        targets.append(Target("activity", f"{key} dataset activity", activity.id, None,
                              {"object_type": "package"}))
        for target in targets:
            if target.kind in ("package", "resource") and target.facts.get(
                    "package_id") == ds["pkg"]["id"]:
                target.facts["activity_id"] = activity.id
    targets.append(Target("user", "department admin", dept_admin["id"], dept_admin["name"],
                          {"user_id": dept_admin["id"]}))

    secrets += _config_secrets()
    users = {"anonymous": None, "plain user": plain, "other editor": other_editor,
             "other admin": other_admin, "department admin": dept_admin, "sysadmin": sysadmin}
    tokens = {role: _token(user) for role, user in users.items() if user}
    facts = {"private": private, "non_open": non_open, "cond": cond, "views": views,
             "source": source, "object_id": obj.id, "job_id": job_id, "contest": contest,
             "bundle": bundle, "harvested": harvested}
    return World(secrets, targets, users, tokens, facts)
