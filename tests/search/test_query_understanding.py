"""Chinese compound queries, phrases, synonyms, variants, ranking and snippets, through
CKAN's package_search and /dataset on the PostgreSQL backend (issue 15, items 1-3)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.lib.search.common import SearchQueryError
from ckan.tests import factories, helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _search(user: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("package_search", context=context, **params)


def _names(result: dict[str, Any]) -> list[str]:
    return [d["name"] for d in result["results"]]


#: Datasets built like the seed catalogue's (titles, tags, descriptions, departments).
SEED_LIKE = [
    ("pudong-air-stations", "浦东新区空气质量监测站点", ["空气质量", "监测站"],
     "浦东新区环境空气质量自动监测站点的位置与监测项目。", "上海市生态环境局"),
    ("xuhui-bus-lines", "徐汇区公交线路年度统计", ["公交", "线路"],
     "徐汇区境内公交线路条数、长度与客运量的年度统计。", "上海市交通委员会"),
    ("bus-arrivals-realtime", "公交线路实时到站信息", ["公交", "实时到站", "出行"],
     "全市公交线路车辆实时到站预报。", "上海市交通委员会"),
    ("scenic-spot-visitors-realtime", "A级旅游景区实时客流", ["景区", "客流", "旅游"],
     "全市A级旅游景区的实时在园人数与舒适度。", "上海市文化和旅游局"),
    ("yrd-air-quality-forecast", "长三角区域空气质量预报", ["空气质量", "预报", "长三角"],
     "长三角主要城市未来三天的空气质量预报。", "上海市生态环境局"),
    ("medical-institutions", "医疗机构名录", ["医疗机构", "就医"],
     "全市三级、二级医疗机构和社区卫生服务中心的名录。", "上海市卫生健康委员会"),
    ("metro-stations", "轨道交通站点信息", ["轨道交通"], "全市轨道交通车站的位置与出入口。",
     "上海市交通委员会"),
    ("car-parks", "公共停车场实时泊位", ["停车"], "中心城区公共停车场的空余泊位。",
     "上海市交通委员会"),
]


@pytest.fixture
def seed_like() -> None:
    orgs: dict[str, str] = {}
    for name, title, tags, notes, department in SEED_LIKE:
        if department not in orgs:
            orgs[department] = factories.Organization(title=department)["id"]
        dataset(owner_org=orgs[department], name=name, title=title, notes=notes,
                tags=[{"name": t} for t in tags])


class TestCompoundQueries:
    @pytest.mark.parametrize(("q", "expected"), [
        ("浦东空气质量", "pudong-air-stations"),
        ("徐汇公交", "xuhui-bus-lines"),
        ("公交实时到站", "bus-arrivals-realtime"),
        ("景区客流", "scenic-spot-visitors-realtime"),
        ("空气质量预报长三角", "yrd-air-quality-forecast"),
        ("上海医院", "medical-institutions"),
    ])
    def test_the_issues_queries_find_their_dataset_first(self, seed_like: None, q: str,
                                                         expected: str) -> None:
        result = _search(q=q)
        assert _names(result)[0] == expected
        assert "relaxed" not in result

    def test_every_word_is_required(self, seed_like: None) -> None:
        # 浦东 and 预报 are both in the catalogue, never in one dataset: no full match.
        result = _search(q="浦东空气质量", rows=50)
        assert "yrd-air-quality-forecast" not in _names(result)

    def test_a_quoted_phrase_needs_its_words_adjacent_and_in_order(self, seed_like: None) -> None:
        assert _names(_search(q='"公交线路"')) == ["xuhui-bus-lines", "bus-arrivals-realtime"] \
            or set(_names(_search(q='"公交线路"'))) == {"xuhui-bus-lines", "bus-arrivals-realtime"}
        assert _names(_search(q='"线路公交"')) == []
        assert _names(_search(q='"空气质量预报"')) == ["yrd-air-quality-forecast"]
        # Unquoted, the same words in another order still match.
        assert "yrd-air-quality-forecast" in _names(_search(q="预报空气质量"))

    def test_field_queries_and_operators_keep_working(self, seed_like: None) -> None:
        assert _names(_search(q="title:景区客流")) == ["scenic-spot-visitors-realtime"]
        assert set(_names(_search(q="title:公交 -tags:实时到站"))) == {"xuhui-bus-lines"}
        assert set(_names(_search(q="景区 OR 长三角"))) == {
            "scenic-spot-visitors-realtime", "yrd-air-quality-forecast"}


class TestRelaxed:
    def test_no_full_match_relaxes_to_partial_matches_and_says_so(self, seed_like: None) -> None:
        result = _search(q="浦东公交预报")  # no dataset has all three words
        assert result["relaxed"] is True
        assert result["count"] > 0
        assert "xuhui-bus-lines" in _names(result) or "bus-arrivals-realtime" in _names(result)

    def test_nothing_at_all_is_still_nothing(self, seed_like: None) -> None:
        result = _search(q="火箭卫星")
        assert result["count"] == 0 and "relaxed" not in result

    def test_single_words_and_field_queries_are_not_relaxed(self, seed_like: None) -> None:
        assert _search(q="火箭")["count"] == 0
        result = _search(q="title:浦东预报")
        assert result["count"] == 0 and "relaxed" not in result

    def test_relaxed_results_keep_the_filters(self, seed_like: None) -> None:
        result = _search(q="浦东公交预报", fq="name:bus-arrivals-realtime")
        assert _names(result) == ["bus-arrivals-realtime"] and result["relaxed"] is True
        # xuhui-bus-lines has one of the three words: under the minimum of two.
        assert _search(q="浦东公交预报", fq="name:xuhui-bus-lines")["count"] == 0

    @pytest.mark.ckan_config("ckanext.shanghai.search.relax", "false")
    def test_relaxing_can_be_switched_off(self, seed_like: None) -> None:
        result = _search(q="浦东公交预报")
        assert result["count"] == 0 and "relaxed" not in result

    def test_the_dataset_page_says_the_results_match_partly(self, app: Any,
                                                            seed_like: None) -> None:
        body = app.get("/dataset/", params={"q": "浦东公交预报"}).body
        assert "shanghai-search-relaxed" in body
        full = app.get("/dataset/", params={"q": "徐汇公交"}).body
        assert "shanghai-search-relaxed" not in full

    def test_the_line_escapes_the_query(self, app: Any, seed_like: None) -> None:
        body = app.get("/dataset/", params={"q": "浦东<script>x</script>预报"}).body
        assert "<script>x</script>" not in body


class TestSynonymsAndVariants:
    @pytest.mark.parametrize(("q", "expected"), [
        ("地铁站点", "metro-stations"),
        ("医院", "medical-institutions"),
        ("停車場", "car-parks"),
        ("停车库", "car-parks"),
        ("醫療機構", "medical-institutions"),
        ("gongjiao", "xuhui-bus-lines"),
        ("gj", "xuhui-bus-lines"),
        ("tingchechang", "car-parks"),
    ])
    def test_variants_find_the_dataset(self, seed_like: None, q: str, expected: str) -> None:
        assert expected in _names(_search(q=q, rows=20))

    @pytest.mark.ckan_config("ckanext.shanghai.search.synonyms", "false")
    @pytest.mark.ckan_config("ckanext.shanghai.search.traditional", "false")
    @pytest.mark.ckan_config("ckanext.shanghai.search.pinyin", "false")
    def test_each_can_be_switched_off(self, seed_like: None) -> None:
        for q in ("地铁站点", "停車場", "gongjiao", "医院"):
            result = _search(q=q)
            # Nothing has every word (a partial match of 站点 may be offered).
            assert result["count"] == 0 or result["relaxed"] is True, q


class TestRanking:
    def test_field_weights(self) -> None:
        org = factories.Organization()
        word = "泊位"
        dataset(owner_org=org["id"], name="in-resources", title="资源一",
                resources=[{"url": "http://x/a.csv", "format": "CSV", "name": f"{word}表"}])
        dataset(owner_org=org["id"], name="in-notes", title="资源二", notes=f"含{word}信息")
        dataset(owner_org=org["id"], name="in-tags", title="资源三", tags=[{"name": word}])
        dataset(owner_org=org["id"], name="in-title", title=f"{word}资源")
        # A data item: a field of the resource's Table Schema (same weight class as tags).
        dataset(owner_org=org["id"], name="in-items", title="资源四",
                resources=[{"url": "http://x/b.csv", "format": "CSV", "schema": {
                    "fields": [{"name": "berths", "title": word, "type": "integer"}]}}])
        assert _names(_search(q=word)) == ["in-title", "in-tags", "in-items", "in-notes",
                                           "in-resources"]

    def test_a_tag_outranks_a_data_item_for_several_words_and_the_relaxed_or(self) -> None:
        org = factories.Organization()
        item = {"url": "http://x/b.csv", "format": "CSV", "schema": {
            "fields": [{"name": "berths", "title": "泊位数量", "type": "integer"}]}}
        # Created last, the data item would win a tie (newer first).
        dataset(owner_org=org["id"], name="in-tags", title="资源二", tags=[{"name": "泊位数量"}])
        dataset(owner_org=org["id"], name="in-items", title="资源一", resources=[item])
        assert _names(_search(q="泊位数量")) == ["in-tags", "in-items"]
        # Nothing has every word: the relaxed OR ranks them the same way.
        result = _search(q="泊位数量 图书馆借阅")
        assert result.get("relaxed") is True
        assert _names(result) == ["in-tags", "in-items"]

    @pytest.mark.ckan_config("ckanext.shanghai.search.rank_window", "2")
    def test_beyond_the_rank_window_titles_and_tags_still_lead_and_paging_holds(self) -> None:
        org = factories.Organization()
        word = "泊位"
        dataset(owner_org=org["id"], name="in-notes", title="资源二", notes=f"含{word}信息")
        dataset(owner_org=org["id"], name="in-resources", title="资源一",
                resources=[{"url": "http://x/a.csv", "format": "CSV", "name": f"{word}表"}])
        dataset(owner_org=org["id"], name="in-title", title=f"{word}资源")
        dataset(owner_org=org["id"], name="in-tags", title="资源三", tags=[{"name": word}])
        whole = _names(_search(q=word, rows=10))
        # The window (2) holds the title and tag matches, ranked in full; the rest
        # follow by quality and recency (newest first), not by their weight.
        assert whole == ["in-title", "in-tags", "in-resources", "in-notes"]
        # One order for every page, across the window's edge too.
        assert [n for start in range(4) for n in _names(_search(q=word, rows=1, start=start))] \
            == whole
        assert _names(_search(q=word, rows=2, start=1)) == whole[1:3]

    def test_rows_indexed_before_the_tag_vector_still_rank(self) -> None:
        org = factories.Organization()
        dataset(owner_org=org["id"], name="old-row", title="资源一", tags=[{"name": "泊位"}])
        dataset(owner_org=org["id"], name="in-title", title="泊位资源")
        # As the migration leaves rows indexed before it, until a rebuild.
        model.Session.execute(sa.text(
            "UPDATE shanghai_search_index SET tag_vector = NULL WHERE name = 'old-row'"))
        model.Session.commit()
        assert _names(_search(q="泊位")) == ["in-title", "old-row"]

    def test_exact_title_comes_first(self) -> None:
        org = factories.Organization()
        dataset(owner_org=org["id"], name="longer", title="公交线路 公交线路 公交线路",
                tags=[{"name": "公交线路"}])
        dataset(owner_org=org["id"], name="exact", title="公交线路")
        assert _names(_search(q="公交线路"))[0] == "exact"

    @pytest.mark.parametrize(("q", "schema", "name"), [
        ("统一社会信用代码", "legal_persons", "with-credit-code"),
        ("泊位数", None, "with-berths"),
    ])
    def test_a_field_title_finds_datasets_whose_schema_has_it(
            self, q: str, schema: str | None, name: str) -> None:
        org = factories.Organization()
        table: Any = schema or {"fields": [{"name": "berths", "title": "泊位数",
                                            "type": "integer"}]}
        dataset(owner_org=org["id"], name=name, title="某数据",
                resources=[{"url": "http://x/a.csv", "format": "CSV", "schema": table}])
        dataset(owner_org=org["id"], name="other", title="其他数据")
        assert _names(_search(q=q)) == [name]


class TestSnippets:
    def test_matched_words_are_marked_in_title_and_snippet(self, app: Any,
                                                           seed_like: None) -> None:
        body = app.get("/dataset/", params={"q": "浦东空气质量"}).body
        assert "<mark>浦东</mark>新区<mark>空气质量</mark>" in body
        assert "shanghai-search-snippet" in body

    def test_no_html_gets_in_through_a_title_or_the_query(self, app: Any) -> None:
        org = factories.Organization()
        dataset(owner_org=org["id"], name="evil", title="<img src=x onerror=alert(1)>公交",
                notes="<script>alert(2)</script>公交线路 **粗体**")
        body = app.get("/dataset/", params={"q": "公交 <b>x</b>"}).body
        assert "<img src=x" not in body
        assert "<script>alert(2)" not in body
        assert "<b>x</b>" not in body
        assert "<mark>公交</mark>" in body


class TestClosedStaysClosed:
    @pytest.fixture
    def closed(self) -> dict[str, Any]:
        member = factories.User()
        org = factories.Organization(users=[{"name": member["name"], "capacity": "member"}])
        dataset(owner_org=org["id"], name="open-bus", title="徐汇公交线路")
        dataset(owner_org=org["id"], name="closed-metro", title="浦东地铁秘密预报",
                notes="内部预报资料", open_type="non_open")
        return {"member": member}

    def test_relaxed_results_hide_closed_datasets(self, closed: dict[str, Any]) -> None:
        for q in ("浦东地铁公交", "浦东预报公交", "秘密预报公交"):
            result = _search(q=q, include_private=True)
            assert "closed-metro" not in _names(result), q
        member_result = _search(closed["member"], q="浦东预报公交", include_private=True)
        assert "closed-metro" in _names(member_result)

    def test_snippets_hide_closed_datasets(self, app: Any, closed: dict[str, Any]) -> None:
        body = app.get("/dataset/", params={"q": "浦东秘密预报公交"}).body
        # The query is echoed in the search box; the closed dataset is nowhere.
        assert "closed-metro" not in body and "内部预报资料" not in body


_text = st.text(st.characters(codec="utf-8"), max_size=60) | st.text(max_size=60)


class TestFuzz:
    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(q=st.one_of(
        _text,
        st.text(alphabet="公交地铁医院停车場空气质量浦东() \"ORAND-+*:gj", max_size=200),
        st.integers(1, 300).map(lambda n: "(" * n + "公交" + ")" * n),
        st.integers(1, 40).map(lambda n: "地铁公交医院停车场" * n),
    ))
    def test_any_query_is_an_answer_or_a_400(self, app: Any, q: str) -> None:
        response = app.get("/api/3/action/package_search", params={"q": q},
                           expect_errors=True)
        assert response.status_code in (200, 400, 409), (q, response.status_code)
        page = app.get("/dataset/", params={"q": q}, expect_errors=True)
        assert page.status_code in (200, 400, 409), (q, page.status_code)

    def test_lone_surrogates_and_long_queries(self, app: Any) -> None:
        for q in ("公交" * 5000, "地铁 " * 2000, "x" * 10_000):
            response = app.get("/api/3/action/package_search", params={"q": q},
                               expect_errors=True)
            assert response.status_code in (200, 400, 409), q[:20]
        # A lone surrogate cannot be sent as UTF-8; inside Python it reaches the backend.
        app.get("/api/3/action/package_search?q=%ED%A0%80%E5%85%AC", expect_errors=True)
        with pytest.raises(SearchQueryError, match="lone surrogate"):
            _search(q="\ud800公交 \udfff")

    @pytest.mark.ckan_config("ckanext.shanghai.search.max_terms", 10)
    def test_synonyms_that_expand_into_huge_ors_are_refused_with_the_option(
            self, app: Any) -> None:
        # Four words, but with their synonyms' lexemes 19 terms: over the limit of 10.
        response = app.get("/api/3/action/package_search",
                           params={"q": "地铁公交医院停车场"}, status=400)
        assert "ckanext.shanghai.search.max_terms" in response.json["error"]["message"]
