"""Pages as citizens see them, in Chinese and in English."""
from __future__ import annotations

import pytest
from ckan.tests import factories

from tests.factories import dataset, domain_groups

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def bus_lines():
    domain_groups()
    org = factories.Organization(name="sh-jtw", title="上海市交通委员会",
                                 extras=[{"key": "title_en",
                                          "value": "Shanghai Municipal Transportation Commission"}])
    return dataset(owner_org=org["id"], name="bus-lines", title="公交线路基本信息",
                   title_en="Bus lines", notes="全市公交线路。", notes_en="All bus lines.")


def test_dataset_page_in_both_languages(app, bus_lines):
    chinese = app.get("/dataset/bus-lines").body
    assert "公交线路基本信息" in chinese and "道路交通" in chinese
    english = app.get("/en/dataset/bus-lines").body
    assert "All bus lines." in english
    assert "<h1>\n        \n          Bus lines" in english or ">Bus lines<" in english.replace(
        "\n", "").replace("  ", "") or "Bus lines" in english.split("<h1")[1]
    assert "Shanghai Municipal Transportation Commission" in english


def test_search_facets_show_labels_not_codes(app, bus_lines):
    body = app.get("/dataset/").body
    assert "数据领域" in body and "道路交通" in body and "无条件开放" in body
    english = app.get("/en/dataset/").body
    assert "Data domain" in english and "Road traffic &amp; transport" in english
    assert "Shanghai Municipal Transportation Commission" in english


def test_domain_group_page_lists_its_datasets(app, bus_lines):
    body = app.get("/group/transport").body
    assert "公交线路基本信息" in body
    assert "公交线路基本信息" not in app.get("/group/health").body


def test_language_switch_links_to_the_same_page(app, bus_lines):
    assert 'href="/en/dataset/bus-lines"' in app.get("/dataset/bus-lines").body
    assert 'href="/dataset/bus-lines"' in app.get("/en/dataset/bus-lines").body


def test_conditional_files_only_for_the_department(app):
    department_member = factories.User()
    org = factories.Organization(users=[{"name": department_member["name"], "capacity": "member"}])
    pkg = dataset(owner_org=org["id"], name="card-taps", open_type="conditional",
                  open_conditions="需签署数据使用协议",
                  resources=[{"url": "http://example.gov.cn/card-taps.csv", "format": "CSV"}])
    url = f"/dataset/card-taps/resource/{pkg['resources'][0]['id']}/download"
    refused = app.get(url, status=403).body
    assert "有条件开放" in refused and "需签署数据使用协议" in refused
    outsider = factories.UserWithToken()
    app.get(url, headers={"Authorization": outsider["token"]}, status=403)
    member_token = factories.APIToken(user=department_member["name"])["token"]
    # an external URL: CKAN redirects the entitled user to it
    assert app.get(url, headers={"Authorization": member_token},
                   follow_redirects=False).status_code == 302
    # the metadata stays public
    assert "card-taps" in app.get("/dataset/card-taps").body
