"""``datastore_search`` ``q`` finds Chinese words and substrings (search/datastore.py)."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ckanext.shanghai.search import datastore
from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

RECORDS = [
    {"district": "黄浦区", "address": "黄浦区人民大道200号人民广场东侧", "seats": 120},
    {"district": "浦东新区", "address": "浦东新区世纪大道100号", "seats": 80},
    {"district": "徐汇区", "address": "徐汇区漕溪北路人民广场路口", "seats": 40},
    {"district": "静安区", "address": "静安区南京西路1号 Plaza", "seats": 10},
]


@pytest.fixture
def table() -> dict[str, Any]:
    admin = factories.Sysadmin()
    pkg = dataset(admin, resources=[{"url": "http://example.gov.cn/parks.csv", "format": "CSV"}])
    resource_id = pkg["resources"][0]["id"]
    helpers.call_action("datastore_create", context={"user": admin["name"]},
                        resource_id=resource_id, force=True,
                        fields=[{"id": "district", "type": "text"},
                                {"id": "address", "type": "text"},
                                {"id": "seats", "type": "int"}], records=RECORDS)
    return {"resource_id": resource_id, "user": admin["name"]}


def _search(table: dict[str, Any], **params: Any) -> dict[str, Any]:
    return helpers.call_action("datastore_search", context={"user": table["user"]},
                               resource_id=table["resource_id"], **params)


def _districts(result: dict[str, Any]) -> list[str]:
    return [r["district"] for r in result["records"]]


def test_a_chinese_word_finds_the_longer_words_that_hold_it(table):
    assert _districts(_search(table, q="黄浦")) == ["黄浦区"]
    assert sorted(_districts(_search(table, q="人民广场"))) == ["徐汇区", "黄浦区"]
    assert _districts(_search(table, q="世纪大道")) == ["浦东新区"]
    # every word is required; Latin words and numbers as before
    assert _districts(_search(table, q="人民广场 漕溪")) == ["徐汇区"]
    assert _districts(_search(table, q="plaza")) == ["静安区"]
    assert _search(table, q="广场公园")["records"] == []
    # the caller's q is what the result says
    assert _search(table, q="黄浦")["q"] == "黄浦"


def test_results_are_ranked_and_filters_sort_and_paging_are_unchanged(table):
    ranked = _search(table, q="浦", fields="district,rank")
    ranks = [r["rank"] for r in ranked["records"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > 0
    assert set(_districts(ranked)) == {"黄浦区", "浦东新区"}

    assert _districts(_search(table, q="人民广场", filters={"district": "徐汇区"})) == ["徐汇区"]
    assert _districts(_search(table, q="区", sort="seats asc")) == [
        "静安区", "徐汇区", "浦东新区", "黄浦区"]
    page = _search(table, q="区", sort="seats desc", limit=2, offset=1, include_total=True)
    assert _districts(page) == ["浦东新区", "徐汇区"] and page["total"] == 4
    # a column query (q as an object) is CKAN's own
    assert _districts(_search(table, q={"district": "黄浦区"})) == ["黄浦区"]


def test_query_text_is_the_lexemes_of_a_string_q_only():
    assert datastore.query_text("人民广场") == "人民 民广 广场"
    assert datastore.query_text("Plaza 1号") == "plaza 1 号"
    assert datastore.query_text('{"district": "黄浦区"}') is None
    assert datastore.query_text({"district": "黄浦区"}) is None
    assert datastore.query_text("。！") is None
    # looks like JSON, is not: words, never CKAN's SQL text with ":0" in it
    assert datastore.query_text("{:0") == "0"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60))
@example(q="{:0")  # CKAN's SQL text would read ":0" as a bind parameter
def test_any_q_gets_an_answer_or_a_validation_error(table, q):
    try:
        result = _search(table, q=q)
    except helpers.logic.ValidationError:
        return
    assert len(result["records"]) <= len(RECORDS)
    # a record found contains every CJK bigram of the query
    for record in result["records"]:
        text = " ".join(str(v) for v in record.values())
        for lexeme in (datastore.query_text(q) or "").split():
            if len(lexeme) == 2 and all("\u4e00" <= c <= "\u9fff" for c in lexeme):
                assert lexeme in text
