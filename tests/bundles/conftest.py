"""Fixtures of the SODA contest bundle tests: a contest with a public, a registered and
a verified bundle over uploaded CSV files (one of them in a conditional dataset)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.factories import dataset

SCHEMA = {"fields": [{"name": "line", "type": "string"},
                     {"name": "passengers", "type": "integer"}]}
BUS_CSV = "line,passengers\n11路,3200\n18路,4100\n"
CARD_CSV = "line,passengers\n1号线,980000\n2号线,1020000\n"
FLOW_CSV = "line,passengers\n延安高架,5400\n南北高架,6100\n"


def call(action: str, user: dict[str, Any] | None, **data: Any) -> Any:
    """An action as ``user`` with auth checked (None: anonymous)."""
    return helpers.call_action(action, context={"user": user["name"] if user else "",
                                                "ignore_auth": False}, **data)



@pytest.fixture
def contest(app: Any, create_with_upload: Any, http_files: tuple[Path, str]) -> dict[str, Any]:
    """A contest, its three bundles (published), an organiser and the data behind them.

    A contest's dict holds its URL, built by the app of this test's plugins (``app``):
    the one an earlier module made may lack the bundles' routes."""
    organiser = factories.Sysadmin()
    org = factories.Organization()
    ctx = {"user": organiser["name"]}
    bus = dataset(organiser, owner_org=org["id"], name="bus-lines", title="公交线路基本信息")
    bus_res = create_with_upload(BUS_CSV, "bus-lines.csv", context=dict(ctx),
                                 package_id=bus["id"], format="CSV", name="公交线路",
                                 schema=SCHEMA)
    cards = dataset(organiser, owner_org=org["id"], name="card-taps", title="刷卡记录",
                    open_type="conditional")
    card_res = create_with_upload(CARD_CSV, "card-taps.csv", context=dict(ctx),
                                  package_id=cards["id"], format="CSV", name="刷卡记录",
                                  schema=SCHEMA)
    folder, base = http_files
    (folder / "flows.csv").write_text(FLOW_CSV, encoding="utf-8")
    flows = dataset(organiser, owner_org=org["id"], name="flows", title="快速路流量",
                    open_type="conditional",
                    resources=[{"url": f"{base}/flows.csv", "format": "CSV", "name": "流量",
                                "schema": SCHEMA}])
    soda = call("shanghai_contest_create", organiser, name="soda-2015",
                 title="2015 SODA 智慧交通", edition=2015, theme="智慧交通",
                 terms="数据仅用于本届大赛。", start_date="2015-05-20", end_date="2015-10-31")
    bundles = {}
    for name, tier, datasets in (("open", "public", ["bus-lines"]),
                                 ("cards", "registered", ["card-taps", "bus-lines"]),
                                 ("flows", "verified", ["flows"])):
        created = call("shanghai_bundle_create", organiser, contest="soda-2015", name=name,
                        title=f"数据包 {name}", access_tier=tier, datasets=datasets)
        bundles[name] = call("shanghai_bundle_publish", organiser, id=created["id"])
    return {"organiser": organiser, "contest": soda, "bundles": bundles,
            "resources": {"bus": bus_res, "cards": card_res,
                          "flows": flows["resources"][0]},
            "http_folder": folder}


def team(contest_name: str, name: str, *, accept: bool = False,
         verified_by: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """A user leading a new team of the contest: (user, team)."""
    user = factories.User()
    registered = call("shanghai_team_register", user, contest=contest_name, name=name,
                       title=f"队伍 {name}")
    if accept:
        call("shanghai_team_accept_terms", user, id=registered["id"], accept=True)
    if verified_by:
        call("shanghai_team_verify", verified_by, id=registered["id"], verified=True,
              note="学生证已核验")
    return user, registered
