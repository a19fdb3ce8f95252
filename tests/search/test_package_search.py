"""CKAN's package_search, pages and autocomplete on the PostgreSQL backend."""
from __future__ import annotations

import json
import logging
from collections import Counter

import ckan.lib.search as search
import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from ckanext.shanghai.search import backend
from tests.factories import dataset, domain_groups

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _search(user=None, **params):
    # call_action ignores auth unless told not to; searches here run as the user would.
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("package_search", context=context, **params)


def _names(result):
    return [d["name"] for d in result["results"]]


@pytest.fixture
def visibility():
    """Datasets of two departments in the three open types, and their members."""
    org_a_member, org_b_member = factories.User(), factories.User()
    org_a = factories.Organization(users=[{"name": org_a_member["name"], "capacity": "member"}])
    org_b = factories.Organization(users=[{"name": org_b_member["name"], "capacity": "member"}])
    public = dataset(owner_org=org_a["id"], name="open-bus-lines", title="公交线路基本信息")
    conditional = dataset(owner_org=org_a["id"], name="conditional-bus-card",
                          title="公交卡交易统计", open_type="conditional", private=True)
    non_open = dataset(owner_org=org_a["id"], name="internal-bus-records",
                       title="公交内部调度记录", open_type="non_open")
    return dict(org_a=org_a, org_b=org_b, a_member=org_a_member, b_member=org_b_member,
                public=public, conditional=conditional, non_open=non_open)


class TestVisibility:
    def test_non_open_is_always_private(self, visibility):
        assert visibility["non_open"]["private"] is True
        assert visibility["public"]["private"] is False

    @pytest.mark.parametrize("who", [None, "b_member"])
    def test_outsiders_only_see_public_datasets(self, visibility, who):
        user = visibility[who] if who else None
        for params in ({"q": "公交"}, {"q": "*:*", "include_private": True},
                       {"fq": "open_type:non_open", "include_private": True}):
            names = _names(_search(user, **params))
            assert "internal-bus-records" not in names
            assert "conditional-bus-card" not in names
        assert _names(_search(user, q="公交", include_private=True)) == ["open-bus-lines"]

    def test_members_see_their_department_private_datasets(self, visibility):
        names = set(_names(_search(visibility["a_member"], q="公交", include_private=True)))
        assert names == {"open-bus-lines", "conditional-bus-card", "internal-bus-records"}

    def test_private_dataset_page_is_hidden(self, app, visibility):
        assert app.get("/dataset/internal-bus-records", status=404)
        assert "公交线路基本信息" in app.get("/dataset/open-bus-lines").body

    def test_organisation_page_counts_only_visible(self, app, visibility):
        body = app.get(f"/organization/{visibility['org_a']['name']}").body
        assert "公交线路基本信息" in body
        assert "公交内部调度记录" not in body
        assert "公交卡交易统计" not in body

    def test_autocomplete_hides_private(self, app, visibility):
        result = helpers.call_action("package_autocomplete",
                                     context={"user": "", "ignore_auth": False}, q="公交")
        assert [r["name"] for r in result] == ["open-bus-lines"]
        response = app.get("/api/2/util/dataset/autocomplete", params={"incomplete": "公交"})
        assert "internal-bus-records" not in response.body


class TestChineseSearch:
    @pytest.fixture
    def catalogue(self):
        org = factories.Organization()
        for name, title, tags, notes in [
            ("bus-lines", "公交线路基本信息", ["公交"], "全市950余条公交线路的走向与站点。"),
            ("bus-arrivals", "公交线路实时到站", ["实时"], "公交车辆到站预报。"),
            ("car-parks", "公共停车场实时泊位状态", ["停车"], "中心城区公共停车场泊位。"),
            ("scenic-spots", "A级旅游景区客流", ["旅游"], "景区实时客流，含公交接驳信息。"),
            ("air-quality", "空气质量实时监测", ["环境"], "各监测站点PM2.5浓度。"),
        ]:
            dataset(owner_org=org["id"], name=name, title=title, notes=notes,
                    tags=[{"name": t} for t in tags])

    def test_bus_lines_come_first(self, catalogue):
        names = _names(_search(q="公交"))
        assert names[:2] == ["bus-lines", "bus-arrivals"] or names[:2] == [
            "bus-arrivals", "bus-lines"]
        # a match in the description ranks below title matches
        assert names[-1] == "scenic-spots"

    def test_any_two_character_substring_of_a_title_matches(self, catalogue):
        title = "公共停车场实时泊位状态"
        for i in range(len(title) - 1):
            assert "car-parks" in _names(_search(q=title[i:i + 2])), title[i:i + 2]
        assert _names(_search(q="停车"))[0] == "car-parks"

    def test_words_are_anded(self, catalogue):
        # both words in the title beat both words in the description
        assert _names(_search(q="公交 实时")) == ["bus-arrivals", "scenic-spots"]
        assert _names(_search(q="地铁")) == []

    def test_latin_terms_and_column_names(self, catalogue):
        assert _names(_search(q="pm2.5")) == ["air-quality"]
        assert _names(_search(q="PM2.5")) == ["air-quality"]

    def test_fielded_query(self, catalogue):
        assert _names(_search(q="tags:停车")) == ["car-parks"]
        assert _names(_search(q="title:公交 -tags:实时")) == ["bus-lines"]


class TestFilters:
    @pytest.fixture
    def catalogue(self):
        domain_groups()
        org = factories.Organization(name="sh-jtw")
        other = factories.Organization(name="sh-sthjj")
        dataset(owner_org=org["id"], name="ds-a", data_domain="transport",
                release_date="2014-03-01", record_count=10,
                resources=[{"url": "http://x/a.csv", "format": "CSV"}])
        dataset(owner_org=org["id"], name="ds-b", data_domain="transport",
                release_date="2015-03-01", record_count=200,
                resources=[{"url": "http://x/b.xlsx", "format": "XLSX"}])
        dataset(owner_org=other["id"], name="ds-c", data_domain="environment",
                release_date="2016-03-01", record_count=3000, open_type="conditional",
                resources=[{"url": "http://x/c.csv", "format": "CSV"},
                           {"url": "http://x/c.json", "format": "JSON"}])

    @pytest.mark.parametrize("fq, expected", [
        ("data_domain:transport", {"ds-a", "ds-b"}),
        ('data_domain:"environment"', {"ds-c"}),
        ("data_domain:transport OR open_type:conditional", {"ds-a", "ds-b", "ds-c"}),
        ("data_domain:transport AND res_format:XLSX", {"ds-b"}),
        ("-data_domain:transport", {"ds-c"}),
        ("NOT res_format:CSV", {"ds-b"}),
        ("organization:sh-jtw", {"ds-a", "ds-b"}),
        ("groups:environment", {"ds-c"}),
        ("release_date:[2015-01-01 TO *]", {"ds-b", "ds-c"}),
        ("release_date:[* TO 2015-12-31T23:59:59Z]", {"ds-a", "ds-b"}),
        ("record_count:[100 TO 1000]", {"ds-b"}),
        ("metadata_modified:[NOW-1DAY TO NOW]", {"ds-a", "ds-b", "ds-c"}),
        ("*:*", {"ds-a", "ds-b", "ds-c"}),
        ("name:ds-a*", {"ds-a"}),
    ])
    def test_fq(self, catalogue, fq, expected):
        assert set(_names(_search(fq=fq, rows=50))) == expected

    def test_fq_list_is_anded(self, catalogue):
        result = _search(fq_list=["res_format:CSV", "organization:sh-jtw"])
        assert _names(result) == ["ds-a"]

    def test_sort_rows_start_and_fl(self, catalogue):
        assert _names(_search(sort="name desc")) == ["ds-c", "ds-b", "ds-a"]
        assert _names(_search(sort="name asc", rows=1, start=1)) == ["ds-b"]
        result = _search(sort="name asc", fl="name,data_domain")
        assert result["results"][0] == {"name": "ds-a", "data_domain": "transport"}
        assert result["count"] == 3

    def test_facets_count_the_whole_match_set(self, catalogue):
        result = _search(rows=1, **{"facet.field": json.dumps(
            ["data_domain", "res_format", "organization", "groups"])})
        assert len(result["results"]) == 1
        assert result["facets"]["data_domain"] == {"transport": 2, "environment": 1}
        assert result["facets"]["res_format"] == {"CSV": 2, "XLSX": 1, "JSON": 1}
        assert result["facets"]["organization"] == {"sh-jtw": 2, "sh-sthjj": 1}
        assert result["facets"]["groups"] == {"transport": 2, "environment": 1}

    def test_facet_limit_and_mincount(self, catalogue):
        result = _search(**{"facet.field": '["res_format"]', "facet.limit": 1,
                            "facet.mincount": 1})
        assert result["facets"]["res_format"] == {"CSV": 2}

    def test_facets_equal_sql_counts(self, catalogue):
        result = _search(**{"facet.field": '["res_format", "data_domain", "tags"]'})
        formats = Counter(model.Session.scalars(
            sa.select(model.Resource.format).join(model.Package).where(
                model.Package.state == "active", model.Package.private.is_(False),
                model.Resource.state == "active")))
        domains = Counter(model.Session.scalars(
            sa.select(model.Package.extras["data_domain"].astext).where(
                model.Package.state == "active", model.Package.private.is_(False))))
        assert result["facets"]["res_format"] == dict(formats)
        assert result["facets"]["data_domain"] == dict(domains)

    def test_drafts_only_when_asked(self, catalogue):
        dataset(name="draft-one", state="draft")
        assert "draft-one" not in _names(_search(rows=50))
        sysadmin = factories.Sysadmin()
        assert "draft-one" in _names(_search(sysadmin, rows=50, include_drafts=True))

    def test_dataset_page_facets(self, app, catalogue):
        body = app.get("/dataset/", params={"data_domain": "transport"}).body
        assert "2" in body and "/dataset/ds-a" in body and "/dataset/ds-c" not in body


class TestBadQueries:
    @pytest.mark.parametrize("params", [
        {"q": "title:(公交"},
        {"q": 'title:"unterminated'},
        {"fq": "release_date:[2016 TO"},
        {"fq": "data_domain:"},
        {"sort": "name sideways"},
        {"q": "{!lucene}x"},
    ])
    def test_malformed_query_is_a_400_with_a_message(self, app, params):
        response = app.get("/api/3/action/package_search", params=params, status=400)
        error = response.json["error"]
        assert error["__type"] == "Search Query Error"
        assert error["message"]

    def test_bad_rows_is_a_409(self, app):
        response = app.get("/api/3/action/package_search", params={"rows": "many"},
                           status=409)
        assert "rows" in response.json["error"]

    def test_malformed_query_on_the_dataset_page_is_a_400(self, app):
        app.get("/dataset/", params={"q": "title:(公交"}, status=400)

    def test_free_text_with_stray_syntax_is_searched_literally(self):
        # Like Solr's dismax, which CKAN uses for queries without a field.
        dataset(name="bus-lines", title="公交线路基本信息")
        assert _names(_search(q="公交(线路")) == ["bus-lines"]
        assert _names(_search(q='"公交')) == ["bus-lines"]


class TestIndexLifecycle:
    def test_update_and_delete_reach_the_index(self):
        pkg = dataset(name="bus-lines", title="公交线路基本信息")
        admin = {"user": factories.Sysadmin()["name"]}
        helpers.call_action("package_patch", context=dict(admin), id=pkg["id"], title="轨道交通线路")
        assert _names(_search(q="公交")) == []
        assert _names(_search(q="轨道")) == ["bus-lines"]
        helpers.call_action("package_delete", context=dict(admin), id=pkg["id"])
        assert _names(_search(q="轨道")) == []

    def test_rebuild_restores_a_cleared_index(self, cli, ckan_config):
        dataset(name="bus-lines", title="公交线路基本信息")
        search.clear_all()
        assert _search()["count"] == 0
        result = cli.invoke(ckan_cli, ["search-index", "rebuild"])
        assert result.exit_code == 0, result.output
        assert _names(_search(q="公交")) == ["bus-lines"]

    def test_results_come_from_the_index(self):
        pkg = dataset(name="bus-lines", title="公交线路基本信息")
        result = _search(q="公交")["results"][0]
        assert result["id"] == pkg["id"]
        assert result["data_domain"] == "transport"
        assert result["organization"]["name"]


class TestNoSolr:
    def test_the_registry_holds_our_classes_and_start_up_reaches_no_solr(self, caplog):
        assert isinstance(search.index_for(model.Package), backend.PackageSearchIndex)
        assert isinstance(search.query_for(model.Package), backend.PackageSearchQuery)
        with caplog.at_level(logging.DEBUG, logger="ckan.lib.search"):
            assert search.check_solr_schema_version() is False
        assert not [r for r in caplog.records if "solr" in r.getMessage().lower()]

    def test_package_show_is_served_from_the_index(self):
        pkg = dataset(name="bus-lines", title="公交线路基本信息")
        indexed = search.show("bus-lines")
        assert json.loads(indexed["validated_data_dict"])["id"] == pkg["id"]
        assert helpers.call_action("package_show", id="bus-lines")["title"] == "公交线路基本信息"
