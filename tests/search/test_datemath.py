"""Tests of Solr date math in range bounds (ckanext.shanghai.search.datemath)."""
from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckanext.shanghai.search.datemath import is_date_math, resolve
from ckanext.shanghai.search.parser import QuerySyntaxError, Range, parse

NOW = datetime(2025, 1, 1, 12, 34, 56, 789_012)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NOW", NOW),
        ("NOW-1DAY", datetime(2024, 12, 31, 12, 34, 56, 789_012)),
        ("NOW/DAY-7DAYS", datetime(2024, 12, 25)),
        ("NOW/MONTH-1MONTH", datetime(2024, 12, 1)),
        ("NOW/YEAR+1YEAR", datetime(2026, 1, 1)),
        ("NOW/HOUR", datetime(2025, 1, 1, 12)),
        ("NOW/MINUTE", datetime(2025, 1, 1, 12, 34)),
        ("NOW/SECOND", datetime(2025, 1, 1, 12, 34, 56)),
        ("NOW/MILLI", datetime(2025, 1, 1, 12, 34, 56, 789_000)),
        ("NOW-90MINUTES+30SECONDS", datetime(2025, 1, 1, 11, 5, 26, 789_012)),
        ("NOW+1DATE", datetime(2025, 1, 2, 12, 34, 56, 789_012)),
        # steps apply left to right: round then add differs from add then round
        ("NOW+1MONTH/YEAR", datetime(2025, 1, 1)),
        ("NOW/YEAR+1MONTH", datetime(2025, 2, 1)),
        # months and years clamp to the month's last day, as Solr's do
        ("2024-03-31-1MONTH", datetime(2024, 2, 29)),
        ("2024-02-29+1YEAR", datetime(2025, 2, 28)),
        ("2023-02-28T00:00:00Z+1YEAR", datetime(2024, 2, 28)),
        ("2024-02-29T06:30:00.250Z/HOUR", datetime(2024, 2, 29, 6)),
        ("2024-02-29T06:30:00.2505009Z", datetime(2024, 2, 29, 6, 30, 0, 250_500)),
        ("2016-01-01T08:15", datetime(2016, 1, 1, 8, 15)),
        ("2016-01-01", datetime(2016, 1, 1)),
        ("now-1day/day", datetime(2024, 12, 31)),
    ],
)
def test_resolve(text: str, expected: datetime) -> None:
    assert is_date_math(text)
    assert resolve(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["", "2016", "2016-01", "2016/01/01", "NOW-1", "NOW 1DAY", "NOW-DAY", "2016-01-01+08:00", "abc"]
)
def test_what_is_not_date_math(text: str) -> None:
    assert not is_date_math(text)
    with pytest.raises(QuerySyntaxError, match="is not a date or date math"):
        resolve(text, NOW)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("NOW-1FORTNIGHT", "unknown date math unit 'FORTNIGHT'"),
        ("NOW/WEEK", "unknown date math unit 'WEEK'"),
        ("2016-13-45", "is not a valid date"),
        ("0000-01-01", "is not a valid date"),
        ("NOW+99999YEARS", "out of range"),
        ("9999-12-31+1DAY", "out of range"),
        ("0001-01-01-1MILLI", "out of range"),
        ("NOW-99999999999999999999DAYS", "out of range"),
        ("NOW+" + "9" * 5000 + "DAYS", "out of range"),
    ],
)
def test_bad_date_math_raises_query_syntax_error(text: str, fragment: str) -> None:
    # The shape is date math, so the compiler hands it to resolve, whose error
    # becomes the 400 the caller sees.
    assert is_date_math(text)
    with pytest.raises(QuerySyntaxError, match=fragment):
        resolve(text, NOW)


_UNITS = ["YEAR", "YEARS", "MONTHS", "DAY", "DAYS", "DATE", "HOURS", "MINUTE", "SECONDS", "MILLI"]
_STARTS = st.one_of(
    st.sampled_from(["NOW", "now", "Now", ""]),
    st.builds(
        "{:04d}-{:02d}-{:02d}{}".format,
        st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99),
        st.sampled_from(["", "T00:00", "T23:59:59", "T12:30:00.123456789Z", "Z", "T99:99:99Z"]),
    ),
    st.text(max_size=12),
)
_STEPS = st.one_of(
    st.builds("{}{}{}".format, st.sampled_from("+-"), st.integers(0, 10**25),
              st.one_of(st.sampled_from(_UNITS), st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=8))),
    st.builds("/{}".format, st.one_of(st.sampled_from(_UNITS), st.text(max_size=4))),
    st.text(max_size=3),
)
_DATE_MATH = st.builds("".join, st.tuples(_STARTS, st.lists(_STEPS, max_size=6).map("".join)))


@settings(max_examples=500, deadline=None)
@given(text=_DATE_MATH)
def test_any_date_math_resolves_or_raises_query_syntax_error(text: str) -> None:
    try:
        moment = resolve(text, NOW)
    except QuerySyntaxError as error:
        assert error.message.startswith("Invalid search query: ")
    else:
        assert is_date_math(text)
        assert isinstance(moment, datetime)


@settings(max_examples=200, deadline=None)
@given(text=_DATE_MATH)
def test_any_date_math_bound_parses_or_raises_query_syntax_error(text: str) -> None:
    # Through the parser too, as a range bound reaches the compiler.
    with contextlib.suppress(QuerySyntaxError):
        node = parse(f"release_date:[{text} TO NOW]")
        assert isinstance(node, Range)
        if node.low is not None and is_date_math(node.low):
            resolve(node.low, NOW)


@given(days=st.integers(-700_000, 2_000_000), unit=st.sampled_from(["DAY", "DAYS", "DATE"]))
def test_adding_days_is_timedelta_arithmetic(days: int, unit: str) -> None:
    text = f"NOW{'+' if days >= 0 else '-'}{abs(days)}{unit}"
    try:
        expected = NOW + timedelta(days=days)
    except OverflowError:
        with pytest.raises(QuerySyntaxError, match="out of range"):
            resolve(text, NOW)
    else:
        assert resolve(text, NOW) == expected


@given(start=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
       unit=st.sampled_from(["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "MILLI"]))
def test_rounding_is_idempotent_and_never_later(start: datetime, unit: str) -> None:
    once = resolve(f"NOW/{unit}", start)
    assert once <= start
    assert resolve(f"NOW/{unit}/{unit}", start) == once
