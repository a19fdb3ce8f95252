"""Tests of the Chinese-aware search tokens (ckanext.shanghai.search.tokens)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckanext.shanghai.search.tokens import (
    Variants,
    index_sequence,
    index_tokens,
    is_cjk_token,
    phrase_lexemes,
    query_lexemes,
    query_words,
    synonym_groups,
)

NONE = Variants(synonyms=False, traditional=False, pinyin=False)


def test_title_yields_jieba_words_every_bigram_and_every_character() -> None:
    tokens = index_tokens("公交线路基本信息")
    for bigram in ("公交", "交线", "线路", "路基", "基本", "本信", "信息"):
        assert bigram in tokens
    for character in "公交线路基本信息":
        assert character in tokens
    # jieba's search-mode words come too (longer than a bigram here).
    assert "公交线路" in tokens


def test_every_two_character_substring_is_a_token() -> None:
    title = "公共停车场实时泊位"
    tokens = set(index_tokens(title))
    assert {title[i : i + 2] for i in range(len(title) - 1)} <= tokens


def test_latin_words_and_numbers_are_lowercased_and_kept_whole() -> None:
    tokens = index_tokens("上海市PM2.5浓度 Bus-Lines v1.2.3, res_format 2016年")
    assert "pm2.5" in tokens
    assert "bus" in tokens and "lines" in tokens
    assert "v1.2.3" in tokens
    assert "res" in tokens and "format" in tokens
    assert "2016" in tokens and "年" in tokens


def test_full_width_forms_fold_to_ascii() -> None:
    assert "pm2.5" in index_tokens("ＰＭ２．５")


def test_punctuation_and_whitespace_yield_nothing() -> None:
    assert index_tokens("，。！？ \t\n——（）《》") == []
    assert index_tokens("") == []


def test_tokens_are_unique_in_order_of_first_appearance() -> None:
    tokens = index_tokens("数据 数据 data DATA")
    assert len(tokens) == len(set(tokens))
    assert tokens.index("数据") < tokens.index("data")


def test_overlong_tokens_are_dropped() -> None:
    assert index_tokens("a" * 300 + " ok") == ["ok"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("公交线路", ["公交", "交线", "线路"]),
        ("公", ["公"]),
        ("PM2.5浓度", ["pm2.5", "浓度"]),
        ("Bus", ["bus"]),
        ("bus-lines", ["bus", "lines"]),
        ("公交?", ["公交"]),
        ("！！", []),
        ("", []),
    ],
)
def test_query_lexemes(term: str, expected: list[str]) -> None:
    assert query_lexemes(term, NONE) == expected


def test_query_lexemes_are_always_index_tokens_of_the_same_text() -> None:
    for text in ("公交线路基本信息", "上海市PM2.5浓度日报", "Weather 气象观测 2016年12月"):
        assert set(query_lexemes(text)) <= set(index_tokens(text))


def test_is_cjk_token() -> None:
    assert is_cjk_token("公交")
    assert is_cjk_token("〇")
    assert not is_cjk_token("pm2.5")
    assert not is_cjk_token("公交a")
    assert not is_cjk_token("")


@pytest.mark.parametrize(("term", "words"), [
    # jieba's words, each as its bigrams: they need not stand side by side.
    ("浦东空气质量", [["浦东"], ["空气", "气质", "质量"]]),
    ("空气质量预报长三角", [["空气", "气质", "质量"], ["预报"], ["长三", "三角"]]),
    ("公交实时到站", [["公交"], ["实时"], ["到"], ["站"]]),
    ("PM2.5浓度", [["pm2.5"], ["浓度"]]),
])
def test_query_words_are_jieba_words_as_bigrams(term: str, words: list[list[str]]) -> None:
    assert [word[0] for word in query_words(term, NONE)] == words


def test_a_word_jieba_does_not_know_falls_back_to_its_bigrams() -> None:
    words = query_words("沪嘉甬苏", NONE)
    lexemes = [lexeme for word in words for lexeme in word[0]]
    assert set(lexemes) <= set(index_tokens("沪嘉甬苏", NONE))


def test_synonyms_are_alternatives_of_a_word() -> None:
    assert query_words("医院") == [[["医院"], ["医疗", "疗机", "机构"]]]
    assert query_words("地铁")[0][1] == ["轨道", "道交", "交通"]
    assert query_words("医院", NONE) == [[["医院"]]]


def test_synonym_groups_are_the_documented_list() -> None:
    groups = synonym_groups()
    for pair in (("地铁", "轨道交通"), ("公交", "公共汽车"), ("公交", "巴士"),
                 ("医院", "医疗机构"), ("停车场", "停车库")):
        assert any(set(pair) <= set(group) for group in groups), pair
    words = [word for group in groups for word in group]
    assert len(words) == len(set(words)), "a word is in one group only"


def test_text_is_indexed_under_the_synonyms_it_mentions() -> None:
    tokens = index_tokens("医疗机构名录")
    assert "医院" in tokens
    assert "医院" not in index_tokens("医疗机构名录", NONE)


def test_traditional_folds_to_simplified_in_index_and_query() -> None:
    assert query_words("停車場", NONE) == [[["停車", "車場"]]]
    assert query_words("停車場")[0][0] == ["停车", "车场"]
    assert "停车" in index_tokens("停車場")


def test_pinyin_and_initials_only_when_asked() -> None:
    tokens = index_tokens("公交线路", pinyin=True)
    assert {"gongjiao", "gj", "gongjiaoxianlu", "gjxl"} <= set(tokens)
    assert "gongjiao" not in index_tokens("公交线路")
    assert "gongjiao" not in index_tokens("公交线路", Variants(pinyin=False), pinyin=True)


def test_the_sequence_keeps_bigrams_in_order_for_phrases() -> None:
    sequence = index_sequence("公交线路 公交 bus stop", NONE)
    assert sequence[:6] == ["公交", "交线", "线路", "公交", "bus", "stop"]
    assert phrase_lexemes("公交线路", NONE) == ["公交", "交线", "线路"]
    assert phrase_lexemes("公交 线路", NONE) == ["公交", "交线", "线路"]
    assert phrase_lexemes("bus stop") == ["bus", "stop"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_tokens_postgres_keeps_whole(text: str) -> None:
    for token in index_tokens(text, pinyin=True) + query_lexemes(text) + phrase_lexemes(text):
        assert token and len(token) <= 256
        assert not any(c.isspace() for c in token)
