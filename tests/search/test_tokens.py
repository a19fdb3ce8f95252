"""Tests of the Chinese-aware search tokens (ckanext.shanghai.search.tokens)."""
from __future__ import annotations

import pytest

from ckanext.shanghai.search.tokens import index_tokens, is_cjk_token, query_lexemes


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
        ("公交", ["公交"]),
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
    assert query_lexemes(term) == expected


def test_query_lexemes_are_always_index_tokens_of_the_same_text() -> None:
    for text in ("公交线路基本信息", "上海市PM2.5浓度日报", "Weather 气象观测 2016年12月"):
        assert set(query_lexemes(text)) <= set(index_tokens(text))


def test_is_cjk_token() -> None:
    assert is_cjk_token("公交")
    assert is_cjk_token("〇")
    assert not is_cjk_token("pm2.5")
    assert not is_cjk_token("公交a")
    assert not is_cjk_token("")
