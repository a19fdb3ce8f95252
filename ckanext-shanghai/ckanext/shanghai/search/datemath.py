"""Solr date math in range bounds: ``NOW-1DAY``, ``NOW/DAY-7DAYS``, ``2016-01-01+1YEAR``.

A bound is ``NOW`` or an ISO date or datetime, followed by any number of steps:
``+N<UNIT>`` and ``-N<UNIT>`` add and subtract, ``/<UNIT>`` rounds down, applied
left to right as Solr's ``DateMathParser`` does.  Year and month steps clamp to the
last day of the month (``2024-03-31-1MONTH`` is 2024-02-29).  Unlike Solr, letters
may be in any case (``now-1day``).  Instants are naive UTC, as CKAN's timestamp
columns are; a time zone suffix other than ``Z`` is not accepted.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from .parser import QuerySyntaxError

__all__ = ["is_date_math", "resolve"]

# NOW or an ISO date/datetime, then any of +N<UNIT>, -N<UNIT>, /<UNIT>.
_DATE_MATH_RE = re.compile(
    r"(?:NOW|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?)?Z?)"
    r"(?:[+-][0-9]+[A-Z]+|/[A-Z]+)*"
)
_DATE_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?)?Z?"
)
_MATH_STEP_RE = re.compile(r"([+-])([0-9]+)([A-Z]+)|/([A-Z]+)")
_UNITS: Mapping[str, str] = {
    "YEAR": "year", "YEARS": "year",
    "MONTH": "month", "MONTHS": "month",
    "DAY": "day", "DAYS": "day", "DATE": "day",
    "HOUR": "hour", "HOURS": "hour",
    "MINUTE": "minute", "MINUTES": "minute",
    "SECOND": "second", "SECONDS": "second",
    "MILLI": "milli", "MILLIS": "milli", "MILLISECOND": "milli", "MILLISECONDS": "milli",
}
_FIXED_UNITS: Mapping[str, timedelta] = {
    "day": timedelta(days=1),
    "hour": timedelta(hours=1),
    "minute": timedelta(minutes=1),
    "second": timedelta(seconds=1),
    "milli": timedelta(milliseconds=1),
}


def is_date_math(text: str) -> bool:
    """True when ``text`` has the shape of a date bound; ``resolve`` checks the rest.

    Units are not checked here, so that ``NOW-1FORTNIGHT`` is reported as date math
    with an unknown unit rather than compared as a string.
    """
    return _DATE_MATH_RE.fullmatch(text.upper()) is not None


def resolve(text: str, now: datetime) -> datetime:
    """The instant a date bound names, ``NOW`` being ``now`` (naive UTC).

    Raises ``QuerySyntaxError`` (and nothing else) for text that is not date math,
    an impossible date, an unknown unit or a result outside the years 1 to 9999.
    """
    text = text.upper()
    if _DATE_MATH_RE.fullmatch(text) is None:
        raise QuerySyntaxError(f"Invalid search query: {text!r} is not a date or date math")
    if text.startswith("NOW"):
        moment, rest = now, text[3:]
    else:
        match = _DATE_RE.match(text)
        assert match is not None  # guaranteed by _DATE_MATH_RE
        year, month, day, hour, minute, second, fraction = match.groups()
        try:
            moment = datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                int(second or 0), int((fraction or "0")[:6].ljust(6, "0")),
            )
        except ValueError as error:
            raise QuerySyntaxError(f"Invalid search query: {text!r} is not a valid date ({error})") from None
        rest = text[match.end():]
    # (unit, signed amount to add), or (unit, None) to round down to the unit.
    steps: list[tuple[str, str | None]] = []
    for step in _MATH_STEP_RE.finditer(rest):
        sign, amount, unit_name, round_unit_name = step.groups()
        name = unit_name or round_unit_name
        unit = _UNITS.get(name)
        if unit is None:
            raise QuerySyntaxError(
                f"Invalid search query: unknown date math unit {name!r} in {text!r}; "
                "use YEARS, MONTHS, DAYS, HOURS, MINUTES, SECONDS or MILLIS"
            )
        steps.append((unit, None) if round_unit_name else (unit, sign + amount))
    try:
        for unit, amount in steps:
            if amount is None:
                moment = _round_down(moment, unit)
                continue
            count = int(amount)
            if unit == "year":
                moment = _add_months(moment, 12 * count)
            elif unit == "month":
                moment = _add_months(moment, count)
            else:
                moment = moment + _FIXED_UNITS[unit] * count
    except (OverflowError, ValueError):
        raise QuerySyntaxError(f"Invalid search query: the date {text!r} is out of range") from None
    return moment


def _add_months(moment: datetime, months: int) -> datetime:
    year, month0 = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


def _round_down(moment: datetime, unit: str) -> datetime:
    if unit == "milli":
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    moment = moment.replace(microsecond=0)
    if unit == "second":
        return moment
    moment = moment.replace(second=0)
    if unit == "minute":
        return moment
    moment = moment.replace(minute=0)
    if unit == "hour":
        return moment
    moment = moment.replace(hour=0)
    if unit == "day":
        return moment
    moment = moment.replace(day=1)
    return moment if unit == "month" else moment.replace(month=1)
