"""The generator language of the seed specs: value generators, frames, columns, tables.

How a spec becomes rows
    A ``Table`` lists ``Column``s; each column has a ``Gen`` (a value generator that
    knows its Table Schema type). Rows are generated column by column with a
    ``RowContext`` that remembers the row's district, street, road and coordinates, so
    an address, its district and its coordinates agree. A table's optional ``frame``
    supplies one item per row (a real hospital, a street, a month × district cell…);
    columns read item values through ``item(...)`` or template variables.
"""
from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog_seed.identifiers import make_credit_code
from catalog_seed.places import (
    DISTRICT_BY_NAME,
    DISTRICT_NAMES,
    LAT_RANGE,
    LON_RANGE,
    MUNICIPAL_DIVISION,
    District,
    short_name,
)

__all__ = [
    "ADDRESS", "ADDRESS_COL", "after", "banded", "BRAND_CHARS", "C", "clock", "col", "Column", "company",
    "credit_code", "CREDIT_CODE_COL", "cross", "day", "days", "derived", "DISTRICT", "DISTRICT_COL", "ds", "fixed",
    "flag", "Frame", "Gen", "HASH", "ints", "item", "LATITUDE", "LONGITUDE", "lookup", "moment", "MONTH_COL",
    "months", "N", "nums", "padded", "Period", "PERSON", "PHONE", "PHONE_COL", "pick", "PLACE", "PLATE", "POINT",
    "quarters", "random_day", "ratio_banded", "remainder", "ROAD", "RowContext", "sampled", "scaled", "share",
    "since", "Spec", "STREET", "STREET_COL", "SURNAMES", "Table", "texts", "texts_by", "times", "U", "Values",
    "YEAR_COL", "years",
]

# The open types (open_type) as the specs write them.
U, C, N = "unconditional", "conditional", "non_open"


@dataclass(frozen=True)
class Period:
    """The temporal coverage of a dataset; generated dates fall inside it."""

    start: dt.date
    end: dt.date


@dataclass
class RowContext:
    """What a value generator sees: the random source, the row so far and its frame item.

    ``district``, ``street``, ``road`` and ``point`` are chosen once per row (or taken
    from the frame item), so every column of a row describes the same place.
    """

    rng: random.Random
    index: int
    period: Period
    item: Mapping[str, Any]
    districts: Sequence[str]
    values: dict[str, Any] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def _once(self, key: str, make: Callable[[], Any]) -> Any:
        if key in self.item:
            return self.item[key]
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def district(self) -> str:
        return self._once("district", lambda: self.rng.choices(
            self.districts, [DISTRICT_BY_NAME[name].population for name in self.districts])[0])

    @property
    def street(self) -> str:
        return self._once("street", lambda: self.rng.choice(DISTRICT_BY_NAME[self.district].streets))

    @property
    def road(self) -> str:
        return self._once("road", lambda: self.rng.choice(DISTRICT_BY_NAME[self.district].roads))

    @property
    def point(self) -> tuple[float, float]:
        return self._once("point", lambda: _scatter(self.rng, DISTRICT_BY_NAME[self.district]))

    def other_road(self) -> str:
        """A road of the row's district other than ``road`` (for crossings and sections)."""
        return self.rng.choice([r for r in DISTRICT_BY_NAME[self.district].roads if r != self.road])


def _scatter(rng: random.Random, district: District) -> tuple[float, float]:
    dlon, dlat = district.spread
    lon = min(max(district.lon + rng.uniform(-dlon, dlon), LON_RANGE[0]), LON_RANGE[1])
    lat = min(max(district.lat + rng.uniform(-dlat, dlat), LAT_RANGE[0]), LAT_RANGE[1])
    return round(lon, 6), round(lat, 6)


@dataclass(frozen=True)
class Gen:
    """A value generator with the Table Schema type (and constraints) of what it makes."""

    type: str
    make: Callable[[RowContext], Any]
    constraints: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self, ctx: RowContext) -> Any:
        return self.make(ctx)


BRAND_CHARS = "华申浦海锦金新明恒宏瑞嘉永天鼎博众佳康润维乐智云星合安德和信达盛丰泰元广隆兴荣昌远景汇通"
SURNAMES = ("王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
            "魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏傅方邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严戴孔汤")


def _brand(rng: random.Random) -> str:
    first, second = rng.sample(BRAND_CHARS, 2)
    return first + second


class _TemplateVars:
    """Resolves ``{name}`` in templates: choices, place words, earlier columns, frame items."""

    PLACE_VARS: dict[str, Callable[[RowContext], Any]] = {
        "district": lambda c: c.district,
        "district_short": lambda c: short_name(c.district, ("新区", "区")),
        "street": lambda c: c.street,
        "street_short": lambda c: short_name(c.street, ("街道",)),
        "road": lambda c: c.road,
        "road2": lambda c: c.other_road(),
        "cross": lambda c: c.other_road(),
        "num": lambda c: c.rng.randint(1, 1500),
        "n": lambda c: c.index + 1,
        "brand": lambda c: _brand(c.rng),
        "year": lambda c: c.period.end.year,
    }

    def __init__(self, ctx: RowContext, choices: Mapping[str, Sequence[str]]) -> None:
        self.ctx = ctx
        self.choices = choices

    def __getitem__(self, key: str) -> Any:
        if key in self.choices:
            return self.ctx.rng.choice(self.choices[key])
        if key in self.PLACE_VARS:
            return self.PLACE_VARS[key](self.ctx)
        if key in self.ctx.values:
            return self.ctx.values[key]
        return self.ctx.item[key]


def texts(*templates: str, **choices: Sequence[str]) -> Gen:
    """A string from one of ``templates`` (chosen at random), e.g. ``"{road}{brand}停车场"``.

    Variables: district, district_short, street, street_short, road, road2/cross (other
    roads of the district), street_short (without 街道), num (1–1500), n (row number), brand (two characters), year
    (end of coverage), any keyword given here (a random choice from its list), any
    earlier column and any key of the frame item.
    """
    return Gen("string", lambda c: c.rng.choice(templates).format_map(_TemplateVars(c, choices)))


def texts_by(column: str, templates: Mapping[str, Sequence[str]], **choices: Sequence[str]) -> Gen:
    """Like ``texts`` with the templates chosen by an earlier column's value (a school's stage …)."""
    return Gen("string", lambda c: c.rng.choice(templates[c.values[column]]).format_map(_TemplateVars(c, choices)))


def pick(*options: Any, weights: Sequence[float] | None = None) -> Gen:
    """One of ``options``; typed from the options, constrained to them."""
    kind = "integer" if all(isinstance(o, int) for o in options) else "string"
    return Gen(kind, lambda c: c.rng.choices(options, weights)[0], {"enum": list(options)})


def ints(low: int, high: int) -> Gen:
    return Gen("integer", lambda c: c.rng.randint(low, high), {"minimum": low, "maximum": high})


def nums(low: float, high: float, digits: int = 1) -> Gen:
    return Gen("number", lambda c: round(c.rng.uniform(low, high), digits),
               {"minimum": low, "maximum": high})


def flag(p_true: float) -> Gen:
    return Gen("boolean", lambda c: c.rng.random() < p_true)


def derived(kind: str, make: Callable[[RowContext], Any]) -> Gen:
    """A value computed from the row so far (``c.values``), the frame item or the period."""
    return Gen(kind, make)


def item(key: str, kind: str = "string", otherwise: Gen | None = None) -> Gen:
    """The frame item's ``key``; rows whose item lacks it use ``otherwise``."""
    def make(c: RowContext) -> Any:
        if key in c.item or otherwise is None:
            return c.item[key]
        return otherwise(c)
    return Gen(otherwise.type if otherwise else kind, make)


def share(column: str, low: float, high: float, digits: int | None = None) -> Gen:
    """An earlier numeric column times a factor in [low, high]: an integer, or a number with ``digits``."""
    def make(c: RowContext) -> float | int:
        value = c.values[column] * c.rng.uniform(low, high)
        return round(value) if digits is None else round(value, digits)
    return Gen("integer" if digits is None else "number", make)


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def day() -> Gen:
    """A date inside the dataset's coverage."""
    return Gen("date", lambda c: random_day(c.rng, c.period.start, c.period.end))


def since(year: int) -> Gen:
    """A date between 1 January ``year`` and the end of coverage (founding dates and the like)."""
    return Gen("date", lambda c: random_day(c.rng, dt.date(year, 1, 1), c.period.end))


def after(column: str, low_days: int, high_days: int) -> Gen:
    """A date ``low_days``–``high_days`` after an earlier date column (negative: before it)."""
    return Gen("date", lambda c: c.values[column] + dt.timedelta(days=c.rng.randint(low_days, high_days)))


def moment(first_hour: int = 0, last_hour: int = 23) -> Gen:
    """A datetime (to the second) inside the coverage, between the given hours of the day."""
    def make(c: RowContext) -> dt.datetime:
        date = random_day(c.rng, c.period.start, c.period.end)
        return dt.datetime.combine(date, dt.time(c.rng.randint(first_hour, last_hour),
                                                 c.rng.randrange(60), c.rng.randrange(60)))
    return Gen("datetime", make)


def clock(first_hour: int, last_hour: int) -> Gen:
    """A time of day as "HH:MM" (five-minute steps)."""
    return Gen("string", lambda c: f"{c.rng.randint(first_hour, last_hour):02d}:{c.rng.randrange(0, 60, 5):02d}",
               {"pattern": r"[0-2]\d:[0-5]\d"})


def credit_code(registrar: str = "91") -> Gen:
    """A unified social credit code; most are registered in the row's district, some city-wide."""
    def make(c: RowContext) -> str:
        division = DISTRICT_BY_NAME[c.district].code if c.rng.random() < 0.7 else MUNICIPAL_DIVISION
        return make_credit_code(c.rng, registrar, division)
    return Gen("string", make, {"pattern": "[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}"})


def company(*trades: str) -> Gen:
    """A company name such as 上海瑞丰科技有限公司."""
    return texts("上海{brand}{trade}有限公司", trade=trades or ("科技", "贸易", "实业", "信息技术", "商务咨询"))


DISTRICT = Gen("string", lambda c: c.district, {"enum": list(DISTRICT_NAMES)})
STREET = Gen("string", lambda c: c.street)
ROAD = Gen("string", lambda c: c.road)
ADDRESS = texts("上海市{district}{road}{num}号")
LONGITUDE = Gen("number", lambda c: c.point[0], {"minimum": LON_RANGE[0], "maximum": LON_RANGE[1]})
LATITUDE = Gen("number", lambda c: c.point[1], {"minimum": LAT_RANGE[0], "maximum": LAT_RANGE[1]})
PHONE = Gen("string", lambda c: f"021-{c.rng.choice('23456')}{c.rng.randrange(10**7):07d}",
            {"pattern": r"021-\d{8}"})
PERSON = Gen("string", lambda c: c.rng.choice(SURNAMES) + "**")
HASH = Gen("string", lambda c: f"{c.rng.getrandbits(64):016x}", {"pattern": "[0-9a-f]{16}"})
PLATE = Gen("string", lambda c: f"沪{c.rng.choice('ABDE')}{c.rng.randint(10000, 99999)}")


Frame = Callable[[random.Random, Period], Sequence[Mapping[str, Any]]]
Values = Sequence[Any] | Callable[[Period], Sequence[Any]]


def fixed(items: Sequence[Mapping[str, Any]]) -> Frame:
    return lambda rng, period: items


def padded(items: Sequence[Mapping[str, Any]], total: int) -> Frame:
    """The given items, then empty items up to ``total`` rows (filled by ``item(..., otherwise=...)``)."""
    return lambda rng, period: [*items, *({} for _ in range(total - len(items)))]


def sampled(items: Sequence[Mapping[str, Any]], count: int) -> Frame:
    """``count`` items drawn without replacement, kept in their original order."""
    return lambda rng, period: sorted(rng.sample(list(items), count), key=list(items).index)


def cross(*dimensions: tuple[str, Values]) -> Frame:
    """The Cartesian product of named dimensions; mapping values are merged into the item."""
    def frame(rng: random.Random, period: Period) -> list[dict[str, Any]]:
        axes = [[(key, v) for v in (values(period) if callable(values) else values)]
                for key, values in dimensions]
        rows = []
        for combination in itertools.product(*axes):
            row: dict[str, Any] = {}
            for key, value in combination:
                row.update(value if isinstance(value, Mapping) else {key: value})
            rows.append(row)
        return rows
    return frame


def months(count: int) -> Callable[[Period], list[str]]:
    """The last ``count`` months of the coverage as "YYYY-MM" (Table Schema yearmonth)."""
    def values(period: Period) -> list[str]:
        last = period.end.year * 12 + period.end.month - 1
        return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(last - count + 1, last + 1)]
    return values


def quarters(count: int) -> Callable[[Period], list[str]]:
    def values(period: Period) -> list[str]:
        last = period.end.year * 4 + (period.end.month - 1) // 3
        return [f"{q // 4}Q{q % 4 + 1}" for q in range(last - count + 1, last + 1)]
    return values


def years(count: int) -> Callable[[Period], list[int]]:
    """The last ``count`` complete years before the end of coverage."""
    return lambda period: list(range(period.end.year - count, period.end.year))


def days(count: int) -> Callable[[Period], list[dt.date]]:
    return lambda period: [period.end - dt.timedelta(days=count - 1 - i) for i in range(count)]


def times(first_hour: int, count: int, step_minutes: int) -> Callable[[Period], list[dt.datetime]]:
    """``count`` timestamps on the last day of coverage, ``step_minutes`` apart."""
    def values(period: Period) -> list[dt.datetime]:
        start = dt.datetime.combine(period.end, dt.time(first_hour))
        return [start + dt.timedelta(minutes=step_minutes * i) for i in range(count)]
    return values


@dataclass(frozen=True)
class Column:
    """One column: ascii ``name`` (the file header), Chinese ``title`` and its generator."""

    name: str
    title: str
    gen: Gen
    description: str = ""

    def schema_field(self, required: bool) -> dict[str, Any]:
        descriptor: dict[str, Any] = {"name": self.name, "title": self.title, "type": self.gen.type}
        if self.description:
            descriptor["description"] = self.description
        constraints = dict(self.gen.constraints)
        if required:
            constraints["required"] = True
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor


def col(name: str, title: str, gen: Gen, description: str = "") -> Column:
    return Column(name, title, gen, description)


@dataclass(frozen=True)
class Table:
    """One data file: its columns, how many rows (or a frame) and its format."""

    columns: tuple[Column, ...]
    rows: int = 150
    frame: Frame | None = None
    key: tuple[str, ...] = ()
    xlsx: bool = False
    districts: tuple[str, ...] = DISTRICT_NAMES  # where rows without a district of their own fall
    part: str = ""  # for a dataset's second file: filename suffix, and
    part_title: str = ""  # the Chinese resource-name suffix


@dataclass(frozen=True)
class Spec:
    """A seed dataset as written in the domain tables."""

    name: str
    title: str
    title_en: str
    org: str
    open_type: str
    frequency: str
    tags: tuple[str, ...]
    scenarios: tuple[str, ...]
    tables: tuple[Table, ...]
    about: str = ""
    conditions: str = ""


def ds(name: str, title: str, title_en: str, org: str, open_type: str, frequency: str,
       tags: str, scenarios: str, *tables: Table, about: str = "", conditions: str = "") -> Spec:
    """A dataset spec; ``tags`` and ``scenarios`` are space-separated."""
    return Spec(name, title, title_en, org, open_type, frequency, tuple(tags.split()),
                tuple(scenarios.split()), tables, about, conditions)


DISTRICT_COL = col("district", "所属区", DISTRICT)
STREET_COL = col("street", "所属街镇", STREET)
ADDRESS_COL = col("address", "地址", ADDRESS)
PHONE_COL = col("phone", "联系电话", PHONE)
CREDIT_CODE_COL = col("credit_code", "统一社会信用代码", credit_code(), "18位统一社会信用代码（GB 32100-2015）")
POINT = (col("longitude", "经度", LONGITUDE, "WGS-84坐标系经度"),
         col("latitude", "纬度", LATITUDE, "WGS-84坐标系纬度"))
PLACE = (DISTRICT_COL, ADDRESS_COL)
MONTH_COL = col("month", "统计月份", item("month", "yearmonth"))
YEAR_COL = col("year", "统计年度", item("year", "integer"))


def scaled(low: float, high: float, digits: int | None = None) -> Gen:
    """A district total: the district's population (10,000s) times a factor in [low, high]."""
    def make(c: RowContext) -> float | int:
        value = DISTRICT_BY_NAME[c.district].population * c.rng.uniform(low, high)
        return round(value) if digits is None else round(value, digits)
    return Gen("integer" if digits is None else "number", make)


def _band(value: float, bands: Sequence[tuple[float, str]]) -> str:
    """The label of the first band whose upper bound is at least ``value`` (the last otherwise)."""
    return next((label for bound, label in bands if value <= bound), bands[-1][1])


def banded(column: str, bands: Sequence[tuple[float, str]]) -> Gen:
    """A label for an earlier numeric column, e.g. an AQI level."""
    return Gen("string", lambda c: _band(c.values[column], bands), {"enum": [label for _, label in bands]})


def ratio_banded(part: str, whole: str, bands: Sequence[tuple[float, str]]) -> Gen:
    """A label for ``part / whole`` of two earlier columns, e.g. a car park's occupancy."""
    return Gen("string", lambda c: _band(c.values[part] / max(c.values[whole], 1), bands),
               {"enum": [label for _, label in bands]})


def lookup(column: str, table: Mapping[str, str]) -> Gen:
    """The value ``table`` maps an earlier column to (e.g. a licence type → its issuing agency)."""
    return Gen("string", lambda c: table[c.values[column]])


def remainder(total: str, *parts: str) -> Gen:
    """``total`` minus the given earlier columns (keeps breakdowns summing to their total)."""
    return Gen("integer", lambda c: c.values[total] - sum(c.values[p] for p in parts))
