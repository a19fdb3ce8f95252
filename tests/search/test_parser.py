"""Tests of the Solr/Lucene query parser (ckanext.shanghai.search.parser)."""
from __future__ import annotations

import contextlib
import random

import pytest

from ckanext.shanghai.search.parser import (
    MAX_CLAUSES,
    MAX_DEPTH,
    And,
    Exists,
    MatchAll,
    Node,
    Not,
    Or,
    QuerySyntaxError,
    Range,
    Term,
    parse,
    parse_lenient,
)


def t(field: str | None, value: str, *, phrase: bool = False, wildcard: bool = False) -> Term:
    return Term(field, value, phrase=phrase, wildcard=wildcard)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # match all
        ("*:*", MatchAll()),
        ("", MatchAll()),
        ("   ", MatchAll()),
        ("*", MatchAll()),
        # terms, fields, phrases
        ("公交", t(None, "公交")),
        ("tags:公交", t("tags", "公交")),
        ('tags:"公交 线路"', t("tags", "公交 线路", phrase=True)),
        ('"公交 线路"', t(None, "公交 线路", phrase=True)),
        ("title : bus", t("title", "bus")),
        ("creator_user_id:abc-123-def", t("creator_user_id", "abc-123-def")),
        ("extras_x.y:1", t("extras_x.y", "1")),
        # field groups
        (
            'res_format:(CSV OR XLSX OR "MS Excel")',
            Or((t("res_format", "CSV"), t("res_format", "XLSX"), t("res_format", "MS Excel", phrase=True))),
        ),
        ("tags:(a b)", And((t("tags", "a"), t("tags", "b")))),
        ("tags:(a OR name:b)", Or((t("tags", "a"), t("name", "b")))),
        # boolean operators and precedence
        ("a b", And((t(None, "a"), t(None, "b")))),
        ("a AND b", And((t(None, "a"), t(None, "b")))),
        ("a && b", And((t(None, "a"), t(None, "b")))),
        ("a OR b", Or((t(None, "a"), t(None, "b")))),
        ("a || b", Or((t(None, "a"), t(None, "b")))),
        ("NOT a", Not(t(None, "a"))),
        ("!a", Not(t(None, "a"))),
        ("-a", Not(t(None, "a"))),
        ("+a", t(None, "a")),
        ("a NOT b", And((t(None, "a"), Not(t(None, "b"))))),
        ("a AND NOT b", And((t(None, "a"), Not(t(None, "b"))))),
        ("a OR -b", Or((t(None, "a"), Not(t(None, "b"))))),
        ("a b OR c", Or((And((t(None, "a"), t(None, "b"))), t(None, "c")))),
        ("a OR b c", Or((t(None, "a"), And((t(None, "b"), t(None, "c")))))),
        (
            "+a +b -c d",
            And((t(None, "a"), t(None, "b"), Not(t(None, "c")), t(None, "d"))),
        ),
        ("(a OR b) c", And((Or((t(None, "a"), t(None, "b"))), t(None, "c")))),
        ("((a))", t(None, "a")),
        ("(a b) c", And((t(None, "a"), t(None, "b"), t(None, "c")))),
        ("-(a OR b)", Not(Or((t(None, "a"), t(None, "b"))))),
        ("and or not", And((t(None, "and"), t(None, "or"), t(None, "not")))),
        ("a&b c|d", And((t(None, "a&b"), t(None, "c|d")))),
        # ranges
        ("x:[1 TO 5]", Range("x", "1", "5", True, True)),
        ("x:{1 TO 5}", Range("x", "1", "5", False, False)),
        ("x:[1 TO 5}", Range("x", "1", "5", True, False)),
        ("x:{1 TO 5]", Range("x", "1", "5", False, True)),
        ("record_count:[100 TO *]", Range("record_count", "100", None, True, True)),
        ("x:[* TO 5]", Range("x", None, "5", True, True)),
        (
            "metadata_modified:[2016-01-01T00:00:00Z TO NOW]",
            Range("metadata_modified", "2016-01-01T00:00:00Z", "NOW", True, True),
        ),
        (
            "metadata_modified:[NOW/DAY-7DAYS TO NOW/DAY+1DAY]",
            Range("metadata_modified", "NOW/DAY-7DAYS", "NOW/DAY+1DAY", True, True),
        ),
        ('x:["a b" TO "c d"]', Range("x", "a b", "c d", True, True)),
        ('x:["*" TO z]', Range("x", "*", "z", True, True)),
        ("x:[  1   TO   5  ]", Range("x", "1", "5", True, True)),
        ("[1 TO 5]", Range(None, "1", "5", True, True)),
        # existence
        ("x:*", Exists("x")),
        ("x:[* TO *]", Exists("x")),
        ("x:(*)", Exists("x")),
        ("-x:*", Not(Exists("x"))),
        # wildcards
        ("abc*", t(None, "abc", wildcard=True)),
        ("name:bus*", t("name", "bus", wildcard=True)),
        ("公交*", t(None, "公交", wildcard=True)),
        (r"name:bus\*", t("name", "bus*")),
        ("公交怎么走?", t(None, "公交怎么走?")),
        ("a*b", t(None, "a*b")),
        # escapes
        (r"a\:b", t(None, "a:b")),
        (r"name:a\-b\ c", t("name", "a-b c")),
        (r'"say \"hi\""', t(None, 'say "hi"', phrase=True)),
        (r"\AND", t(None, "AND")),
        (r"x:\-1", t("x", "-1")),
        # unsupported-but-harmless: boosts, fuzziness, slop are dropped
        ("title:bus^2", t("title", "bus")),
        ("bus~", t(None, "bus")),
        ("bus~2 x", And((t(None, "bus"), t(None, "x")))),
        ('"a b"~3', t(None, "a b", phrase=True)),
        ("(a OR b)^1.5", Or((t(None, "a"), t(None, "b")))),
        # date math stays a string outside ranges too
        ("x:NOW/DAY-1DAY", t("x", "NOW/DAY-1DAY")),
        # ideographic space separates terms
        ("公交\u3000线路", And((t(None, "公交"), t(None, "线路")))),
    ],
)
def test_parse(query: str, expected: Node) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            '+capacity:public +state:(active OR draft)',
            And((t("capacity", "public"), Or((t("state", "active"), t("state", "draft"))))),
        ),
        ('+site_id:"default"', t("site_id", "default", phrase=True)),
        (
            '+permission_labels:("public" OR "member-x" OR "creator-u1")',
            Or((
                t("permission_labels", "public", phrase=True),
                t("permission_labels", "member-x", phrase=True),
                t("permission_labels", "creator-u1", phrase=True),
            )),
        ),
        ("+dataset_type:dataset", t("dataset_type", "dataset")),
        (
            ' tags:"公交" res_format:"CSV" +dataset_type:dataset',
            And((
                t("tags", "公交", phrase=True),
                t("res_format", "CSV", phrase=True),
                t("dataset_type", "dataset"),
            )),
        ),
        (
            'name_ngram:"bus" OR title_ngram:"bus" OR name:"bus" OR title:"bus"',
            Or((
                t("name_ngram", "bus", phrase=True),
                t("title_ngram", "bus", phrase=True),
                t("name", "bus", phrase=True),
                t("title", "bus", phrase=True),
            )),
        ),
        (
            'name:"bus-lines" OR id:"bus-lines"',
            Or((t("name", "bus-lines", phrase=True), t("id", "bus-lines", phrase=True))),
        ),
        (
            '+site_id:"default" +entity_type:package',
            And((t("site_id", "default", phrase=True), t("entity_type", "package"))),
        ),
        (' owner_org:"0f6f-42"', t("owner_org", "0f6f-42", phrase=True)),
    ],
)
def test_parse_ckan_filter_queries(query: str, expected: Node) -> None:
    """The fq strings CKAN's package_search, autocomplete and dataset pages build."""
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "column", "fragment"),
    [
        ("(a", 1, "'(' is never closed"),
        ("(a OR (b)", 1, "'(' is never closed"),
        ("a)", 2, "')' has no matching '('"),
        ("()", 1, "empty parentheses"),
        ('"abc', 1, "unterminated quoted phrase"),
        ('tags:"abc', 6, "unterminated quoted phrase"),
        (":x", 1, "empty field name"),
        ("x:", 3, "expected a value after 'x:'"),
        ("x: AND y", 3, "expected a value after 'x:'"),
        ("1x:y", 1, "invalid field name"),
        ("x:[a b]", 6, "expected 'TO'"),
        ("x:[a TO]", 8, "expected the upper bound"),
        ("x:[ TO b]", 5, "expected the lower bound of the range before 'TO'"),
        ("x:[]", 4, "expected the lower bound"),
        ("x:[a TO b", 10, "is not closed"),
        ("a]", 2, "without a matching range opening"),
        ("a AND", 3, "operator 'AND' must be followed by a term"),
        ("a OR", 3, "operator 'OR' must be followed by a term"),
        ("a AND OR b", 3, "operator 'AND' must be followed by a term"),
        ("OR b", 1, "operator 'OR' has no term before it"),
        ("AND", 1, "operator 'AND' has no term before it"),
        ("NOT", 1, "operator 'NOT' must be followed by a term"),
        ("a -", 3, "operator '-' must be followed by a term"),
        ("+", 1, "operator '+' must be followed by a term"),
        ("a !", 3, "operator '!' must be followed by a term"),
        ("a\\", 2, "dangling backslash"),
        ("a ^", 4, "expected a number after '^'"),
        ("^2", 1, "'^2' must follow a term"),
        ("*:x", 1, "'*' can only be a field name in '*:*'"),
        ("x:-1", 3, "cannot start with '-'"),
        ("name:a?c", 6, "unsupported wildcard"),
        ("name:*bus", 6, "unsupported wildcard"),
        ("_query_:x", 1, "magic field"),
        ("a _val_:x", 2, "magic field"),
        ("x:a:b", 4, "unexpected ':'"),
        ("a\x00b", 2, "NUL"),
        ("a\ud800", 2, "surrogate"),
        ("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1), MAX_DEPTH + 1, "nests too deeply"),
        ("-" * (MAX_DEPTH + 1) + "a", MAX_DEPTH + 1, "nests too deeply"),
        (" ".join(["a"] * (MAX_CLAUSES + 1)), 1, "too many clauses"),
    ],
)
def test_syntax_errors_name_the_column_and_the_problem(query: str, column: int, fragment: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert caught.value.column == column
    assert f"at column {column}:" in str(caught.value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("query", ["{!lucene}x", "a {!dismax}", "{!func}sum(1,2)"])
def test_local_parameters_are_refused(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match="local parameters"):
        parse(query)


def test_escaped_local_parameter_braces_are_not_local_parameters() -> None:
    assert parse(r"\{\!x") == t(None, "{!x")


def test_non_string_input_is_a_syntax_error() -> None:
    with pytest.raises(QuerySyntaxError, match="expected a string"):
        parse(["a"])  # type: ignore[arg-type]


def test_query_syntax_error_is_a_value_error() -> None:
    assert issubclass(QuerySyntaxError, ValueError)


def test_deep_but_allowed_nesting_parses() -> None:
    depth = MAX_DEPTH // 2
    assert parse("(" * depth + "a" + ")" * depth) == t(None, "a")


_FUZZ_ALPHABET = [
    *"abcxyzABC019 _-+!&|()[]{}:\"'^~*?\\/.,;@#",
    *("AND", "OR", "NOT", "TO", "*:*", "tags:", "title:", "[1 TO 5]", "{!", "_query_:"),
    *"公交线路停车数据上海。，！？\u3000",
]


def test_fuzz_random_input_parses_or_raises_query_syntax_error() -> None:
    rng = random.Random(20240601)
    outcomes = {"parsed": 0, "rejected": 0}
    for _ in range(2000):
        query = "".join(rng.choice(_FUZZ_ALPHABET) for _ in range(rng.randint(0, 30)))
        try:
            node = parse(query)
        except QuerySyntaxError as error:
            assert error.message
            outcomes["rejected"] += 1
        else:
            assert isinstance(node, (MatchAll, Term, Range, Exists, And, Or, Not))
            outcomes["parsed"] += 1
    # The alphabet is meant to exercise both paths.
    assert outcomes["parsed"] > 100 and outcomes["rejected"] > 100


def test_fuzz_arbitrary_unicode_never_crashes() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        query = "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 20)))
        with contextlib.suppress(QuerySyntaxError):
            parse(query)


def test_parse_lenient_takes_stray_syntax_literally():
    assert parse_lenient("公交(线路") == And((Term(None, "公交"), Term(None, "线路")))
    assert parse_lenient('"公交') == Term(None, "公交")
    assert parse_lenient("()") == MatchAll()
    # well-formed queries keep their meaning
    assert parse_lenient("公交 OR 地铁") == parse("公交 OR 地铁")
    with pytest.raises(QuerySyntaxError):
        parse_lenient("{!lucene}x")
