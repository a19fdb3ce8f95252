"""Catalogue statistics and the home page."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from tests.factories import dataset, domain_groups

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

SCHEMA = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]}


@pytest.fixture
def catalogue():
    domain_groups()
    jtw = factories.Organization(name="sh-jtw", title="上海市交通委员会")
    wjw = factories.Organization(name="sh-wsjkw", title="上海市卫生健康委员会")
    dataset(owner_org=jtw["id"], name="bus-lines", title="公交线路基本信息",
            resources=[{"url": "http://x/1.csv", "format": "CSV", "schema": SCHEMA},
                       {"url": "http://x/2.csv", "format": "CSV", "schema": SCHEMA}])
    dataset(owner_org=jtw["id"], name="car-parks", title="公共停车场实时泊位状态",
            open_type="conditional",
            resources=[{"url": "http://x/3.csv", "format": "CSV", "schema": SCHEMA}])
    dataset(owner_org=wjw["id"], name="hospitals", title="医疗机构名录", data_domain="health",
            resources=[{"url": "http://x/4.xlsx", "format": "XLSX"}])
    dataset(owner_org=wjw["id"], name="health-records", title="电子健康档案内部明细",
            data_domain="health", open_type="non_open",
            resources=[{"url": "http://x/5.csv", "format": "CSV", "schema": SCHEMA}])
    return {"jtw": jtw, "wjw": wjw}


def test_stats_for_the_public(catalogue):
    stats = helpers.call_action("shanghai_catalogue_stats", context={"user": ""})
    assert stats["datasets"] == 3
    assert stats["resources"] == 4
    assert stats["data_items"] == 6
    assert stats["by_open_type"] == {"unconditional": 2, "conditional": 1, "non_open": 0}
    by_domain = {d["code"]: d["count"] for d in stats["by_domain"]}
    assert len(by_domain) == 12
    assert by_domain["transport"] == 2 and by_domain["health"] == 1
    assert by_domain["credit"] == 0
    assert stats["by_department"][0] == {"name": "sh-jtw", "title": "上海市交通委员会",
                                         "count": 2}


def test_stats_include_what_a_sysadmin_sees(catalogue):
    stats = helpers.call_action("shanghai_catalogue_stats",
                                context={"user": factories.Sysadmin()["name"]})
    assert stats["datasets"] == 4
    assert stats["by_open_type"]["non_open"] == 1
    assert stats["data_items"] == 8


def test_home_page_in_chinese_and_english(app, catalogue):
    body = app.get("/").body
    assert "道路交通" in body and "经济建设" in body
    assert "公交线路基本信息" in body          # newest datasets
    assert ">3<" in body.replace(" ", "")      # the dataset total
    english = app.get("/en/").body
    assert "Road traffic &amp; transport" in english or "Road traffic & transport" in english
