"""Marked words in titles and snippets (ckanext.shanghai.search.highlight)."""
from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ckanext.shanghai.search.highlight import highlight, query_lexemes_of, snippet


def test_words_of_the_query_are_marked_and_merged() -> None:
    assert highlight("浦东新区空气质量监测", "浦东空气质量") == \
        "<mark>浦东</mark>新区<mark>空气质量</mark>监测"


def test_synonyms_and_field_terms_are_marked_but_not_negated_ones() -> None:
    assert "<mark>医疗机构</mark>" in highlight("医疗机构名录", "医院")
    assert "<mark>名录</mark>" in highlight("医疗机构名录", "title:名录")
    assert "<mark>" not in highlight("医疗机构名录", "-名录")


def test_everything_outside_the_marks_is_escaped() -> None:
    marked = highlight('<img src=x onerror="a">公交', '公交 <b>')
    assert marked == '&lt;img src=x onerror=&#34;a&#34;&gt;<mark>公交</mark>'


def test_a_query_that_is_refused_marks_nothing() -> None:
    assert query_lexemes_of("{!lucene}公交") == []
    assert highlight("公交", "{!lucene}公交") == "公交"


def test_stray_syntax_marks_the_words_searched_literally() -> None:
    assert "<mark>公交</mark>" in highlight("公交", "title:(公交")


def test_snippet_is_around_the_first_match() -> None:
    text = "无关内容。" * 60 + "这里有公交线路。" + "其他内容。" * 60
    found = snippet(text, "公交", length=40)
    assert found is not None
    assert found.startswith("…") and found.endswith("…")
    assert "<mark>公交</mark>" in found
    assert snippet(text, "地铁站") is None


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200), q=st.text(max_size=100))
def test_marking_never_adds_markup_of_its_own_but_mark(text: str, q: str) -> None:
    marked = str(highlight(text, q))
    # Only <mark> tags are markup; the rest unescapes to the text itself.
    assert re.sub(r"</?mark>", "", marked).count("<") == 0
    assert html.unescape(re.sub(r"</?mark>", "", marked)) == text
