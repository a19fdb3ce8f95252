"""The seed catalogue: dataset metadata and sample data files for the portal.

Pure Python, no CKAN. ``iter_seed_datasets()`` yields one ``SeedDataset`` per entry of
the spec tables below (one table per data domain): a CKAN dataset dict for our
ckanext-scheming schema plus its data files, each with a Frictionless Table Schema.

Determinism
    Every random choice comes from a ``random.Random`` seeded with a string made of
    ``SEED`` and the dataset (and file) name. The standard library hashes string seeds
    with SHA-512, so the output depends neither on ``PYTHONHASHSEED`` nor on the clock
    nor on which datasets were generated before. CSV files are byte-identical between
    runs; XLSX files too (zip timestamps and document properties are pinned).

Catalogue codes (信息资源代码)
    ``A{domain:02d}{item:02d}-{provider code}-{sequence:05d}``: the class letter ``A``
    (open government data), the domain's number in ``DOMAINS`` (01 economy … 12 credit),
    the dataset's position within its domain table (the item), the owning department's
    provider code (提供方代码) and the dataset's running number within that department,
    e.g. ``A0401-SHJTW-00001`` for the first transport dataset.

How a spec becomes rows
    A ``Table`` lists ``Column``s; each column has a ``Gen`` (a value generator that
    knows its Table Schema type). Rows are generated column by column with a
    ``RowContext`` that remembers the row's district, street, road and coordinates, so
    an address, its district and its coordinates agree. A table's optional ``frame``
    supplies one item per row (a real hospital, a street, a month × district cell…);
    columns read item values through ``item(...)`` or template variables.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import yaml

__all__ = [
    "DOMAINS",
    "SeedDataset",
    "SeedFile",
    "is_valid_credit_code",
    "iter_seed_datasets",
    "load_departments",
    "write_seed_files",
]

SEED = "shanghai-open-data-seed-v1"
DEPARTMENTS_PATH = Path(__file__).with_name("departments.yaml")
DISCLAIMER_ZH = "本数据为平台演示用的示例数据，由程序生成，不代表真实情况。"
DISCLAIMER_EN = "Sample data generated for demonstration; not real."

# The twelve data domains (数据领域), in catalogue-code order: code → (中文, English).
DOMAINS: dict[str, tuple[str, str]] = {
    "economy": ("经济建设", "Economic development"),
    "environment": ("资源环境", "Resources & environment"),
    "education": ("教育科技", "Education, science & technology"),
    "transport": ("道路交通", "Road traffic & transport"),
    "society": ("社会发展", "Social development"),
    "safety": ("公共安全", "Public safety"),
    "culture": ("文化休闲", "Culture & leisure"),
    "health": ("卫生健康", "Health"),
    "livelihood": ("民生服务", "Public & livelihood services"),
    "institutions": ("机构团体", "Institutions & organisations"),
    "urban": ("城市建设", "Urban construction"),
    "credit": ("信用服务", "Credit services"),
}

U, C, N = "unconditional", "conditional", "non_open"
SHARE_TYPES = {U: "unconditional", C: "conditional", N: "none"}
LICENSES = {U: "cc-by", C: "other-closed", N: "other-closed"}
OPEN_CONDITIONS = (
    "需签署数据使用协议，暂不向个人开放",
    "需提交数据利用申请，经数据提供部门审核同意后获取",
    "仅向经实名认证的法人用户开放，使用时须注明数据来源",
    "需说明数据用途并签署保密承诺，不得用于商业用途",
)
SODA_CONDITIONS = "仅向SODA大赛通过身份核验的晋级团队开放，需签署数据使用协议"

# update_frequency → (中文, English, max lag of temporal_end behind last_updated in days,
# (min, max) temporal span in days). Spans are long enough for the period frames below.
FREQUENCIES: dict[str, tuple[str, str, int, tuple[int, int]]] = {
    "realtime": ("实时", "in real time", 0, (1, 1)),
    "daily": ("每日", "daily", 1, (60, 365)),
    "weekly": ("每周", "weekly", 7, (180, 730)),
    "monthly": ("每月", "monthly", 31, (800, 1460)),
    "quarterly": ("每季度", "quarterly", 92, (1100, 1825)),
    "semiannual": ("每半年", "every six months", 183, (1100, 1825)),
    "annual": ("每年", "yearly", 365, (1900, 2900)),
    "irregular": ("不定期", "irregularly", 120, (365, 2190)),
}
RELEASE_FIRST = dt.date(2014, 1, 1)
RELEASE_LAST = dt.date(2016, 12, 31)
UPDATE_LAST = dt.date(2017, 6, 30)
MAX_UPDATE_DELAY_DAYS = 540

LON_RANGE = (120.86, 122.19)
LAT_RANGE = (30.68, 31.87)


# ---------------------------------------------------------------------------------
# Geography: the 16 districts, their roads and their 213 streets and towns (街镇)
# ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class District:
    """A district with what the generators need to place things inside it."""

    name: str
    code: str  # administrative division code (行政区划代码)
    population: int  # resident population, 10,000s (2016, rounded)
    area_km2: float
    lon: float
    lat: float
    spread: tuple[float, float]  # half-width of the scatter box in degrees (lon, lat)
    roads: tuple[str, ...]
    streets: tuple[str, ...]


def _district(name: str, code: str, population: int, area: float, lon: float, lat: float,
              dlon: float, dlat: float, roads: str, streets: str) -> District:
    return District(name, code, population, area, lon, lat, (dlon, dlat),
                    tuple(roads.split()), tuple(streets.split()))


DISTRICTS: tuple[District, ...] = (
    _district("黄浦区", "310101", 66, 20.46, 121.484, 31.227, 0.018, 0.014,
              "南京东路 淮海中路 西藏中路 河南中路 中山东一路 复兴中路 人民路 陆家浜路 瑞金二路 制造局路",
              "南京东路街道 外滩街道 半淞园路街道 小东门街道 豫园街道 老西门街道 五里桥街道 打浦桥街道 "
              "淮海中路街道 瑞金二路街道"),
    _district("徐汇区", "310104", 109, 54.76, 121.437, 31.170, 0.030, 0.040,
              "漕溪北路 肇嘉浜路 衡山路 天钥桥路 宜山路 龙华中路 虹桥路 田林路 钦州路 龙吴路",
              "天平路街道 湖南路街道 斜土路街道 枫林路街道 长桥街道 田林街道 虹梅路街道 康健新村街道 "
              "徐家汇街道 凌云路街道 龙华街道 漕河泾街道 华泾镇"),
    _district("长宁区", "310105", 69, 38.30, 121.400, 31.212, 0.040, 0.015,
              "延安西路 天山路 仙霞路 遵义路 古北路 中山西路 愚园路 哈密路 娄山关路 金钟路",
              "华阳路街道 江苏路街道 新华路街道 周家桥街道 天山路街道 仙霞新村街道 虹桥街道 程家桥街道 "
              "北新泾街道 新泾镇"),
    _district("静安区", "310106", 107, 36.88, 121.455, 31.262, 0.020, 0.035,
              "南京西路 北京西路 延安中路 共和新路 天目西路 万航渡路 平型关路 广中西路 江场西路 灵石路",
              "江宁路街道 石门二路街道 南京西路街道 静安寺街道 曹家渡街道 天目西路街道 北站街道 宝山路街道 "
              "共和新路街道 大宁路街道 彭浦新村街道 临汾路街道 芷江西路街道 彭浦镇"),
    _district("普陀区", "310107", 129, 54.83, 121.405, 31.255, 0.040, 0.025,
              "曹杨路 真北路 武宁路 中山北路 长寿路 金沙江路 桃浦路 铜川路 大渡河路 岚皋路",
              "曹杨新村街道 长风新村街道 长寿路街道 甘泉路街道 石泉路街道 宜川路街道 真如镇 长征镇 桃浦镇"),
    _district("虹口区", "310109", 80, 23.48, 121.490, 31.275, 0.015, 0.030,
              "四川北路 西江湾路 曲阳路 东大名路 临平路 大连西路 海宁路 广粤路 中山北一路 水电路",
              "欧阳路街道 曲阳路街道 广中路街道 嘉兴路街道 提篮桥街道 北外滩街道 四川北路街道 江湾镇街道"),
    _district("杨浦区", "310110", 131, 60.73, 121.525, 31.285, 0.030, 0.030,
              "四平路 国定路 黄兴路 长阳路 控江路 军工路 淞沪路 平凉路 政立路 殷行路",
              "定海路街道 平凉路街道 江浦路街道 四平路街道 控江路街道 长白新村街道 延吉新村街道 殷行街道 "
              "大桥街道 五角场街道 新江湾城街道 五角场镇"),
    _district("闵行区", "310112", 254, 370.75, 121.420, 31.085, 0.100, 0.060,
              "沪闵路 七莘路 莘松路 虹井路 都市路 剑川路 吴中路 春申路 银都路 浦锦路",
              "江川路街道 古美街道 新虹街道 浦锦街道 莘庄镇 七宝镇 颛桥镇 华漕镇 虹桥镇 梅陇镇 吴泾镇 "
              "马桥镇 浦江镇"),
    _district("宝山区", "310113", 204, 270.99, 121.430, 31.370, 0.080, 0.050,
              "牡丹江路 友谊路 泰和路 沪太路 长江西路 宝杨路 蕰川路 上大路 水产路 同济路",
              "友谊路街道 吴淞街道 张庙街道 罗店镇 大场镇 杨行镇 月浦镇 罗泾镇 顾村镇 高境镇 庙行镇 淞南镇"),
    _district("嘉定区", "310114", 158, 464.20, 121.250, 31.360, 0.090, 0.070,
              "城中路 博乐路 墨玉路 曹安公路 沪宜公路 裕民南路 胜辛路 叶城路 嘉松北路 白银路",
              "新成路街道 真新街道 嘉定镇街道 南翔镇 安亭镇 马陆镇 徐行镇 华亭镇 外冈镇 江桥镇"),
    _district("浦东新区", "310115", 550, 1210.41, 121.680, 31.130, 0.150, 0.180,
              "世纪大道 张杨路 浦东南路 陆家嘴环路 东方路 川沙路 龙阳路 金桥路 张衡路 杨高中路 锦绣路 "
              "沪南公路 申江路",
              "潍坊新村街道 陆家嘴街道 周家渡街道 塘桥街道 上钢新村街道 南码头路街道 沪东新村街道 "
              "金杨新村街道 洋泾街道 浦兴路街道 东明路街道 花木街道 川沙新镇 高桥镇 北蔡镇 合庆镇 唐镇 "
              "曹路镇 金桥镇 高行镇 高东镇 张江镇 三林镇 惠南镇 周浦镇 新场镇 大团镇 康桥镇 航头镇 祝桥镇 "
              "泥城镇 宣桥镇 书院镇 万祥镇 老港镇 南汇新城镇"),
    _district("金山区", "310116", 80, 586.05, 121.280, 30.820, 0.100, 0.060,
              "卫零路 龙胜路 卫清西路 金山大道 亭卫公路 蒙山路 松金公路 板桥西路",
              "石化街道 朱泾镇 枫泾镇 张堰镇 亭林镇 吕巷镇 廊下镇 金山卫镇 漕泾镇 山阳镇"),
    _district("松江区", "310117", 176, 605.64, 121.230, 31.030, 0.100, 0.060,
              "人民北路 中山中路 荣乐东路 广富林路 文诚路 沪松公路 新松江路 谷阳北路 玉树路",
              "岳阳街道 永丰街道 方松街道 中山街道 广富林街道 泗泾镇 佘山镇 车墩镇 新桥镇 洞泾镇 九亭镇 "
              "泖港镇 石湖荡镇 新浜镇 叶榭镇 小昆山镇"),
    _district("青浦区", "310118", 121, 670.14, 121.080, 31.140, 0.100, 0.060,
              "公园路 外青松公路 崧泽大道 盈港东路 城中北路 诸光路 沪青平公路 淀山湖大道",
              "夏阳街道 盈浦街道 香花桥街道 朱家角镇 练塘镇 金泽镇 赵巷镇 徐泾镇 华新镇 重固镇 白鹤镇"),
    _district("奉贤区", "310120", 116, 687.39, 121.520, 30.915, 0.120, 0.040,
              "解放东路 百齐路 南奉公路 望园路 运河北路 金海公路 环城东路 沪杭公路",
              "西渡街道 奉浦街道 金海街道 南桥镇 庄行镇 金汇镇 四团镇 青村镇 柘林镇 海湾镇 奉城镇"),
    _district("崇明区", "310151", 70, 1185.49, 121.550, 31.620, 0.250, 0.070,
              "八一路 人民路 鼓浦路 北沿公路 陈海公路 崇明大道 南门路 翠竹路",
              "城桥镇 堡镇 新河镇 庙镇 竖新镇 向化镇 三星镇 港沿镇 中兴镇 陈家镇 绿华镇 港西镇 建设镇 "
              "新海镇 东平镇 长兴镇 新村乡 横沙乡"),
)
DISTRICT_BY_NAME: dict[str, District] = {d.name: d for d in DISTRICTS}
DISTRICT_NAMES: tuple[str, ...] = tuple(DISTRICT_BY_NAME)
CENTRAL_DISTRICTS = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "浦东新区")
SUBURBAN_DISTRICTS = ("闵行区", "宝山区", "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")
STREET_ITEMS: tuple[dict[str, str], ...] = tuple(
    {"district": d.name, "street": street} for d in DISTRICTS for street in d.streets
)
MUNICIPAL_DIVISION = "310000"


def short_name(name: str, suffixes: Sequence[str]) -> str:
    """Drop the first matching suffix ("区", "街道", "镇" …) unless one character would remain."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


# ---------------------------------------------------------------------------------
# Identifiers: unified social credit codes (GB 32100-2015) and patent numbers
# ---------------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    """Check character of a GB 11714 organisation code (8 digits → 9th character)."""
    remainder = 11 - sum(int(ch) * w for ch, w in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _uscc_check(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when ``code`` is an 18-character unified social credit code with a valid check character."""
    return (len(code) == 18 and all(ch in USCC_ALPHABET for ch in code)
            and code[-1] == _uscc_check(code[:17]))


def make_credit_code(rng: random.Random, registrar: str, division: str) -> str:
    """A well-formed credit code: registrar + type (2), division (6), organisation code (9), check (1)."""
    body = f"{rng.randrange(10**8):08d}"
    first17 = registrar + division + body + _org_code_check(body)
    return first17 + _uscc_check(first17)


def _patent_check(digits: str) -> str:
    total = sum(int(d) * w for d, w in zip(digits, itertools.cycle(range(2, 10))))
    return "X" if total % 11 == 10 else str(total % 11)


# ---------------------------------------------------------------------------------
# Row generation
# ---------------------------------------------------------------------------------

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


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def day() -> Gen:
    """A date inside the dataset's coverage."""
    return Gen("date", lambda c: _random_day(c.rng, c.period.start, c.period.end))


def since(year: int) -> Gen:
    """A date between 1 January ``year`` and the end of coverage (founding dates and the like)."""
    return Gen("date", lambda c: _random_day(c.rng, dt.date(year, 1, 1), c.period.end))


def after(column: str, low_days: int, high_days: int) -> Gen:
    """A date ``low_days``–``high_days`` after an earlier date column (negative: before it)."""
    return Gen("date", lambda c: c.values[column] + dt.timedelta(days=c.rng.randint(low_days, high_days)))


def moment(first_hour: int = 0, last_hour: int = 23) -> Gen:
    """A datetime (to the second) inside the coverage, between the given hours of the day."""
    def make(c: RowContext) -> dt.datetime:
        date = _random_day(c.rng, c.period.start, c.period.end)
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


# ---------------------------------------------------------------------------------
# Frames: one item per row
# ---------------------------------------------------------------------------------

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


def records(keys: str, text: str) -> tuple[dict[str, str], ...]:
    """Static frame items from compact text: whitespace-separated rows of ':'-separated fields."""
    names = keys.split()
    return tuple(dict(zip(names, row.split(":"), strict=True)) for row in text.split())


# ---------------------------------------------------------------------------------
# Specs: columns, tables, datasets
# ---------------------------------------------------------------------------------

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


AQI_BANDS = ((50, "优"), (100, "良"), (150, "轻度污染"), (200, "中度污染"), (300, "重度污染"), (500, "严重污染"))
WATER_CLASS_BANDS = ((0.15, "Ⅰ类"), (0.5, "Ⅱ类"), (1.0, "Ⅲ类"), (1.5, "Ⅳ类"), (2.0, "Ⅴ类"), (99.0, "劣Ⅴ类"))
CROWD_BANDS = ((0.3, "舒适"), (0.5, "较舒适"), (0.7, "一般"), (0.9, "较拥挤"), (9.9, "拥挤"))
FREE_SPACE_BANDS = ((0.0, "已满"), (0.1, "紧张"), (0.3, "较少"), (1.0, "充足"))
CREDIT_GRADE_BANDS = ((69.9, "B"), (79.9, "A"), (89.9, "AA"), (100.0, "AAA"))


def primary_pollutant(c: RowContext) -> str:
    """None under AQI 50 (no primary pollutant), else the usual Shanghai mix."""
    if c.values["aqi"] <= 50:
        return ""
    return c.rng.choices(("PM2.5", "O3", "PM10", "NO2"), (60, 25, 10, 5))[0]


def patent_number(c: RowContext) -> str:
    """ZL + application year + type digit + 7-digit serial + "." + check character."""
    kind = {"发明": "1", "实用新型": "2", "外观设计": "3"}[c.values["patent_type"]]
    digits = f"{c.values['application_date'].year}{kind}{c.rng.randrange(10**7):07d}"
    return f"ZL{digits}.{_patent_check(digits)}"


# ---------------------------------------------------------------------------------
# Reference data: real places and institutions used as frames
# ---------------------------------------------------------------------------------

HOSPITALS = records("name district grade category", """
    复旦大学附属中山医院:徐汇区:三级甲等:综合医院 复旦大学附属华山医院:静安区:三级甲等:综合医院
    上海交通大学医学院附属瑞金医院:黄浦区:三级甲等:综合医院 上海交通大学医学院附属仁济医院:浦东新区:三级甲等:综合医院
    上海交通大学医学院附属新华医院:杨浦区:三级甲等:综合医院 上海市第一人民医院:虹口区:三级甲等:综合医院
    上海市第六人民医院:徐汇区:三级甲等:综合医院 上海市第十人民医院:静安区:三级甲等:综合医院
    上海长海医院:杨浦区:三级甲等:综合医院 上海长征医院:黄浦区:三级甲等:综合医院
    上海市东方医院:浦东新区:三级甲等:综合医院 上海中医药大学附属龙华医院:徐汇区:三级甲等:中医医院
    上海中医药大学附属曙光医院:黄浦区:三级甲等:中医医院
    上海中医药大学附属岳阳中西医结合医院:虹口区:三级甲等:中西医结合医院
    复旦大学附属肿瘤医院:徐汇区:三级甲等:专科医院 上海市胸科医院:徐汇区:三级甲等:专科医院
    上海市精神卫生中心:徐汇区:三级甲等:专科医院 上海市公共卫生临床中心:金山区:三级甲等:专科医院
    复旦大学附属儿科医院:闵行区:三级甲等:专科医院 上海市儿童医院:静安区:三级甲等:专科医院
    复旦大学附属妇产科医院:黄浦区:三级甲等:专科医院 上海市同仁医院:长宁区:三级乙等:综合医院
    复旦大学附属金山医院:金山区:三级乙等:综合医院 上海市普陀区中心医院:普陀区:二级甲等:综合医院
    上海市杨浦区中心医院:杨浦区:二级甲等:综合医院 上海市浦东医院:浦东新区:二级甲等:综合医院
    上海市嘉定区中心医院:嘉定区:二级甲等:综合医院 上海市松江区中心医院:松江区:二级甲等:综合医院
    上海市青浦区中心医院:青浦区:二级甲等:综合医院 上海市奉贤区中心医院:奉贤区:二级甲等:综合医院
    上海市闵行区中心医院:闵行区:二级甲等:综合医院 上海市宝山区仁和医院:宝山区:二级甲等:综合医院
    上海市崇明区中心医院:崇明区:二级甲等:综合医院
""")
HOSPITAL_NAMES = tuple(h["name"] for h in HOSPITALS)

UNIVERSITIES = records("name district category authority ownership", """
    复旦大学:杨浦区:综合:教育部:公办 上海交通大学:闵行区:综合:教育部:公办 同济大学:杨浦区:理工:教育部:公办
    华东师范大学:普陀区:师范:教育部:公办 上海财经大学:杨浦区:财经:教育部:公办 华东理工大学:徐汇区:理工:教育部:公办
    东华大学:松江区:理工:教育部:公办 上海外国语大学:虹口区:语言:教育部:公办 上海大学:宝山区:综合:上海市:公办
    上海理工大学:杨浦区:理工:上海市:公办 上海海事大学:浦东新区:理工:上海市:公办 上海师范大学:徐汇区:师范:上海市:公办
    上海中医药大学:浦东新区:医药:上海市:公办 华东政法大学:长宁区:政法:上海市:公办 上海海洋大学:浦东新区:农林:上海市:公办
    上海电力学院:杨浦区:理工:上海市:公办 上海应用技术大学:奉贤区:理工:上海市:公办
    上海工程技术大学:松江区:理工:上海市:公办
    上海第二工业大学:浦东新区:理工:上海市:公办 上海立信会计金融学院:浦东新区:财经:上海市:公办
    上海对外经贸大学:松江区:财经:上海市:公办 上海体育学院:杨浦区:体育:国家体育总局:公办
    上海音乐学院:徐汇区:艺术:上海市:公办
    上海戏剧学院:静安区:艺术:上海市:公办 上海政法学院:青浦区:政法:上海市:公办 上海商学院:奉贤区:财经:上海市:公办
    上海电机学院:浦东新区:理工:上海市:公办 上海健康医学院:浦东新区:医药:上海市:公办
    上海海关学院:浦东新区:政法:海关总署:公办
    上海科技大学:浦东新区:理工:上海市:公办 上海纽约大学:浦东新区:综合:上海市:中外合作
    上海视觉艺术学院:松江区:艺术:上海市:民办
    上海建桥学院:浦东新区:综合:上海市:民办 上海杉达学院:浦东新区:综合:上海市:民办
""")
RESEARCH_INSTITUTIONS = (
    "中国科学院上海有机化学研究所", "中国科学院上海硅酸盐研究所", "中国科学院上海药物研究所",
    "中国科学院上海微系统与信息技术研究所", "中国科学院上海光学精密机械研究所", "复旦大学", "上海交通大学",
    "同济大学", "华东师范大学", "华东理工大学", "上海大学", "东华大学",
)

SCENIC_SPOTS = records("spot_name level district", """
    东方明珠广播电视塔:5A:浦东新区 上海野生动物园:5A:浦东新区 上海科技馆:5A:浦东新区 豫园:4A:黄浦区
    上海植物园:4A:徐汇区 朱家角古镇:4A:青浦区 上海海洋水族馆:4A:浦东新区 上海动物园:4A:长宁区 上海马戏城:4A:静安区
    东方绿舟:4A:青浦区 佘山国家森林公园:4A:松江区 上海城市规划展示馆:4A:黄浦区 金茂大厦88层观光厅:4A:浦东新区
    上海环球金融中心观光厅:4A:浦东新区 共青森林公园:4A:杨浦区 上海辰山植物园:4A:松江区 上海鲁迅纪念馆:4A:虹口区
    枫泾古镇:4A:金山区 新场古镇:4A:浦东新区 锦江乐园:4A:闵行区 上海欢乐谷:4A:松江区 上海影视乐园:4A:松江区
    上海汽车博览公园:4A:嘉定区 上海滨江森林公园:4A:浦东新区 世纪公园:4A:浦东新区 七宝老街:4A:闵行区
    东平国家森林公园:4A:崇明区 前卫生态村:4A:崇明区 上海长风海洋世界:4A:普陀区 上海淞沪抗战纪念馆:4A:宝山区
    上海中国航海博物馆:4A:浦东新区 顾村公园:4A:宝山区 上海月湖雕塑公园:4A:松江区 上海大观园:4A:青浦区
    上海海湾国家森林公园:4A:奉贤区 古猗园:4A:嘉定区 嘉定孔庙:3A:嘉定区 上海工艺美术博物馆:3A:徐汇区
    金山嘴渔村:3A:金山区 碧海金沙:3A:奉贤区
""")
CAPACITY_BY_LEVEL = {"5A": 40000, "4A": 15000, "3A": 5000}
SCENIC_SPOT_ITEMS = tuple(
    {**spot, "spot_id": f"JQ{i:03d}", "capacity": CAPACITY_BY_LEVEL[spot["level"]] + (i * 37 % 20) * 500}
    for i, spot in enumerate(SCENIC_SPOTS, 1)
)

METRO_LINE_OPENED = {"1号线": "1993-05-28", "2号线": "1999-09-20", "3号线": "2000-12-26", "5号线": "2003-11-25",
                     "7号线": "2009-12-05", "8号线": "2007-12-29", "9号线": "2007-12-29", "10号线": "2010-04-10",
                     "11号线": "2009-12-31", "13号线": "2012-12-30", "16号线": "2013-12-29"}
METRO_TRANSFERS = set("莘庄 上海南站 上海体育馆 徐家汇 常熟路 陕西南路 人民广场 汉中路 上海火车站 虹桥火车站 "
                      "虹桥2号航站楼 中山公园 江苏路 静安寺 南京西路 南京东路 世纪大道 龙阳路 宝山路 虹口足球场 "
                      "镇坪路 长寿路 金沙江路 江湾体育场".split())
METRO_STATIONS = tuple(
    {**s, "is_transfer": s["station_name"] in METRO_TRANSFERS,
     "opened_date": dt.date.fromisoformat(METRO_LINE_OPENED[s["line"]])}
    for s in records("station_name line district", """
    莘庄:1号线:闵行区 外环路:1号线:闵行区 莲花路:1号线:闵行区 锦江乐园:1号线:徐汇区 上海南站:1号线:徐汇区
    漕宝路:1号线:徐汇区 上海体育馆:1号线:徐汇区 徐家汇:1号线:徐汇区 衡山路:1号线:徐汇区 常熟路:1号线:徐汇区
    陕西南路:1号线:黄浦区 黄陂南路:1号线:黄浦区 人民广场:1号线:黄浦区 新闸路:1号线:静安区 汉中路:1号线:静安区
    上海火车站:1号线:静安区 中山北路:1号线:静安区 延长路:1号线:静安区 上海马戏城:1号线:静安区 汶水路:1号线:静安区
    彭浦新村:1号线:静安区 共康路:1号线:静安区 通河新村:1号线:宝山区 呼兰路:1号线:宝山区 共富新村:1号线:宝山区
    宝安公路:1号线:宝山区 友谊西路:1号线:宝山区 富锦路:1号线:宝山区 徐泾东:2号线:青浦区 虹桥火车站:2号线:闵行区
    虹桥2号航站楼:2号线:闵行区 淞虹路:2号线:长宁区 北新泾:2号线:长宁区 威宁路:2号线:长宁区 娄山关路:2号线:长宁区
    中山公园:2号线:长宁区 江苏路:2号线:长宁区 静安寺:2号线:静安区 南京西路:2号线:静安区 南京东路:2号线:黄浦区
    陆家嘴:2号线:浦东新区 东昌路:2号线:浦东新区 世纪大道:2号线:浦东新区 上海科技馆:2号线:浦东新区
    世纪公园:2号线:浦东新区 龙阳路:2号线:浦东新区 张江高科:2号线:浦东新区 金科路:2号线:浦东新区
    广兰路:2号线:浦东新区 唐镇:2号线:浦东新区 创新中路:2号线:浦东新区 华夏东路:2号线:浦东新区 川沙:2号线:浦东新区
    凌空路:2号线:浦东新区 远东大道:2号线:浦东新区 海天三路:2号线:浦东新区 浦东国际机场:2号线:浦东新区
    宝山路:3号线:静安区 东宝兴路:3号线:虹口区 虹口足球场:3号线:虹口区 闵行开发区:5号线:闵行区
    镇坪路:7号线:普陀区 长寿路:7号线:普陀区 沈杜公路:8号线:闵行区 松江大学城:9号线:松江区 松江新城:9号线:松江区
    同济大学:10号线:杨浦区 五角场:10号线:杨浦区 江湾体育场:10号线:杨浦区 嘉定北:11号线:嘉定区 安亭:11号线:嘉定区
    真北路:13号线:普陀区 金沙江路:13号线:普陀区 临港大道:16号线:浦东新区 滴水湖:16号线:浦东新区
""")
)
METRO_STATION_NAMES = tuple(s["station_name"] for s in METRO_STATIONS)

NAMED_BUS_LINE_ITEMS = records("line_name district", """
    11路:黄浦区 18路:虹口区 20路:静安区 26路:黄浦区 42路:徐汇区 49路:徐汇区 71路:静安区 104路:静安区 123路:杨浦区
    146路:徐汇区 隧道三线:浦东新区 徐闵线:闵行区 大桥六线:浦东新区 沪南线:浦东新区 龙东专线:浦东新区 松江12路:松江区
    嘉定6路:嘉定区 青浦4路:青浦区 奉贤15路:奉贤区 崇明2线:崇明区
""")
NAMED_BUS_LINES = tuple(line["line_name"] for line in NAMED_BUS_LINE_ITEMS)
BUS_LINE_COUNT = 300
BUS_OPERATORS = ("上海巴士第一公共交通有限公司", "上海巴士第二公共交通有限公司", "上海巴士第三公共交通有限公司",
                 "上海巴士第五公共交通有限公司", "上海浦东杨高公共交通有限公司", "上海浦东上南公共交通有限公司",
                 "上海南汇公共交通有限公司", "上海松江公共交通有限公司", "上海嘉定公共交通有限公司",
                 "上海青浦公共交通有限公司", "上海奉贤巴士公共交通有限公司", "上海崇明公共交通有限公司")


def bus_terminal(c: RowContext) -> str:
    """A terminal stop other than the line's first stop (an interchange or a crossing)."""
    roads = DISTRICT_BY_NAME[c.district].roads
    candidates = [f"{short_name(c.street, ('街道',))}公交枢纽站",
                  *(a + b for a, b in itertools.permutations(roads, 2) if c.values["start_stop"] not in (a + b, b + a))]
    return c.rng.choice(candidates)


def bus_line_frame(rng: random.Random, period: Period) -> list[dict[str, str]]:
    """The named real lines (with their districts) plus numbered lines from 1–1299, BUS_LINE_COUNT in all."""
    taken = {int(name[:-1]) for name in NAMED_BUS_LINES if name[:-1].isdigit()}
    numbers = sorted(rng.sample([k for k in range(1, 1300) if k not in taken], BUS_LINE_COUNT - len(NAMED_BUS_LINES)))
    lines = [*NAMED_BUS_LINE_ITEMS, *({"line_name": f"{k}路"} for k in numbers)]
    return [{"line_id": f"BL{i:04d}", **line} for i, line in enumerate(lines, 1)]


YRD_CITIES = tuple({"city": city} for city in
                   "上海 南京 杭州 苏州 无锡 常州 南通 宁波 嘉兴 湖州 绍兴 舟山 扬州 镇江 合肥 芜湖".split())
WATER_STATIONS = records("station river district", """
    黄浦江临江:黄浦江:闵行区 黄浦江松浦大桥:黄浦江:松江区 黄浦江南市水厂:黄浦江:黄浦区 黄浦江杨浦大桥:黄浦江:杨浦区
    黄浦江吴淞口:黄浦江:宝山区 苏州河华漕:苏州河:闵行区 苏州河北新泾桥:苏州河:长宁区 苏州河浙江路桥:苏州河:黄浦区
    淀山湖急水港:淀山湖:青浦区 淀山湖商榻:淀山湖:青浦区 太浦河金泽:太浦河:青浦区 拦路港泖港:拦路港:松江区
    蕰藻浜吴淞:蕰藻浜:宝山区 川杨河杨思:川杨河:浦东新区 大治河二灶港:大治河:浦东新区 金汇港南桥:金汇港:奉贤区
    淀浦河七宝:淀浦河:闵行区 张家浜金桥:张家浜:浦东新区
""")
WATER_PLANTS = records("plant district", """
    杨树浦水厂:杨浦区 南市水厂:黄浦区 长桥水厂:徐汇区 临江水厂:浦东新区 闵行水厂:闵行区 月浦水厂:宝山区
    泰和水厂:宝山区 凌桥水厂:浦东新区 金海水厂:浦东新区 徐泾水厂:青浦区 松江第二水厂:松江区 嘉定水厂:嘉定区
    金山第一水厂:金山区 奉贤第三水厂:奉贤区 崇明城桥水厂:崇明区
""")
WEATHER_STATIONS = records("station_id station_name district", """
    58367:徐家汇:徐汇区 58361:闵行:闵行区 58362:宝山:宝山区 58365:嘉定:嘉定区 58366:崇明:崇明区 58369:南汇:浦东新区
    58370:浦东:浦东新区 58460:金山:金山区 58461:青浦:青浦区 58462:松江:松江区 58463:奉贤:奉贤区
""")
EXPRESSWAY_SEGMENTS = records("segment_id segment_name district", """
    YA01:延安高架路（江苏路—华山路）:长宁区 YA02:延安高架路（西藏中路—成都北路）:黄浦区
    NB01:南北高架路（中山北路—共和新路）:静安区 NB02:南北高架路（鲁班路—打浦路）:黄浦区
    NH01:内环高架路（中山南路—鲁班路）:黄浦区 NH02:内环高架路（武宁路—中山北路）:普陀区
    ZH01:中环路（真北路—金沙江路）:普陀区 ZH02:中环路（军工路—翔殷路）:杨浦区
    YX01:逸仙高架路（三门路—殷高西路）:宝山区 HM01:沪闵高架路（漕宝路—上中路）:徐汇区
    WH01:外环高速（同济路—蕰川路）:宝山区 WH02:外环高速（沪青平公路—华翔路）:闵行区
    LY01:罗山高架路（龙阳路—华夏路）:浦东新区 HJ01:沪嘉高速（南翔—江桥）:嘉定区
    HK01:沪昆高速（莘庄—九亭）:闵行区 AT01:S20（康桥—张江）:浦东新区
""")
DEVELOPMENT_ZONES = records("name district level", """
    张江高科技园区:浦东新区:国家级 漕河泾新兴技术开发区:徐汇区:国家级 金桥经济技术开发区:浦东新区:国家级
    外高桥保税区:浦东新区:国家级 紫竹高新技术产业开发区:闵行区:国家级 闵行经济技术开发区:闵行区:国家级
    嘉定工业区:嘉定区:市级 松江经济技术开发区:松江区:国家级 青浦工业园区:青浦区:市级 金山工业区:金山区:市级
    奉贤经济开发区:奉贤区:市级 宝山工业园区:宝山区:市级 市北高新技术服务业园区:静安区:市级
    临港产业区:浦东新区:市级 莘庄工业区:闵行区:市级 康桥工业区:浦东新区:市级 上海化学工业区:金山区:国家级
    崇明工业园区:崇明区:市级 杨浦国家大学科技园:杨浦区:国家级 虹桥商务区:闵行区:市级 陆家嘴金融贸易区:浦东新区:国家级
    长宁临空经济园区:长宁区:市级
""")
HERITAGE_SITES = records("name district level era category", """
    龙华塔:徐汇区:上海市文物保护单位:宋:古建筑 豫园:黄浦区:全国重点文物保护单位:明:古建筑
    外滩建筑群:黄浦区:全国重点文物保护单位:民国:近现代重要史迹及代表性建筑
    中共一大会址:黄浦区:全国重点文物保护单位:民国:近现代重要史迹及代表性建筑
    松江唐经幢:松江区:全国重点文物保护单位:唐:石刻 兴圣教寺塔:松江区:全国重点文物保护单位:宋:古建筑
    嘉定孔庙:嘉定区:上海市文物保护单位:宋:古建筑 青龙塔:青浦区:上海市文物保护单位:清:古建筑
    徐家汇天主堂:徐汇区:上海市文物保护单位:清:近现代重要史迹及代表性建筑
    宋庆龄故居:徐汇区:全国重点文物保护单位:民国:近现代重要史迹及代表性建筑
    鲁迅墓:虹口区:全国重点文物保护单位:民国:近现代重要史迹及代表性建筑
    沪西工人半日学校:普陀区:上海市文物保护单位:民国:近现代重要史迹及代表性建筑
""")
MUSEUMS = records("name district", """
    上海博物馆:黄浦区 上海科技馆:浦东新区 上海自然博物馆:静安区 中华艺术宫:浦东新区 上海历史博物馆:黄浦区
    上海鲁迅纪念馆:虹口区 中共一大会址纪念馆:黄浦区 上海中国航海博物馆:浦东新区 上海城市规划展示馆:黄浦区
    上海当代艺术博物馆:黄浦区 上海电影博物馆:徐汇区 上海公安博物馆:徐汇区 上海邮政博物馆:虹口区
    上海汽车博物馆:嘉定区 上海铁路博物馆:静安区 上海消防博物馆:长宁区 上海纺织博物馆:普陀区
    上海犹太难民纪念馆:虹口区 上海银行博物馆:浦东新区 上海昆虫博物馆:徐汇区 上海天文博物馆:松江区
    上海韬奋纪念馆:黄浦区 宋庆龄故居纪念馆:徐汇区 陈云纪念馆:青浦区 上海淞沪抗战纪念馆:宝山区
    龙华烈士纪念馆:徐汇区 青浦博物馆:青浦区 松江博物馆:松江区 嘉定博物馆:嘉定区 闵行区博物馆:闵行区
    崇明博物馆:崇明区 奉贤博物馆:奉贤区 金山博物馆:金山区 上海眼镜博物馆:宝山区 上海玻璃博物馆:宝山区
    土山湾博物馆:徐汇区 上海工艺美术博物馆:徐汇区 上海中医药博物馆:浦东新区 上海儿童博物馆:长宁区
""")
MUSEUM_NAMES = tuple(m["name"] for m in MUSEUMS)
PARKS = records("name district", """
    人民公园:黄浦区 复兴公园:黄浦区 黄浦公园:黄浦区 中山公园:长宁区 鲁迅公园:虹口区 世纪公园:浦东新区
    共青森林公园:杨浦区 长风公园:普陀区 静安公园:静安区 襄阳公园:徐汇区 桂林公园:徐汇区 徐家汇公园:徐汇区
    上海植物园:徐汇区 上海动物园:长宁区 天山公园:长宁区 新虹桥中心花园:长宁区 大宁灵石公园:静安区 闸北公园:静安区
    和平公园:虹口区 霍山公园:虹口区 杨浦公园:杨浦区 黄兴公园:杨浦区 梦清园:普陀区 莘庄公园:闵行区
    闵行体育公园:闵行区 顾村公园:宝山区 炮台湾湿地森林公园:宝山区 汇龙潭公园:嘉定区 古猗园:嘉定区
    滨江森林公园:浦东新区 陆家嘴中心绿地:浦东新区 金海湿地公园:浦东新区 醉白池公园:松江区 方塔园:松江区
    曲水园:青浦区 大观园:青浦区 古华公园:奉贤区 海湾国家森林公园:奉贤区 东平国家森林公园:崇明区 瀛洲公园:崇明区
    滨海公园:金山区 世博公园:浦东新区 后滩公园:浦东新区 徐汇滨江绿地:徐汇区
""")
PERFORMANCE_VENUES = records("venue_name district", """
    上海大剧院:黄浦区 上海东方艺术中心:浦东新区 上海音乐厅:黄浦区 上海文化广场:黄浦区 上海话剧艺术中心:徐汇区
    上海交响乐团音乐厅:徐汇区 上海马戏城:静安区 梅赛德斯-奔驰文化中心:浦东新区 上海大舞台:徐汇区 美琪大戏院:静安区
    天蟾逸夫舞台:黄浦区 上海国际舞蹈中心:长宁区 兰心大戏院:黄浦区 云峰剧院:静安区 上海保利大剧院:嘉定区
""")
NOTARY_OFFICES = records("name district", """
    上海市东方公证处:黄浦区 上海市黄浦公证处:黄浦区 上海市徐汇公证处:徐汇区 上海市长宁公证处:长宁区
    上海市新虹桥公证处:长宁区 上海市静安公证处:静安区 上海市闸北公证处:静安区 上海市普陀公证处:普陀区
    上海市虹口公证处:虹口区 上海市杨浦公证处:杨浦区 上海市闵行公证处:闵行区 上海市宝山公证处:宝山区
    上海市嘉定公证处:嘉定区 上海市浦东公证处:浦东新区 上海市东方公证处浦东办证点:浦东新区 上海市金山公证处:金山区
    上海市松江公证处:松江区 上海市青浦公证处:青浦区 上海市奉贤公证处:奉贤区 上海市崇明公证处:崇明区
    上海市卢湾公证处:黄浦区 上海市普陀公证处长征办证点:普陀区
""")
RELIGIOUS_VENUES = records("name religion district", """
    玉佛禅寺:佛教:普陀区 静安寺:佛教:静安区 龙华寺:佛教:徐汇区 真如寺:佛教:普陀区 沉香阁:佛教:黄浦区
    圆明讲堂:佛教:静安区 宝山寺:佛教:宝山区 广富林东岳庙:道教:松江区 上海城隍庙:道教:黄浦区 白云观:道教:黄浦区
    钦赐仰殿:道教:浦东新区 徐家汇天主堂:天主教:徐汇区 佘山圣母大殿:天主教:松江区 董家渡天主堂:天主教:黄浦区
    国际礼拜堂:基督教:徐汇区 沐恩堂:基督教:黄浦区 景灵堂:基督教:虹口区 怀恩堂:基督教:静安区
    小桃园清真寺:伊斯兰教:黄浦区 松江清真寺:伊斯兰教:松江区 沪西清真寺:伊斯兰教:普陀区 浦东清真寺:伊斯兰教:浦东新区
""")
DISEASES = records("disease category", """
    病毒性肝炎:乙类 肺结核:乙类 梅毒:乙类 淋病:乙类 猩红热:乙类 细菌性和阿米巴性痢疾:乙类 艾滋病:乙类
    伤寒和副伤寒:乙类 登革热:乙类 麻疹:乙类 布鲁氏菌病:乙类 流行性感冒:丙类 手足口病:丙类
    其他感染性腹泻病:丙类 流行性腮腺炎:丙类 风疹:丙类 急性出血性结膜炎:丙类
""")
FARM_PRODUCTS = tuple(
    {"product": name, "specification": spec, "unit": unit, "low": float(low), "high": float(high)}
    for name, spec, unit, low, high in (r.split(":") for r in """
    粳米:一级:元/公斤:5.2:6.8 标准面粉:富强粉:元/公斤:4.6:6.0 大豆油:5升桶装:元/桶:52:68 鲜猪肉:精瘦肉:元/公斤:30:42
    鲜牛肉:腿肉:元/公斤:70:88 鸡蛋:散装鲜鸡蛋:元/公斤:8.5:12 白条鸡:开膛:元/公斤:22:30 带鱼:冰鲜中等:元/公斤:36:56
    鲫鱼:活鱼:元/公斤:22:32 青菜:鸡毛菜:元/公斤:5:12 大白菜:普通:元/公斤:2.4:5 番茄:普通:元/公斤:6:11
    黄瓜:普通:元/公斤:5:10 土豆:普通:元/公斤:3.6:6 青椒:普通:元/公斤:6:12 冬瓜:普通:元/公斤:2:4.4
    豆腐:盒装:元/盒:2.5:3.5 苹果:富士:元/公斤:10:16 香蕉:进口:元/公斤:6:10 牛奶:250毫升袋装:元/袋:2.2:3.0
""".split())
)
LICENCE_AGENCIES = {
    "食品经营许可": "上海市市场监督管理局", "药品经营许可": "上海市药品监督管理局",
    "建设工程规划许可": "上海市规划和自然资源局", "排污许可": "上海市生态环境局",
    "道路运输经营许可": "上海市道路运输管理局", "公共场所卫生许可": "上海市卫生健康委员会",
    "建筑工程施工许可": "上海市住房和城乡建设管理委员会", "人力资源服务许可": "上海市人力资源和社会保障局",
}
PENALTY_AGENCIES = {
    "销售不合格产品": "上海市市场监督管理局", "未按规定明码标价": "上海市市场监督管理局",
    "发布虚假广告": "上海市市场监督管理局", "超标排放污染物": "上海市生态环境局",
    "违反消防安全规定": "上海市消防救援总队", "未取得施工许可擅自施工": "上海市住房和城乡建设管理委员会",
    "非法营运": "上海市道路运输管理局", "违规倾倒建筑垃圾": "上海市绿化和市容管理局",
}
FOOD_CATEGORIES = {
    "粮食加工品": ("大米", "小麦粉", "挂面"), "食用油、油脂及其制品": ("大豆油", "菜籽油", "调和油"),
    "调味品": ("酱油", "食醋", "味精"), "肉制品": ("香肠", "酱卤肉", "熏煮火腿"), "乳制品": ("巴氏杀菌乳", "酸奶",
                                                                                             "奶粉"),
    "饮料": ("瓶装饮用水", "果汁饮料", "茶饮料"), "糕点": ("月饼", "蛋糕", "面包"), "豆制品": ("豆腐", "豆浆", "腐竹"),
    "酒类": ("黄酒", "啤酒", "白酒"), "水产制品": ("鱼丸", "虾仁", "海蜇"), "食用农产品": ("青菜", "猪肉", "鸡蛋"),
    "餐饮食品": ("凉拌菜", "熟食卤味", "复用餐饮具"),
}
FOOD_FAILURES = ("菌落总数", "大肠菌群", "二氧化硫残留量", "苯甲酸及其钠盐", "过氧化值", "铅（以Pb计）", "酸价",
                 "甜蜜素")


def food_sample_result(c: RowContext) -> str:
    return "不合格" if c.rng.random() < 0.04 else "合格"


def food_failed_item(c: RowContext) -> str:
    return c.rng.choice(FOOD_FAILURES) if c.values["result"] == "不合格" else ""


def bim_frame(rng: random.Random, period: Period) -> list[dict[str, str]]:
    """The 62 BIM pilot projects: 49 government-invested, then 13 socially invested."""
    return [{"investment_type": "政府投资"}] * 49 + [{"investment_type": "社会投资"}] * 13


def medical_institution_frame(rng: random.Random, period: Period) -> list[dict[str, str]]:
    """The real hospitals plus a community health service centre for 200 streets and towns."""
    centres = [{"name": f"上海市{s['district']}{s['street']}社区卫生服务中心", "district": s["district"],
                "street": s["street"], "grade": "一级", "category": "社区卫生服务中心"}
               for s in sampled(STREET_ITEMS, 200)(rng, period)]
    return [*HOSPITALS, *centres]


def library_frame(rng: random.Random, period: Period) -> list[dict[str, str]]:
    """Shanghai Library, one library per district and community libraries in 150 streets and towns."""
    district_libraries = [{"name": "浦东图书馆" if d == "浦东新区" else f"{d}图书馆", "district": d, "level": "区级"}
                          for d in DISTRICT_NAMES]
    community = [{"name": f"{s['district']}{s['street']}社区图书馆", "level": "街镇级", **s}
                 for s in sampled(STREET_ITEMS, 150)(rng, period)]
    return [{"name": "上海图书馆", "district": "徐汇区", "level": "市级"}, *district_libraries, *community]


def department_frame(rng: random.Random, period: Period) -> list[dict[str, str]]:
    """One item per department in departments.yaml (the portal's own organisations)."""
    return [{"code": d["code"], "title": d["title"], "title_en": d["title_en"], "kind": d["kind"],
             "district": district_of(d) or "黄浦区"} for d in load_departments()]


def legal_person_kind(c: RowContext) -> str:
    return c.rng.choices(("企业法人", "事业单位法人", "机关法人", "社会团体法人", "农民专业合作社"), (70, 10, 5, 10,
                                                                                                      5))[0]


LEGAL_PERSON_KINDS = {  # kind → (credit-code registrar, name template, registration authority)
    "企业法人": ("91", "上海{brand}{trade}有限公司", "上海市市场监督管理局"),
    "事业单位法人": ("12", "上海市{district}{unit}", "上海市事业单位登记管理局"),
    "机关法人": ("11", "上海市{district}{office}", "上海市机构编制委员会办公室"),
    "社会团体法人": ("51", "上海市{trade}协会", "上海市社会团体管理局"),
    "农民专业合作社": ("93", "上海{district_short}{brand}蔬果专业合作社", "上海市市场监督管理局"),
}
LEGAL_PERSON_WORDS = {"trade": ("科技", "贸易", "物流", "餐饮管理", "建筑装饰", "软件"),
                      "unit": ("图书馆", "文化馆", "疾病预防控制中心", "青少年活动中心", "档案馆"),
                      "office": ("民政局", "教育局", "卫生和计划生育委员会", "市场监督管理局", "城市管理行政执法局")}


def legal_person_field(index: int) -> Gen:
    """Credit code (0), name (1) or registration authority (2) matching the row's legal-person kind."""
    def make(c: RowContext) -> str:
        registrar, template, authority = LEGAL_PERSON_KINDS[c.values["legal_person_type"]]
        if index == 0:
            return make_credit_code(c.rng, registrar, DISTRICT_BY_NAME[c.district].code)
        if index == 1:
            return template.format_map(_TemplateVars(c, LEGAL_PERSON_WORDS))
        return authority
    return Gen("string", make)


SOCIAL_ORG_KINDS = {  # kind → (registrar, name templates)
    "社会团体": ("51", ("上海市{field}协会", "上海市{district_short}区{field}协会", "上海市{field}学会")),
    "民办非企业单位": ("52", ("上海{district_short}{brand}社区服务中心", "上海市{district}{brand}养老院",
                       "上海{brand}职业技能培训学校")),
    "基金会": ("53", ("上海{brand}公益基金会", "上海市{field}发展基金会")),
}
SOCIAL_ORG_FIELDS = ("软件行业", "物流", "律师", "老年", "青年创业", "社会工作", "慈善", "信息服务业", "环境保护",
                     "心理咨询", "企业家", "书法家", "摄影家", "体育舞蹈", "园艺", "科普作家")


def social_org_field(index: int) -> Gen:
    """Credit code (0) or name (1) matching the row's social-organisation kind."""
    def make(c: RowContext) -> str:
        registrar, templates = SOCIAL_ORG_KINDS[c.values["org_type"]]
        if index == 0:
            return make_credit_code(c.rng, registrar, DISTRICT_BY_NAME[c.district].code)
        return c.rng.choice(templates).format_map(_TemplateVars(c, {"field": SOCIAL_ORG_FIELDS}))
    return Gen("string", make)


def credit_queries(c: RowContext) -> int:
    """Monthly queries: about 306k on legal persons and 650k on natural persons, split by channel."""
    base = {"法人": 306_000, "自然人": 650_000}[c.item["subject_type"]]
    channel = {"数据接口": 0.70, "平台网站": 0.15, "窗口查询": 0.10, "移动端": 0.05}[c.item["channel"]]
    return round(base * channel * c.rng.uniform(0.8, 1.2))


def transit_amount(c: RowContext) -> float:
    mode, kind = c.values["mode"], c.values["txn_type"]
    if mode == "地铁":
        return 0.0 if kind == "进站" else float(c.rng.randint(3, 9))
    if mode == "出租车":
        return round(c.rng.uniform(14, 80), 1)
    return {"公交": 2.0, "轮渡": 2.0}[mode]


def transit_place(c: RowContext) -> str:
    if c.values["mode"] == "地铁":
        return c.rng.choice(METRO_STATION_NAMES) + "站"
    if c.values["mode"] == "公交":
        return c.rng.choice(NAMED_BUS_LINES)
    if c.values["mode"] == "轮渡":
        return "东金线"
    return c.rng.choice(("大众出租", "强生出租", "锦江出租"))


POLLUTANT_UNITS = {"化学需氧量": "毫克/升", "氨氮": "毫克/升", "二氧化硫": "毫克/立方米", "氮氧化物": "毫克/立方米",
                   "颗粒物": "毫克/立方米"}
BEDS_BY_GRADE = {"三": (800, 3000), "二": (300, 900), "一": (20, 150)}


def pass_rate(c: RowContext) -> float:
    """The share left after the excellent, good and failing rates (they sum to 100%)."""
    return round(100 - c.values["excellent_rate"] - c.values["good_rate"] - c.values["fail_rate"], 1)


def free_spaces(c: RowContext) -> int:
    """Free spaces at a car park; one in ten is full."""
    return c.rng.randint(0, c.values["total_spaces"]) if c.rng.random() > 0.1 else 0


def bus_distance(c: RowContext) -> int:
    """Metres to the stop: 350–700 m per stop still to go, plus up to 300 m."""
    return c.values["stops_away"] * c.rng.randint(350, 700) + c.rng.randint(0, 300)


def transit_txn_type(c: RowContext) -> str:
    return c.rng.choice(("进站", "出站")) if c.values["mode"] == "地铁" else "消费"


def hospital_beds(c: RowContext) -> int:
    """Beds by hospital grade (三级, 二级, 一级)."""
    return c.rng.randint(*BEDS_BY_GRADE[c.values["grade"][0]])


def farm_price(c: RowContext) -> float:
    return round(c.rng.uniform(c.item["low"], c.item["high"]), 2)


def removal_date(c: RowContext) -> dt.date | None:
    """When an enterprise left the abnormal-operations list (None while it is still on it)."""
    return c.values["listed_date"] + dt.timedelta(days=c.rng.randint(20, 300)) if c.values["removed"] else None


def remainder(total: str, *parts: str) -> Gen:
    """``total`` minus the given earlier columns (keeps breakdowns summing to their total)."""
    return Gen("integer", lambda c: c.values[total] - sum(c.values[p] for p in parts))


# ---------------------------------------------------------------------------------
# The spec tables, one per domain
# ---------------------------------------------------------------------------------

SCHOOL_NAMES = {
    "小学": ("上海市{district}{road}小学", "上海市{district}{road}第一小学", "上海市{district}{street_short}实验小学"),
    "初级中学": ("上海市{district}{road}中学", "上海市{district}{street_short}初级中学"),
    "九年一贯制学校": ("上海市{district}{street_short}学校", "上海市{district}{brand}实验学校"),
    "完全中学": ("上海市{district}{street_short}中学", "上海市{brand}中学"),
    "高级中学": ("上海市{district}{street_short}高级中学", "上海市{brand}高级中学"),
}
BIM_PROJECT_NAMES = {
    "房屋建筑": ("{district}{street_short}{facility}新建工程", "{road}{brand}中心"),
    "市政道路": ("{road}（{road2}—{cross}）道路改建工程",),
    "轨道交通": ("轨道交通{line}号线{station}站",),
    "桥梁隧道": ("{road}越江隧道工程", "{road}立交桥新建工程"),
    "水务工程": ("{district}{street_short}污水处理厂扩建工程", "{road}雨水调蓄池工程"),
}
PATENT_TITLES = {
    "发明": ("一种{thing}的{method}", "{thing}及其{method}"),
    "实用新型": ("一种{thing}", "一种用于{thing}的{part}"),
    "外观设计": ("{product}（{style}）",),
}
PATENT_WORDS = {"thing": ("锂电池正极材料", "智能路灯", "污水处理装置", "抗肿瘤化合物", "无人机", "机器人关节",
                          "芯片封装结构"),
                "method": ("制备方法", "控制方法", "检测方法", "应用"),
                "part": ("固定支架", "散热结构", "连接组件", "密封装置"),
                "product": ("包装盒", "台灯", "手机壳", "座椅", "水杯", "音箱"),
                "style": ("一", "二", "简约型", "儿童款")}


ECONOMY: tuple[Spec, ...] = (
    ds("enterprise-registrations", "企业设立登记信息", "Enterprise registrations", "sh-scjgj", C, "daily",
       "企业登记 市场主体", "营商环境 企业服务",
       Table((CREDIT_CODE_COL,
              col("enterprise_name", "企业名称", company("科技", "贸易", "餐饮管理", "物流", "信息技术", "建设工程",
                                                         "文化传播")),
              col("enterprise_type", "企业类型", pick("有限责任公司（自然人投资或控股）", "有限责任公司（国有独资）",
                                                   "股份有限公司（非上市）", "有限责任公司（外商投资企业法人独资）",
                                                   "个人独资企业", "有限合伙企业", weights=(60, 3, 5, 8, 12, 12))),
              col("legal_representative", "法定代表人", PERSON, "已脱敏"),
              col("registered_capital", "注册资本（万元）", nums(10, 5000, 2)),
              col("established_date", "成立日期", day()),
              *PLACE,
              col("status", "登记状态", pick("存续", "在业", "迁出", "注销", weights=(70, 20, 4, 6)))),
             rows=400, key=("credit_code",)),
       about="全市新设立企业的登记信息，含企业类型、注册资本、成立日期和住所。"),
    ds("district-gdp", "各区生产总值", "Gross domestic product by district", "sh-tjj", U, "annual",
       "生产总值 GDP 统计", "经济分析 区域发展",
       Table((YEAR_COL, DISTRICT_COL,
              col("gdp", "地区生产总值（亿元）", scaled(6, 26, 1)),
              col("growth_rate", "比上年增长（%）", nums(3, 12, 1)),
              col("tertiary_share", "第三产业占比（%）", nums(40, 92, 1))),
             frame=cross(("year", years(5)), ("district", DISTRICT_NAMES)), key=("year", "district"), xlsx=True)),
    ds("fiscal-budget-execution", "地方一般公共预算收支执行情况", "Local general public budget execution", "sh-czj", U,
       "annual", "财政 预算 决算", "财政监督 经济分析",
       Table((YEAR_COL,
              col("item", "预算科目", item("item")),
              col("category", "收支类别", item("category")),
              col("budget", "预算数（亿元）", nums(20, 1200, 2)),
              col("actual", "执行数（亿元）", share("budget", 0.92, 1.12, 2)),
              col("yoy_growth", "比上年增长（%）", nums(-5, 18, 1))),
             frame=cross(("year", years(5)), ("item", records("item category", """
                 税收收入:收入 非税收入:收入 一般公共服务支出:支出 教育支出:支出 科学技术支出:支出
                 社会保障和就业支出:支出
                 医疗卫生与计划生育支出:支出 城乡社区支出:支出 交通运输支出:支出 节能环保支出:支出"""))),
             key=("year", "item"), xlsx=True)),
    ds("major-projects", "市重大工程项目", "Major municipal construction projects", "sh-fgw", U, "annual",
       "重大工程 投资 项目", "投资监管 城市规划",
       Table((col("project_id", "项目编号", texts("ZD{year}{n:03d}")),
              col("project_name", "项目名称", texts("轨道交通{line}号线{section}工程", "{road}道路改建工程",
                                                  "{district}{facility}新建工程", "{street}保障性住房基地",
                                                  line=[str(i) for i in range(5, 19)],
                                                  section=("", "延伸", "南段", "北段", "一期"),
                                                  facility=("区域医疗中心", "文化中心", "体育中心", "污水处理厂",
                                                            "学校"))),
              col("project_type", "项目类别", pick("交通基础设施", "生态环境", "社会事业", "城乡建设", "科技产业")),
              DISTRICT_COL,
              col("builder", "建设单位", texts("上海{brand}建设发展有限公司", "上海市{district}{unit}",
                                               unit=("建设和管理委员会", "教育局", "卫生和计划生育委员会"))),
              col("total_investment", "总投资（亿元）", nums(1, 300, 2)),
              col("start_date", "开工日期", day()),
              col("planned_completion", "计划完工日期", after("start_date", 365, 1825)),
              col("status", "项目状态", pick("新开工", "续建", "建成"))),
             rows=120, key=("project_id",)),
       about="列入年度计划的市重大工程项目，含项目类别、总投资和建设进度。"),
    ds("industrial-output", "规模以上工业总产值（分行业）", "Industrial output above designated size by industry",
       "sh-tjj", U, "monthly", "工业 产值 统计", "经济分析 产业研究",
       Table((MONTH_COL,
              col("industry", "行业", item("industry")),
              col("output_value", "工业总产值（亿元）", nums(50, 700, 1)),
              col("yoy_growth", "同比增长（%）", nums(-10, 15, 1))),
             frame=cross(("month", months(12)), ("industry", (
                 "电子信息产品制造业", "汽车制造业", "石油化工及精细化工制造业", "精品钢材制造业", "成套设备制造业",
                 "生物医药制造业", "纺织服装服饰业", "食品制造业", "电力热力生产和供应业", "通用设备制造业"))),
             key=("month", "industry"), xlsx=True)),
    ds("retail-sales", "社会消费品零售总额", "Total retail sales of consumer goods", "sh-tjj", U, "monthly",
       "消费 零售 统计", "经济分析 商业研究",
       Table((MONTH_COL,
              col("sector", "行业", item("sector")),
              col("retail_sales", "零售额（亿元）", nums(80, 900, 1)),
              col("yoy_growth", "同比增长（%）", nums(2, 12, 1))),
             frame=cross(("month", months(24)), ("sector", ("批发和零售业", "住宿和餐饮业"))), key=("month",
                                                                                                    "sector"))),
    ds("consumer-price-index", "居民消费价格指数", "Consumer price index", "sh-tjj", U, "monthly",
       "CPI 价格 统计", "经济分析 民生保障",
       Table((MONTH_COL,
              col("category", "商品类别", item("category")),
              col("index_yoy", "同比指数（上年同月=100）", nums(97, 106, 1)),
              col("index_mom", "环比指数（上月=100）", nums(98.5, 101.5, 1))),
             frame=cross(("month", months(12)), ("category", ("食品烟酒", "衣着", "居住", "生活用品及服务",
                                                              "交通和通信",
                                                             "教育文化和娱乐", "医疗保健", "其他用品和服务"))),
             key=("month", "category"))),
    ds("foreign-invested-enterprises", "外商投资企业设立信息", "Foreign-invested enterprises established", "sh-sww", C,
       "monthly", "外资 投资 企业", "招商引资 营商环境",
       Table((col("record_no", "备案编号", texts("WZ{year}{n:05d}")),
              col("enterprise_name", "企业名称", company("贸易", "投资咨询", "信息技术", "医药", "精密机械")),
              CREDIT_CODE_COL,
              col("investor_region", "投资方国别（地区）", pick("中国香港", "美国", "日本", "新加坡", "德国",
                                                                "中国台湾",
                                                          "韩国", "英国", "法国", "荷兰", weights=(35, 12, 12, 8, 7, 8,
                                                                                                   6, 4, 4, 4))),
              col("industry", "所属行业", pick("批发和零售业", "租赁和商务服务业", "科学研究和技术服务业", "制造业",
                                              "信息传输、软件和信息技术服务业", "金融业")),
              col("total_investment", "投资总额（万美元）", nums(20, 20000, 1)),
              DISTRICT_COL,
              col("filing_date", "备案日期", day())),
             rows=200, key=("record_no",))),
    ds("regional-headquarters", "跨国公司地区总部名录", "Regional headquarters of multinational companies", "sh-sww", C,
       "irregular", "总部经济 跨国公司", "招商引资 产业研究",
       Table((col("certificate_no", "认定编号", texts("HQ{n:04d}")),
              col("company_name", "企业名称", texts("{brand}（中国）投资有限公司", "{brand}（上海）管理有限公司")),
              col("parent_region", "母公司国别（地区）", pick("美国", "日本", "德国", "法国", "英国", "瑞士", "新加坡",
                                                              "韩国", "中国香港")),
              col("hq_type", "总部类型", pick("地区总部", "投资性公司", "研发中心", weights=(60, 25, 15))),
              *PLACE,
              col("recognised_date", "认定日期", since(2002))),
             rows=120, key=("certificate_no",), xlsx=True)),
    ds("government-procurement-awards", "政府采购中标公告", "Government procurement award notices", "sh-czj", U,
       "daily",
       "政府采购 招标 中标", "阳光采购 市场分析",
       Table((col("notice_no", "公告编号", texts("SHZC{year}-{n:05d}")),
              col("project_name", "采购项目名称", texts("{district}{object}采购项目",
                                                      object=("教学设备", "医疗设备", "信息化系统运维", "绿化养护服务",
                                                              "物业管理服务", "办公家具", "公务用车", "安防监控系统"))),
              col("purchaser", "采购人", texts("上海市{district}{unit}", unit=("教育局", "卫生和计划生育委员会",
                                                                               "绿化和市容管理局",
                                                                           "城市管理行政执法局", "图书馆",
                                                                               "疾病预防控制中心"))),
              col("method", "采购方式", pick("公开招标", "竞争性磋商", "竞争性谈判", "询价", "单一来源", weights=(55,
                      20, 10, 10, 5))),
              col("supplier", "中标供应商", company("科技", "信息技术", "物业管理", "设备", "园林绿化")),
              col("amount", "中标金额（万元）", nums(5, 2000, 2)),
              col("notice_date", "公告日期", day())),
             rows=300, key=("notice_no",))),
    ds("development-zones", "产业园区名录", "Development zones and industrial parks", "sh-jxw", U, "irregular",
       "开发区 产业园区", "产业布局 招商引资",
       Table((col("zone_name", "园区名称", item("name")),
              col("level", "园区级别", item("level")),
              DISTRICT_COL, ADDRESS_COL,
              col("leading_industry", "主导产业", pick("集成电路", "生物医药", "汽车制造", "化工新材料", "信息服务",
                                                      "高端装备", "商务服务", "金融服务")),
              col("planned_area", "规划面积（平方公里）", nums(2, 60, 2)),
              col("enterprises", "入驻企业数（家）", ints(100, 3000)), *POINT),
             frame=fixed(DEVELOPMENT_ZONES), key=("zone_name",), xlsx=True)),
    ds("farmer-cooperatives", "农民专业合作社名录", "Farmers' specialised co-operatives", "sh-nyncw", C, "irregular",
       "农业 合作社", "农业服务 乡村振兴",
       Table((col("credit_code", "统一社会信用代码", credit_code("93")),
              col("cooperative_name", "合作社名称", texts("上海{district_short}{brand}{crop}专业合作社",
                                                        crop=("蔬菜", "果蔬", "水稻", "西甜瓜", "草莓", "葡萄",
                                                              "水产养殖", "食用菌", "蜜梨"))),
              DISTRICT_COL, STREET_COL,
              col("main_products", "主营产品", pick("蔬菜", "水稻", "瓜果", "水产", "花卉苗木", "食用菌")),
              col("members", "成员数（人）", ints(5, 300)),
              col("established_date", "成立日期", since(2008)), PHONE_COL),
             rows=200, key=("credit_code",), districts=SUBURBAN_DISTRICTS),
       about="郊区各区登记的农民专业合作社，含所属街镇、主营产品和成员数。"),
    ds("jingan-office-buildings", "静安区商务楼宇名录", "Office buildings in Jing'an District", "sh-jingan", U,
       "irregular", "商务楼宇 楼宇经济", "招商引资 商务服务",
       Table((col("building_name", "楼宇名称", texts("{brand}大厦", "{brand}中心", "{road}{brand}广场")),
              ADDRESS_COL,
              col("floors", "楼层数", ints(10, 60)),
              col("gross_area", "建筑面积（平方米）", ints(10000, 200000)),
              col("grade", "楼宇等级", pick("甲级", "乙级", weights=(40, 60))),
              col("occupancy_rate", "入驻率（%）", nums(70, 99, 1)), *POINT),
             rows=80, xlsx=True)),
    ds("songjiang-industrial-enterprises", "松江区规模以上工业企业名录",
       "Industrial enterprises above designated size in Songjiang",
       "sh-songjiang", C, "annual", "工业 企业 松江", "产业研究 企业服务",
       Table((CREDIT_CODE_COL,
              col("enterprise_name", "企业名称", company("电子", "精密机械", "汽车零部件", "新材料", "生物科技",
                                                         "包装")),
              STREET_COL,
              col("industry", "所属行业", pick("计算机、通信和其他电子设备制造业", "通用设备制造业", "汽车制造业",
                                              "化学原料和化学制品制造业", "医药制造业", "橡胶和塑料制品业")),
              col("output_value", "工业总产值（万元）", ints(2000, 800000)),
              col("employees", "从业人员（人）", ints(20, 3000))),
             rows=150, key=("credit_code",))),
)

ENVIRONMENT: tuple[Spec, ...] = (
    ds("yrd-air-quality-hourly", "长三角区域空气质量小时数据", "Yangtze River Delta hourly air quality", "sh-sthjj", U,
       "realtime", "空气质量 AQI 长三角", "环境监测 健康出行",
       Table((col("city", "城市", item("city")),
              col("monitor_time", "监测时间", item("monitor_time", "datetime")),
              col("aqi", "空气质量指数", ints(18, 230)),
              col("pm2_5", "PM2.5（微克/立方米）", share("aqi", 0.45, 0.75)),
              col("pm10", "PM10（微克/立方米）", share("pm2_5", 1.2, 1.8)),
              col("o3", "臭氧（微克/立方米）", ints(10, 220)),
              col("no2", "二氧化氮（微克/立方米）", ints(8, 110)),
              col("so2", "二氧化硫（微克/立方米）", ints(3, 35)),
              col("co", "一氧化碳（毫克/立方米）", nums(0.3, 2.0, 1)),
              col("primary_pollutant", "首要污染物", derived("string", primary_pollutant), "AQI不超过50时为空"),
              col("quality_level", "空气质量级别", banded("aqi", AQI_BANDS))),
             frame=cross(("city", YRD_CITIES), ("monitor_time", times(0, 24, 60))), key=("city", "monitor_time")),
       about="长三角区域16个城市的逐小时空气质量监测数据，含AQI、六项污染物浓度和首要污染物。"),
    ds("yrd-air-quality-forecast", "长三角区域空气质量预报", "Yangtze River Delta air quality forecast", "sh-sthjj", U,
       "daily", "空气质量 预报 长三角", "环境监测 健康出行",
       Table((col("city", "城市", item("city")),
              col("forecast_date", "预报日期", item("forecast_date", "date")),
              col("aqi_low", "AQI下限", ints(20, 150)),
              col("aqi_high", "AQI上限", derived("integer", lambda c: c.values["aqi_low"] + c.rng.randint(15, 60))),
              col("quality_level", "空气质量级别（按上限）", banded("aqi_high", AQI_BANDS)),
              col("primary_pollutant", "首要污染物", pick("PM2.5", "O3", "PM10", weights=(60, 30, 10)))),
             frame=cross(("city", YRD_CITIES), ("forecast_date", days(3))), key=("city", "forecast_date"), xlsx=True),
       about="长三角区域空气质量预报会商结果，逐日给出16个城市的AQI范围、级别和首要污染物。"),
    ds("fixed-pollution-sources", "固定污染源统一编码信息", "Fixed pollution sources with unified codes", "sh-sthjj", C,
       "monthly", "污染源 排污 统一编码", "环境监管 企业服务",
       Table((CREDIT_CODE_COL,
              col("source_code", "污染源统一编码", derived("string",
                      lambda c: f"{c.values['credit_code']}{c.rng.randint(1, 3):03d}P"),
                  "统一社会信用代码+3位顺序码+类别码（P：排污单位）"),
              col("unit_name", "单位名称", company("化工", "电子", "印染", "金属制品", "医药", "印务", "热电")),
              col("industry", "行业类别", pick("化学原料和化学制品制造业", "金属制品业", "汽车制造业",
                                               "电力、热力生产和供应业",
                                              "纺织业", "印刷和记录媒介复制业", "医药制造业", "橡胶和塑料制品业",
                                              "计算机、通信和其他电子设备制造业", "污水处理及其再生利用")),
              *PLACE, *POINT,
              col("pollutant_types", "排放类别", pick("废气", "废水", "废气；废水", "废水；固体废物",
                                                      "废气；废水；噪声")),
              col("key_unit", "是否重点排污单位", flag(0.3))),
             rows=300, key=("source_code",)),
       about="按全市固定污染源统一编码规则赋码的排污单位，码由统一社会信用代码、顺序码和类别码组成。"),
    ds("surface-water-quality", "地表水水质自动监测", "Surface water quality automatic monitoring", "sh-sthjj", C,
       "daily",
       "水质 地表水 监测", "环境监测 河道治理",
       Table((col("station", "监测断面", item("station")),
              col("river", "河流（湖泊）", item("river")), DISTRICT_COL,
              col("monitor_date", "监测日期", item("monitor_date", "date")),
              col("water_temp", "水温（℃）", nums(5, 30, 1)),
              col("ph", "酸碱度（pH）", nums(6.8, 8.2, 2)),
              col("dissolved_oxygen", "溶解氧（毫克/升）", nums(2, 10, 2)),
              col("permanganate_index", "高锰酸盐指数（毫克/升）", nums(2, 8, 2)),
              col("ammonia_nitrogen", "氨氮（毫克/升）", nums(0.1, 2.5, 2)),
              col("total_phosphorus", "总磷（毫克/升）", nums(0.05, 0.4, 3)),
              col("water_class", "水质类别（按氨氮）", banded("ammonia_nitrogen", WATER_CLASS_BANDS))),
             frame=cross(("station", WATER_STATIONS), ("monitor_date", days(14))), key=("station", "monitor_date"))),
    ds("regional-noise-monitoring", "区域环境噪声监测", "Regional environmental noise monitoring", "sh-sthjj", C,
       "annual",
       "噪声 声环境", "环境监测 城市规划",
       Table((col("point_id", "点位编号", texts("N{n:04d}")), DISTRICT_COL, STREET_COL,
              col("zone_type", "声环境功能区", pick("1类区（居住文教）", "2类区（混合区）", "3类区（工业区）",
                                                    "4类区（交通干线两侧）")),
              col("day_leq", "昼间等效声级（分贝）", nums(48, 70, 1)),
              col("night_leq", "夜间等效声级（分贝）", derived("number",
                      lambda c: round(c.values["day_leq"] - c.rng.uniform(5, 12), 1))),
              col("monitor_date", "监测日期", day())),
             rows=200, key=("point_id",), xlsx=True)),
    ds("public-green-spaces", "公共绿地信息", "Public green spaces", "sh-lhsrj", U, "annual",
       "绿地 绿化", "生态建设 休闲游憩",
       Table((col("green_id", "绿地编号", texts("LD{n:05d}")),
              col("green_name", "绿地名称", texts("{road}绿地", "{street_short}街心花园", "{road}{road2}口袋公园",
                                                  "{road}防护绿带")),
              col("green_type", "绿地类型", pick("公园绿地", "街旁绿地", "防护绿地", "广场绿地")),
              DISTRICT_COL,
              col("area", "面积（平方米）", ints(800, 120000)),
              col("built_year", "建成年份", ints(1985, 2015)), *POINT),
             rows=250, key=("green_id",))),
    ds("tap-water-quality", "供水水质公示", "Tap water quality by treatment plant", "sh-water", U, "monthly",
       "供水 水质 自来水", "饮水安全 民生服务",
       Table((col("plant", "水厂", item("plant")), DISTRICT_COL, MONTH_COL,
              col("turbidity", "浑浊度（NTU）", nums(0.05, 0.5, 2)),
              col("free_chlorine", "游离余氯（毫克/升）", nums(0.3, 1.2, 2)),
              col("total_coliform", "总大肠菌群（CFU/100毫升）", ints(0, 0)),
              col("permanganate_index", "耗氧量（毫克/升）", nums(1.0, 2.8, 2)),
              col("compliance_rate", "综合合格率（%）", nums(99.5, 100, 2))),
             frame=cross(("plant", WATER_PLANTS), ("month", months(12))), key=("plant", "month"), xlsx=True)),
    ds("weather-station-hourly", "自动气象站逐时观测", "Automatic weather station hourly observations", "sh-qxj", C,
       "realtime", "气象 天气 观测", "气象服务 防灾减灾",
       Table((col("station_id", "站号", item("station_id")), col("station_name", "站名", item("station_name")),
              DISTRICT_COL,
              col("observe_time", "观测时间", item("observe_time", "datetime")),
              col("temperature", "气温（℃）", nums(-2, 36, 1)),
              col("relative_humidity", "相对湿度（%）", ints(35, 98)),
              col("precipitation", "小时降水量（毫米）", derived("number",
                      lambda c: 0.0 if c.rng.random() < 0.8 else round(c.rng.uniform(0.1, 12), 1))),
              col("wind_speed", "风速（米/秒）", nums(0, 10, 1)),
              col("wind_direction", "风向", pick("北", "东北", "东", "东南", "南", "西南", "西", "西北")),
              col("pressure", "气压（百帕）", nums(1000, 1030, 1))),
             frame=cross(("station", WEATHER_STATIONS), ("observe_time", times(0, 24, 60))),
             key=("station_id", "observe_time"))),
    ds("waste-transfer-stations", "生活垃圾中转站", "Household waste transfer stations", "sh-lhsrj", C, "irregular",
       "垃圾 环卫 中转站", "环卫管理 城市管理",
       Table((col("station_name", "中转站名称", texts("{street}生活垃圾中转站", "{road}小型压缩站")), *PLACE,
              col("capacity", "设计规模（吨/日）", ints(20, 1200)),
              col("operator", "运营单位", company("环境卫生", "环境工程", "环保科技")), PHONE_COL, *POINT),
             rows=120, xlsx=True)),
    ds("flood-pumping-stations", "防汛排水泵站", "Drainage and flood-control pumping stations", "sh-water", N,
       "irregular",
       "防汛 排水 泵站", "防汛调度 城市安全",
       Table((col("station_id", "泵站编号", texts("BZ{n:04d}")),
              col("station_name", "泵站名称", texts("{road}雨水泵站", "{road}{road2}排水泵站",
                                                    "{street_short}防汛泵闸")), *PLACE,
              col("pump_capacity", "排水能力（立方米/秒）", nums(0.5, 40, 2)),
              col("service_area", "服务面积（平方公里）", nums(0.2, 8, 2)),
              col("built_year", "建成年份", ints(1980, 2015)), *POINT),
             rows=180, key=("station_id",))),
    ds("key-polluter-monitoring", "重点排污单位自动监测数据", "Automatic monitoring of key polluters", "sh-sthjj", C,
       "daily",
       "排污 在线监测 污染源", "环境监管 执法检查",
       Table((col("record_id", "记录编号", texts("M{n:06d}")),
              col("unit_name", "单位名称", company("化工", "热电", "印染", "电镀", "水务")),
              col("outlet", "排放口编号", texts("DA{num:03d}", "DW{num:03d}")),
              col("pollutant", "监测因子", pick("化学需氧量", "氨氮", "二氧化硫", "氮氧化物", "颗粒物")),
              col("monitor_time", "监测时间", moment()),
              col("concentration", "浓度", nums(0.5, 120, 2)),
              col("unit", "单位", lookup("pollutant", POLLUTANT_UNITS)),
              col("limit_value", "排放限值", pick(50, 100, 150)),
              col("exceeded", "是否超标", derived("boolean",
                                                  lambda c: c.values["concentration"] > c.values["limit_value"]))),
             rows=400, key=("record_id",))),
    ds("eia-approvals", "建设项目环境影响评价审批", "Environmental impact assessment approvals", "sh-sthjj", U,
       "weekly",
       "环评 审批 建设项目", "环境监管 营商环境",
       Table((col("approval_no", "批准文号", texts("沪环保许评〔{year}〕{n}号")),
              col("project_name", "项目名称", texts("{district}{street_short}{kind}项目", kind=("生产线技术改造",
                      "新建厂房", "污水处理厂扩建",
                                                                                          "商业综合体", "医院新建",
                                                                                                "变电站新建"))),
              col("builder", "建设单位", company("实业", "电子", "置业", "电力", "生物科技")), DISTRICT_COL,
              col("eia_type", "环评文件类型", pick("报告书", "报告表", weights=(25, 75))),
              col("total_investment", "总投资（万元）", ints(500, 500000)),
              col("approval_date", "审批日期", day())),
             rows=200, key=("approval_no",))),
    ds("land-transactions", "国有建设用地使用权出让", "Transfers of state-owned construction land use rights",
       "sh-ghzyj", U,
       "monthly", "土地 出让 土地供应", "土地市场 规划管理",
       Table((col("plot_name", "地块名称", texts("{district}{street}{n:03d}号地块")), DISTRICT_COL,
              col("land_use", "土地用途", pick("住宅用地", "商服用地", "工业用地", "科研设计用地", "租赁住房用地")),
              col("area", "出让面积（平方米）", ints(5000, 150000)),
              col("plot_ratio", "容积率", nums(1.0, 3.5, 1)),
              col("method", "出让方式", pick("挂牌", "招标", "拍卖", weights=(70, 20, 10))),
              col("price", "成交价（万元）", share("area", 0.1, 6)),
              col("winner", "受让人", company("置业", "房地产开发", "投资发展", "实业")),
              col("deal_date", "成交日期", day())),
             rows=150, key=("plot_name",), xlsx=True)),
    ds("jiading-rural-sewage", "嘉定区农村生活污水处理设施", "Rural sewage treatment facilities in Jiading",
       "sh-jiading", U,
       "annual", "农村 污水处理 嘉定", "乡村振兴 河道治理",
       Table((col("facility_id", "设施编号", texts("JD-WS{n:03d}")),
              col("village", "所在村", texts("{street}{word}村", word=("新", "联", "华", "永", "红", "建", "金",
                                                                       "和"))), STREET_COL,
              col("households", "受益户数", ints(50, 800)),
              col("capacity", "处理规模（立方米/日）", ints(10, 300)),
              col("process", "处理工艺", pick("A/O工艺", "人工湿地", "MBR膜处理", "生物滤池")),
              col("completed_date", "建成日期", day()), *POINT),
             rows=90, key=("facility_id",), xlsx=True)),
)

EDUCATION: tuple[Spec, ...] = (
    ds("primary-secondary-schools", "中小学校名录", "Primary and secondary schools", "sh-jw", U, "annual",
       "学校 中小学 教育", "入学服务 教育资源",
       Table((col("school_id", "学校编号", texts("SCH{n:05d}")),
              col("stage", "学段", pick("小学", "初级中学", "九年一贯制学校", "完全中学", "高级中学", weights=(45, 20,
                      12, 10, 13))),
              col("school_name", "学校名称", texts_by("stage", SCHOOL_NAMES)),
              col("ownership", "办学性质", pick("公办", "民办", weights=(85, 15))),
              *PLACE, PHONE_COL, *POINT,
              col("classes", "班级数", ints(12, 60)),
              col("students", "在校学生数", share("classes", 28, 42))),
             rows=320, key=("school_id",)),
       about="全市中小学校的基本信息，含学段、办学性质、地址、班级数和在校学生数。"),
    ds("kindergartens", "幼儿园名录", "Kindergartens", "sh-jw", U, "annual", "幼儿园 学前教育", "入园服务 教育资源",
       Table((col("kindergarten_id", "幼儿园编号", texts("KG{n:05d}")),
              col("name", "幼儿园名称", texts("上海市{district}{road}幼儿园", "上海市{district}{street_short}幼儿园",
                                              "上海{brand}幼儿园")),
              col("ownership", "办园性质", pick("公办", "民办", weights=(70, 30))),
              col("grade", "等级", pick("示范园", "一级园", "二级园", weights=(10, 45, 45))), *PLACE, PHONE_COL,
              col("classes", "班级数", ints(4, 20))),
             rows=250, key=("kindergarten_id",), xlsx=True)),
    ds("higher-education-institutions", "普通高等学校名录", "Higher education institutions", "sh-jw", U, "annual",
       "高校 大学 高等教育", "升学服务 科研合作",
       Table((col("school_name", "学校名称", item("name")), DISTRICT_COL, ADDRESS_COL,
              col("category", "学校类别", item("category")),
              col("authority", "主管部门", item("authority")),
              col("ownership", "办学性质", item("ownership")),
              col("level", "办学层次", pick("本科")), PHONE_COL, *POINT),
             frame=fixed(UNIVERSITIES), key=("school_name",), xlsx=True)),
    ds("high-tech-enterprises", "高新技术企业认定名单", "Certified high-tech enterprises", "sh-kw", U, "annual",
       "高新技术企业 科技创新", "科技金融 企业服务",
       Table((col("certificate_no", "证书编号", texts("GR{year}31{n:06d}")),
              col("enterprise_name", "企业名称", company("科技", "信息技术", "生物科技", "新材料科技", "智能科技",
                                                         "软件")),
              CREDIT_CODE_COL, DISTRICT_COL,
              col("tech_field", "技术领域", pick("电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务",
                                                "新能源与节能", "资源与环境", "先进制造与自动化")),
              col("certified_date", "认定日期", day()),
              col("valid_until", "有效期至", after("certified_date", 1094, 1094))),
             rows=400, key=("certificate_no",))),
    ds("patent-grants", "专利授权信息", "Patent grants", "sh-zscqj", C, "weekly", "专利 知识产权",
       "科技研究 知识产权服务",
       Table((col("patent_type", "专利类型", pick(*PATENT_TITLES, weights=(30, 50, 20))),
              col("grant_date", "授权公告日", day()),
              col("application_date", "申请日", after("grant_date", -900, -120)),
              col("patent_no", "专利号", derived("string", patent_number), "ZL+申请年份+类型码+流水号+校验位"),
              col("title", "专利名称", texts_by("patent_type", PATENT_TITLES, **PATENT_WORDS)),
              col("patentee", "专利权人", company("科技", "电子", "医药", "智能装备")), DISTRICT_COL),
             rows=400, key=("patent_no",))),
    ds("tech-incubators", "科技企业孵化器名录", "Technology business incubators", "sh-kw", U, "annual",
       "孵化器 众创空间 创业", "创新创业 企业服务",
       Table((col("incubator_name", "孵化器名称", texts("{brand}创业孵化器",
               "上海{district_short}{brand}科技企业孵化器", "{brand}众创空间")),
              col("operator", "运营机构", company("创业投资", "科技园发展", "孵化器管理")),
              col("level", "认定级别", pick("国家级", "市级", "区级", weights=(20, 40, 40))), *PLACE,
              col("area", "孵化场地面积（平方米）", ints(2000, 50000)),
              col("tenants", "在孵企业数", ints(10, 200)), PHONE_COL),
             rows=120, xlsx=True)),
    ds("school-enrolment-stats", "各区中小学招生统计", "School enrolment by district", "sh-jw", U, "annual",
       "招生 统计 教育", "教育规划 入学服务",
       Table((YEAR_COL, DISTRICT_COL, col("stage", "学段", item("stage")),
              col("schools", "学校数", scaled(0.05, 0.12)),
              col("new_students", "招生人数", scaled(8, 14)),
              col("classes", "新生班级数", derived("integer", lambda c: c.values["new_students"] // 35 + 1))),
             frame=cross(("year", years(5)), ("district", DISTRICT_NAMES), ("stage", ("小学", "初中", "高中"))),
             key=("year", "district", "stage"))),
    ds("instrument-sharing", "大型科学仪器设施共享目录", "Shared large scientific instruments", "sh-kw", C, "irregular",
       "科学仪器 共享 科研", "科研服务 资源共享",
       Table((col("instrument_id", "仪器编号", texts("YQ{n:06d}")),
              col("instrument_name", "仪器名称", pick("透射电子显微镜", "扫描电子显微镜", "核磁共振波谱仪",
                                                      "高效液相色谱仪",
                                                    "气相色谱-质谱联用仪", "X射线衍射仪", "激光共聚焦显微镜",
                                                      "流式细胞仪",
                                                    "电感耦合等离子体质谱仪", "原子力显微镜", "超高速离心机",
                                                      "基因测序仪")),
              col("model", "型号", texts("{series}{num}", series=("JEM-", "Nova-", "AVANCE-", "Agilent-", "D8-", "LSM-",
                                                                  "FACS-"))),
              col("institution", "所属单位", pick(*RESEARCH_INSTITUTIONS)),
              col("original_value", "原值（万元）", nums(50, 3000, 1)), *PLACE,
              col("service_hours", "对外服务时间", pick("工作日 9:00-17:00", "全天预约", "每周二、四")), PHONE_COL),
             rows=250, key=("instrument_id",))),
    ds("vocational-training-institutions", "职业技能培训机构", "Vocational skills training institutions", "sh-rsj", C,
       "irregular", "职业培训 技能", "就业服务 技能提升",
       Table((col("licence_no", "办学许可证号", texts("沪人社培{n:05d}")),
              col("institution_name", "机构名称", texts("上海市{district_short}区{brand}职业技能培训学校",
                                                        "上海{brand}职业技能培训中心")),
              *PLACE,
              col("programmes", "主要培训项目", pick("电工", "育婴员", "养老护理员", "中式烹调师", "计算机操作员",
                                                     "美容师",
                                                   "汽车维修工", "焊工", "保育员", "会计")),
              col("ownership", "办学性质", pick("民办", "公办", weights=(80, 20))), PHONE_COL),
             rows=200, key=("licence_no",))),
    ds("student-fitness-stats", "学生体质健康监测汇总", "Student physical fitness monitoring summary", "sh-jw", N,
       "annual",
       "学生体质 健康监测", "教育评估 健康促进",
       Table((YEAR_COL, DISTRICT_COL, col("stage", "学段", item("stage")),
              col("tested", "测试人数", scaled(20, 45)),
              col("excellent_rate", "优秀率（%）", nums(10, 30, 1)),
              col("good_rate", "良好率（%）", nums(25, 40, 1)),
              col("fail_rate", "不及格率（%）", nums(3, 12, 1)),
              col("pass_rate", "及格率（%）", derived("number", pass_rate))),
             frame=cross(("year", years(3)), ("district", DISTRICT_NAMES), ("stage", ("小学", "初中", "高中"))),
             key=("year", "district", "stage"), xlsx=True),
       about="全市中小学生体质健康标准测试结果的汇总统计，不含学生个人信息。"),
    ds("key-laboratories", "重点实验室名录", "Key laboratories", "sh-kw", C, "irregular", "实验室 科研",
       "科研合作 成果转化",
       Table((col("lab_id", "实验室编号", texts("SYS{n:03d}")),
              col("lab_name", "实验室名称", texts("上海市{field}重点实验室", "{field}国家重点实验室",
                                                field=("智能制造", "集成电路", "干细胞", "肿瘤", "脑科学", "新能源汽车",
                                                       "海洋工程",
                                                       "城市安全", "大数据", "材料基因组", "量子调控", "航运技术",
                                                       "环境化学", "作物遗传"))),
              col("host", "依托单位", pick(*RESEARCH_INSTITUTIONS)),
              col("level", "级别", pick("国家级", "市级", weights=(25, 75))),
              col("approved_year", "批准年份", ints(1995, 2015)), PHONE_COL),
             rows=80, key=("lab_id",), xlsx=True)),
    ds("science-education-bases", "科普教育基地", "Science popularisation bases", "sh-kw", U, "annual",
       "科普 教育基地", "科学教育 亲子活动",
       Table((col("base_name", "基地名称", texts("上海{brand}科普馆", "{district_short}{topic}科普教育基地",
                                                 "{street_short}科普园地",
                                                 topic=("气象", "地震", "水务", "禁毒", "消防", "生态", "航天"))),
              col("category", "基地类别", pick("场馆类", "教育科研类", "生产类", "自然生态类")), *PLACE,
              col("open_days", "开放时间", pick("周二至周日", "工作日", "每月第一个周六", "预约开放")), PHONE_COL,
              *POINT),
             rows=150)),
    ds("minhang-school-zoning", "闵行区义务教育学区划分", "Compulsory education catchment areas in Minhang",
       "sh-minhang", U,
       "annual", "学区 招生 闵行", "入学服务 教育资源",
       Table((col("zone_id", "学区编号", texts("MH{n:03d}")),
              col("school_name", "学校名称", texts("上海市闵行区{street_short}{kind}", kind=("小学", "中学", "实验小学",
                                                                                             "第二中学"))),
              col("stage", "学段", pick("小学", "初中")), STREET_COL,
              col("catchment", "对口地段", texts("{road}以东、{road2}以北的居住小区", "{street}{road}沿线居民区")),
              col("planned_places", "计划招生数", ints(80, 400))),
             rows=120, key=("zone_id",), xlsx=True)),
    ds("yangpu-innovation-spaces", "杨浦区创新创业载体", "Innovation and start-up spaces in Yangpu", "sh-yangpu", C,
       "irregular", "双创 众创空间 杨浦", "创新创业 企业服务",
       Table((col("space_name", "载体名称", texts("{brand}众创空间", "{brand}创业苗圃", "{road}{brand}创新中心")),
              col("space_type", "载体类型", pick("众创空间", "孵化器", "加速器", "创业苗圃")),
              col("operator", "运营机构", company("创业服务", "科技园发展")), ADDRESS_COL,
              col("area", "面积（平方米）", ints(500, 30000)),
              col("residents", "入驻团队数", ints(5, 150))),
             rows=80)),
)

TRANSPORT: tuple[Spec, ...] = (
    ds("bus-lines", "公交线路基本信息", "Bus line basic information", "sh-jtw", U, "monthly",
       "公交 线路 出行", "出行服务 交通规划",
       Table((col("line_id", "线路编号", item("line_id")),
              col("line_name", "线路名称", item("line_name")),
              col("operator", "运营企业", pick(*BUS_OPERATORS)),
              col("line_type", "线路类型", pick("常规线路", "高峰线路", "夜宵线", "区域线路", weights=(75, 8, 7, 10))),
              col("start_stop", "起点站", texts("{road}{road2}")),
              col("end_stop", "终点站", derived("string", bus_terminal)),
              col("first_bus", "首班时间", clock(5, 6)),
              col("last_bus", "末班时间", clock(20, 23)),
              col("length_km", "线路长度（公里）", nums(4, 38, 1)),
              col("fare", "票价（元）", pick(2, 1, 3, weights=(80, 12, 8))),
              col("stop_count", "站点数", ints(8, 45)), DISTRICT_COL),
             frame=bus_line_frame, key=("line_id",)),
       Table((col("line_name", "线路名称", item("line_name")),
              col("stop_seq", "站序", item("stop_seq", "integer")),
              col("stop_name", "站点名称", texts("{road}{road2}")), DISTRICT_COL, *POINT),
             frame=cross(("line", NAMED_BUS_LINE_ITEMS), ("stop_seq", range(1, 25))), key=("line_name", "stop_seq"),
             part="stops", part_title="线路站点"),
       about="全市950余条公交线路中的300条线路的基本信息，并附主要线路的站点序列。"),
    ds("bus-arrivals-realtime", "公交线路实时到站信息", "Real-time bus arrivals", "sh-jtw", U, "realtime",
       "公交 实时到站 出行", "出行服务 实时信息",
       Table((col("record_id", "记录编号", texts("A{n:06d}")),
              col("line_name", "线路名称", pick(*NAMED_BUS_LINES)),
              col("direction", "方向", pick("上行", "下行")),
              col("stop_seq", "站序", ints(1, 30)),
              col("stop_name", "站点名称", texts("{road}{road2}")),
              col("vehicle_plate", "车辆牌照", PLATE),
              col("stops_away", "距本站站数", ints(0, 5)),
              col("distance_m", "距本站距离（米）", derived("integer", bus_distance)),
              col("eta_minutes", "预计到站（分钟）", derived("integer", lambda c: c.values["distance_m"] // 300)),
              col("report_time", "数据时间", moment(6, 21))),
             rows=400, key=("record_id",)),
       about="公交车辆实时位置推算的到站预报，覆盖主要公交线路，每条记录对应一辆车距某站点的位置。"),
    ds("bus-stops", "公交站点信息", "Bus stops", "sh-jtw", U, "monthly", "公交 站点", "出行服务 交通规划",
       Table((col("stop_id", "站点编号", texts("ST{n:05d}")),
              col("stop_name", "站点名称", texts("{road}{road2}")),
              col("road", "所在道路", ROAD), DISTRICT_COL, *POINT,
              col("line_count", "途经线路数", ints(1, 12)),
              col("has_shelter", "是否有候车亭", flag(0.8))),
             rows=400, key=("stop_id",), xlsx=True)),
    ds("public-car-park-status", "公共停车场实时泊位状态", "Public car park live status", "sh-jtw", U, "realtime",
       "停车场 泊位 实时", "出行服务 停车诱导",
       Table((col("park_id", "停车场编号", texts("P{n:04d}")),
              col("park_name", "停车场名称", texts("{road}{brand}停车场", "{brand}广场地下停车库",
                                                   "{street_short}公共停车场")),
              *PLACE, *POINT,
              col("park_type", "停车场类型", pick("地下", "地面", "立体", weights=(60, 25, 15))),
              col("total_spaces", "总泊位数", ints(50, 1200)),
              col("free_spaces", "空余泊位数", derived("integer", free_spaces)),
              col("status", "泊位状态", ratio_banded("free_spaces", "total_spaces", FREE_SPACE_BANDS)),
              col("hourly_fee", "收费标准（元/小时）", pick(5, 8, 10, 15)),
              col("update_time", "更新时间", moment(7, 22))),
             rows=220, key=("park_id",), districts=CENTRAL_DISTRICTS),
       about="中心城区220个公共停车场的实时空余泊位，用于停车诱导。"),
    ds("metro-stations", "轨道交通车站信息", "Metro stations", "sh-jtw", U, "irregular", "地铁 轨道交通 车站",
       "出行服务 交通规划",
       Table((col("station_id", "车站编号", texts("M{n:03d}")),
              col("station_name", "车站名称", item("station_name")),
              col("line", "所属线路", item("line")), DISTRICT_COL, *POINT,
              col("is_transfer", "是否换乘站", item("is_transfer", "boolean")),
              col("opened_date", "线路开通日期", item("opened_date", "date")),
              col("exits", "出入口数", ints(2, 16))),
             frame=fixed(METRO_STATIONS), key=("station_id",), xlsx=True)),
    ds("public-bicycle-stations", "公共自行车租赁点", "Public bicycle rental stations", "sh-jtw", C, "daily",
       "公共自行车 慢行交通", "出行服务 绿色出行",
       Table((col("station_id", "租赁点编号", texts("B{n:05d}")),
              col("station_name", "租赁点名称", texts("{road}{road2}站", "{street_short}社区站")), *PLACE, *POINT,
              col("docks", "锁止器数", ints(10, 40)),
              col("available_bikes", "可借车辆数", derived("integer", lambda c: c.rng.randint(0, c.values["docks"]))),
              col("service_hours", "服务时间", pick("06:00-21:00", "06:30-20:30", "24小时"))),
             rows=350, key=("station_id",))),
    ds("taxi-companies", "出租汽车企业运力信息", "Taxi companies and fleet sizes", "sh-ysglj", C, "quarterly",
       "出租车 运力", "行业监管 出行服务",
       Table((CREDIT_CODE_COL,
              col("company_name", "企业名称", texts("上海{brand}出租汽车有限公司", "上海{brand}汽车服务有限公司")),
              *PLACE,
              col("vehicles", "营运车辆数", ints(20, 3000)),
              col("drivers", "驾驶员数", share("vehicles", 1.5, 1.9)),
              col("livery", "车身颜色", pick("绿色", "蓝色", "红色", "金色", "白色")),
              col("service_phone", "服务电话", PHONE)),
             rows=60, key=("credit_code",), xlsx=True)),
    ds("ev-charging-stations", "电动汽车公共充电设施", "Public EV charging stations", "sh-fgw", C, "monthly",
       "充电桩 新能源汽车", "出行服务 新能源",
       Table((col("station_id", "充电站编号", texts("CD{n:05d}")),
              col("station_name", "充电站名称", texts("{road}{brand}充电站", "{brand}广场充电站",
                                                      "{street_short}公共充电站")),
              col("operator", "运营商", pick("国网上海市电力公司", "上海电巴新能源科技有限公司", "特来电新能源有限公司",
                                           "万帮新能源投资集团有限公司", "上海普天新能源科技有限公司",
                                             "上海依威能源科技有限公司")),
              *PLACE, *POINT,
              col("fast_chargers", "直流快充桩数", ints(0, 20)),
              col("slow_chargers", "交流慢充桩数", ints(0, 40)),
              col("public_access", "是否对社会开放", flag(0.85)),
              col("service_fee", "服务费（元/千瓦时）", nums(0.6, 1.8, 2))),
             rows=400, key=("station_id",))),
    ds("road-works", "道路施工占道信息", "Road works and lane closures", "sh-jtw", U, "daily", "道路施工 掘路 占道",
       "出行服务 交通管理",
       Table((col("permit_no", "许可编号", texts("沪交掘{year}{n:05d}")),
              col("road", "道路名称", ROAD),
              col("section", "施工路段", texts("{road2}至{cross}")), DISTRICT_COL,
              col("work_type", "施工类别", pick("燃气管道", "给水管道", "排水管道", "电力电缆", "通信管线", "道路大修",
                                                "轨道交通配套")),
              col("contractor", "施工单位", company("建设工程", "市政工程", "管道工程")),
              col("start_date", "开工日期", day()),
              col("end_date", "完工日期", after("start_date", 3, 120)),
              col("lanes_closed", "占用车道数", ints(1, 3)),
              col("night_only", "是否夜间施工", flag(0.4))),
             rows=250, key=("permit_no",))),
    ds("expressway-traffic-flow", "快速路断面交通流量", "Expressway traffic flow by section", "sh-gaj", C, "realtime",
       "交通流量 快速路 拥堵", "交通管理 出行服务",
       Table((col("segment_id", "路段编号", item("segment_id")),
              col("segment_name", "路段名称", item("segment_name")), DISTRICT_COL,
              col("record_time", "统计时间", item("record_time", "datetime")),
              col("volume", "流量（辆/小时）", ints(600, 6500)),
              col("avg_speed", "平均车速（公里/小时）", nums(12, 75, 1)),
              col("congestion", "拥堵状态", banded("avg_speed", ((20, "拥堵"), (35, "拥挤"), (50, "缓行"), (99,
                                                                                                            "畅通"))))),
             frame=cross(("segment", EXPRESSWAY_SEGMENTS), ("record_time", times(6, 24, 30))),
             key=("segment_id", "record_time")),
       conditions=SODA_CONDITIONS),
    ds("traffic-violation-stats", "道路交通违法行为统计", "Road traffic violations by type", "sh-gaj", U, "monthly",
       "交通违法 统计", "交通管理 安全宣传",
       Table((MONTH_COL,
              col("violation_type", "违法类型", item("violation_type")),
              col("cases", "查处起数", ints(2000, 160000)),
              col("yoy_change", "同比变化（%）", nums(-30, 40, 1))),
             frame=cross(("month", months(12)), ("violation_type", (
                 "机动车违反禁令标志", "机动车违反信号灯", "违法停车", "不按规定车道行驶", "未按规定让行", "超速行驶",
                 "非机动车闯红灯", "驾驶时使用手机"))),
             key=("month", "violation_type"), xlsx=True)),
    ds("transit-card-transactions", "公共交通卡刷卡记录（脱敏样本）",
       "Transit smart-card transactions (de-identified sample)",
       "sh-jtw", C, "daily", "交通卡 刷卡 SODA", "交通规划 客流分析",
       Table((col("record_id", "记录编号", texts("T{n:07d}")),
              col("card_hash", "卡号（脱敏）", HASH),
              col("txn_time", "交易时间", moment(5, 23)),
              col("mode", "交通方式", pick("地铁", "公交", "轮渡", "出租车", weights=(55, 35, 2, 8))),
              col("place", "线路或车站", derived("string", transit_place)),
              col("txn_type", "交易类型", derived("string", transit_txn_type)),
              col("amount", "交易金额（元）", derived("number", transit_amount))),
             rows=500, key=("record_id",)),
       about="公共交通卡在地铁、公交、轮渡和出租车上的刷卡记录抽样，卡号已做不可逆脱敏，曾作为SODA大赛数据。",
       conditions=SODA_CONDITIONS),
    ds("taxi-gps-sample", "出租汽车GPS轨迹（脱敏样本）", "Taxi GPS traces (de-identified sample)", "sh-ysglj", N,
       "realtime",
       "出租车 GPS 轨迹", "交通规划 客流分析",
       Table((col("vehicle_hash", "车辆标识（脱敏）", HASH),
              col("gps_time", "定位时间", moment()), *POINT,
              col("speed", "速度（公里/小时）", ints(0, 90)),
              col("heading", "方向角（度）", ints(0, 359)),
              col("occupied", "是否载客", flag(0.6))),
             rows=500)),
    ds("driving-schools", "机动车驾驶员培训机构", "Driving schools", "sh-ysglj", U, "irregular", "驾校 驾驶培训",
       "行业监管 便民服务",
       Table((CREDIT_CODE_COL,
              col("school_name", "驾校名称", texts("上海{brand}机动车驾驶员培训有限公司",
                                                   "上海{district_short}{brand}驾驶培训有限公司")),
              col("grade", "经营资质等级", pick("一级", "二级", "三级", weights=(30, 50, 20))), *PLACE, PHONE_COL,
              col("instructors", "教练员数", ints(20, 400)),
              col("field_area", "训练场面积（平方米）", ints(5000, 120000))),
             rows=90, key=("credit_code",), xlsx=True)),
    ds("coach-routes", "长途客运班线信息", "Long-distance coach routes", "sh-ysglj", C, "weekly", "长途客运 班线",
       "出行服务 城际交通",
       Table((col("route_id", "班线编号", texts("KY{n:04d}")),
              col("departure_station", "始发站", pick("上海长途汽车客运总站", "上海长途客运南站",
                                                      "上海沪太路长途汽车客运站",
                                                    "上海虹桥长途西站", "上海浦东长途客运站")),
              col("destination", "到达城市", pick("南京", "杭州", "苏州", "无锡", "合肥", "宁波", "南通", "温州",
                                                  "扬州",
                                                "黄山", "徐州", "绍兴", "盐城", "连云港", "义乌")),
              col("departure_time", "发车时间", clock(6, 20)),
              col("distance_km", "里程（公里）", ints(80, 700)),
              col("fare", "票价（元）", share("distance_km", 0.3, 0.4, 1)),
              col("daily_trips", "日发班次", ints(1, 20))),
             rows=300, key=("route_id",))),
)

SOCIETY: tuple[Spec, ...] = (
    ds("elderly-care-institutions", "养老机构名录", "Elderly care institutions", "sh-mzj", U, "quarterly",
       "养老 养老机构 老年人", "养老服务 民生保障",
       Table((col("institution_id", "机构编号", texts("YL{n:05d}")),
              col("institution_name", "机构名称", texts("上海市{district}{street}敬老院", "上海{brand}养老院",
                                                        "上海{district_short}{brand}护理院",
                                                      "上海市{district}{street_short}社区养老服务中心")),
              col("ownership", "机构性质", pick("公办", "公建民营", "民办", weights=(35, 20, 45))), *PLACE, PHONE_COL,
              col("beds", "核定床位数", ints(30, 600)),
              col("occupied_beds", "在住老人数", share("beds", 0.6, 0.98)),
              col("dementia_care", "是否提供认知症照护", flag(0.35)), *POINT),
             rows=400, key=("institution_id",)),
       about="全市养老机构的基本信息，含机构性质、核定床位、在住人数和认知症照护能力。"),
    ds("elderly-care-needs-assessment", "老年照护统一需求评估统计", "Elderly care unified needs assessment statistics",
       "sh-mzj", C, "monthly", "养老 照护评估 长期护理", "养老服务 政策评估",
       Table((MONTH_COL, DISTRICT_COL,
              col("applications", "申请人数", ints(300, 3000)),
              col("assessed", "完成评估人数", share("applications", 0.85, 0.98)),
              col("level_2_3", "照护等级二至三级", share("assessed", 0.30, 0.45)),
              col("level_4_5", "照护等级四至五级", share("assessed", 0.20, 0.30)),
              col("level_6", "照护等级六级", share("assessed", 0.05, 0.10)),
              col("level_0_1", "照护等级零至一级", remainder("assessed", "level_2_3", "level_4_5", "level_6"))),
             frame=cross(("month", months(12)), ("district", ("徐汇区", "普陀区", "金山区"))), key=("month",
                     "district"), xlsx=True),
       about="老年照护统一需求评估试点区的月度汇总，按照护等级统计评估人数，不含个人信息。"),
    ds("community-affairs-centres", "社区事务受理服务中心", "Community affairs service centres", "sh-mzj", U,
       "irregular",
       "社区事务 便民服务 街镇", "政务服务 便民办事",
       Table((col("centre_name", "中心名称", texts("{district}{street}社区事务受理服务中心")), DISTRICT_COL, STREET_COL,
              ADDRESS_COL,
              PHONE_COL,
              col("opening_hours", "服务时间", pick("周一至周五 9:00-17:00；周六 9:00-12:00", "周一至周六 9:00-17:00",
                                                    "工作日 8:30-17:00")),
              col("services", "可办理事项数", ints(150, 190)), *POINT),
             frame=fixed(STREET_ITEMS), key=("centre_name",), xlsx=True),
       about="全市213个街镇社区事务受理服务中心的地址、电话、服务时间和可办理事项数。"),
    ds("resident-population", "各区常住人口", "Resident population by district", "sh-tjj", U, "annual",
       "人口 常住人口 统计", "城市规划 公共服务配置",
       Table((YEAR_COL, DISTRICT_COL,
              col("resident_population", "常住人口（万人）", scaled(0.95, 1.02, 2)),
              col("registered_population", "户籍人口（万人）", share("resident_population", 0.55, 0.75, 2)),
              col("area", "面积（平方公里）", derived("number", lambda c: DISTRICT_BY_NAME[c.district].area_km2)),
              col("density", "人口密度（人/平方公里）", derived("integer",
                      lambda c: round(c.values["resident_population"] * 10000 / c.values["area"])))),
             frame=cross(("year", years(5)), ("district", DISTRICT_NAMES)), key=("year", "district"), xlsx=True)),
    ds("minimum-living-allowance", "城乡最低生活保障统计", "Minimum living allowance statistics", "sh-mzj", N,
       "monthly",
       "低保 社会救助", "社会救助 政策评估",
       Table((MONTH_COL, DISTRICT_COL,
              col("urban_households", "城镇低保户数", scaled(40, 90)),
              col("urban_persons", "城镇低保人数", share("urban_households", 1.3, 1.7)),
              col("rural_persons", "农村低保人数", derived("integer",
                      lambda c: 0 if c.district in CENTRAL_DISTRICTS[:-1] else c.rng.randint(200, 3000))),
              col("expenditure", "保障金支出（万元）", derived("number",
                      lambda c: round((c.values["urban_persons"] + c.values["rural_persons"]) * 0.088, 1)))),
             frame=cross(("month", months(12)), ("district", DISTRICT_NAMES)), key=("month", "district"))),
    ds("employment-stats", "就业和失业登记统计", "Employment and unemployment registrations", "sh-rsj", C, "monthly",
       "就业 失业 统计", "就业服务 经济分析",
       Table((MONTH_COL, DISTRICT_COL,
              col("new_jobs", "新增就业岗位", scaled(20, 60)),
              col("registered_unemployed", "登记失业人数", scaled(10, 25)),
              col("placed", "帮扶就业人数", share("registered_unemployed", 0.1, 0.3))),
             frame=cross(("month", months(12)), ("district", DISTRICT_NAMES)), key=("month", "district"))),
    ds("elderly-day-centres", "社区综合为老服务中心", "Community elderly service centres", "sh-mzj", U, "quarterly",
       "为老服务 日间照料 社区", "养老服务 社区服务",
       Table((col("centre_name", "中心名称", texts("{street}综合为老服务中心")), DISTRICT_COL, STREET_COL, ADDRESS_COL,
              PHONE_COL,
              col("services", "服务内容", pick("日间照料；助餐；康复", "助餐；医养结合；家庭照护床位",
                                               "日间照料；长者照护之家；助浴",
                                              "助餐；精神慰藉；辅具租赁")),
              col("day_care_places", "日间照料床位", ints(20, 80))),
             frame=sampled(STREET_ITEMS, 150), key=("centre_name",))),
    ds("veterans-service-stations", "退役军人服务站", "Veterans' service stations", "sh-tyjrswj", U, "irregular",
       "退役军人 服务站", "优抚服务 便民办事",
       Table((col("station_name", "服务站名称", texts("{street}退役军人服务站")), DISTRICT_COL, STREET_COL, ADDRESS_COL,
              PHONE_COL,
              col("opening_hours", "服务时间", pick("工作日 9:00-17:00", "周一至周六 9:00-16:30"))),
             frame=sampled(STREET_ITEMS, 180), key=("station_name",))),
    ds("disability-service-institutions", "残疾人服务机构", "Service institutions for disabled persons", "sh-cl", U,
       "irregular", "残疾人 阳光之家 康复", "助残服务 社区服务",
       Table((col("institution_name", "机构名称", texts("{street}阳光之家", "{street}阳光心园",
                                                        "{district}残疾人辅助器具服务中心",
                                                      "上海{brand}阳光基地", "{district}残疾人康复中心")),
              col("service_type", "服务类型", pick("阳光之家", "阳光心园", "阳光基地", "辅具服务", "康复机构")), *PLACE,
              PHONE_COL,
              col("capacity", "服务容量（人）", ints(10, 80))),
             rows=160)),
    ds("cemeteries", "经营性公墓名录", "Commercial cemeteries", "sh-mzj", U, "irregular", "公墓 殡葬",
       "殡葬服务 民生服务",
       Table((col("cemetery_name", "公墓名称", texts("上海{brand}陵园", "上海{brand}墓园",
                                                     "上海{district_short}{brand}公墓")), *PLACE,
              PHONE_COL,
              col("area_mu", "占地面积（亩）", ints(30, 800)),
              col("eco_burial", "是否提供生态葬", flag(0.7)),
              col("approved_date", "批准日期", since(1990))),
             rows=45, districts=SUBURBAN_DISTRICTS, xlsx=True)),
    ds("social-insurance-offices", "社会保险经办机构", "Social insurance service offices", "sh-rsj", U, "irregular",
       "社保 社会保险", "政务服务 便民办事",
       Table((col("office_name", "机构名称", texts("上海市{district}社会保险事业管理中心",
                                                   "{district}社保中心{street_short}受理点")),
              *PLACE, PHONE_COL,
              col("opening_hours", "服务时间", pick("工作日 9:00-17:00", "工作日 8:30-17:00；周六上午"))),
             rows=60)),
    ds("smart-community-pilots", "智慧社区试点名单", "Smart community pilots", "sh-jxw", U, "irregular",
       "智慧社区 智慧城市 试点", "智慧城市 社区治理",
       Table((col("pilot_id", "试点编号", texts("ZHSQ{n:03d}")),
              col("pilot_name", "试点名称", texts("{street}智慧社区")), DISTRICT_COL, STREET_COL,
              col("lead_unit", "牵头单位", derived("string",
                      lambda c: c.street + ("办事处" if c.street.endswith("街道") else "人民政府"))),
              col("batch", "批次", pick("第一批", "第二批")),
              col("focus", "建设重点", pick("智慧养老；社区服务", "智慧安防；智慧停车", "社区云平台；网格化管理",
                                            "智慧健康；社区信息屏")),
              col("approved_date", "认定日期", day())),
             frame=sampled(STREET_ITEMS, 50), key=("pilot_id",), xlsx=True),
       about="全市50个智慧社区建设试点的街镇、牵头单位和建设重点。"),
    ds("xuhui-meal-points", "徐汇区社区助餐点", "Community meal points for the elderly in Xuhui", "sh-xuhui", U,
       "monthly",
       "助餐 老年人 徐汇", "养老服务 社区服务",
       Table((col("point_name", "助餐点名称", texts("{street}{road}助餐点", "{street_short}老年助餐服务点")),
              STREET_COL, ADDRESS_COL,
              PHONE_COL,
              col("daily_meals", "日供餐能力（份）", ints(30, 400)),
              col("price", "餐标（元）", nums(8, 15, 1)),
              col("delivery", "是否送餐上门", flag(0.5))),
             rows=60, xlsx=True)),
)

SAFETY: tuple[Spec, ...] = (
    ds("food-safety-inspections", "食品安全监督抽检结果", "Food safety supervisory sampling results", "sh-scjgj", U,
       "weekly",
       "食品安全 抽检 SODA", "食品安全 消费提示",
       Table((col("sample_no", "抽样编号", texts("GC{year}31{n:06d}")),
              col("category", "食品大类", pick(*FOOD_CATEGORIES)),
              col("product_name", "样品名称", derived("string",
                                                      lambda c: c.rng.choice(FOOD_CATEGORIES[c.values["category"]]))),
              col("producer", "标称生产企业", company("食品", "食品科技", "农产品", "乳业")),
              col("sampled_unit", "被抽样单位", texts("上海{brand}超市有限公司{road}店", "{street_short}菜市场",
                                                      "上海{brand}餐饮管理有限公司")),
              DISTRICT_COL,
              col("sampling_date", "抽样日期", day()),
              col("result", "检验结论", derived("string", food_sample_result)),
              col("failed_item", "不合格项目", derived("string", food_failed_item), "检验结论为合格时为空")),
             rows=450, key=("sample_no",)),
       about="全市食品安全监督抽检的样品、被抽样单位和检验结论，曾作为SODA大赛数据。"),
    ds("fire-stations", "消防救援站", "Fire and rescue stations", "sh-xfzd", U, "irregular", "消防站 消防救援",
       "应急救援 城市安全",
       Table((col("station_name", "消防站名称", texts("{district_short}{road}消防救援站", "{street_short}消防救援站")),
              *PLACE, *POINT,
              col("station_type", "站点类型", pick("一级普通消防站", "二级普通消防站", "特勤消防站", "小型消防站",
                                                   weights=(40, 25, 10, 25))),
              col("vehicles", "消防车辆数", ints(3, 12)),
              col("firefighters", "指战员人数", share("vehicles", 5, 8))),
             rows=120, xlsx=True)),
    ds("emergency-shelters", "应急避难场所", "Emergency shelters", "sh-yjglj", U, "annual", "避难场所 应急",
       "应急管理 防灾减灾",
       Table((col("shelter_name", "避难场所名称", texts("{street}应急避难场所", "{brand}公园应急避难场所",
                                                        "{road}{brand}学校应急避难场所")),
              col("shelter_class", "场所类别", pick("Ⅰ类", "Ⅱ类", "Ⅲ类", weights=(10, 30, 60))), *PLACE, *POINT,
              col("area", "有效避难面积（平方米）", ints(2000, 120000)),
              col("capacity", "可容纳人数", derived("integer", lambda c: c.values["area"] // 2)),
              col("facilities", "配套设施", pick("应急供水；应急照明；应急厕所", "应急供水；应急供电；医疗救护",
                                                 "应急照明；物资储备"))),
             rows=150)),
    ds("hazardous-chemical-dealers", "危险化学品经营企业", "Hazardous chemical dealers", "sh-yjglj", N, "irregular",
       "危险化学品 安全生产", "安全监管 应急管理",
       Table((col("licence_no", "许可证编号", texts("沪（{district_short}）危化经字〔{year}〕{n:06d}")),
              col("enterprise_name", "企业名称", company("化工", "化学品", "石油化工", "气体")), CREDIT_CODE_COL,
              *PLACE,
              col("business_mode", "经营方式", pick("带储存", "不带储存", weights=(20, 80))),
              col("chemicals", "主要经营品种", pick("汽油；柴油", "甲醇；乙醇", "盐酸；硫酸", "液化石油气",
                                                    "油漆；稀释剂")),
              col("valid_until", "有效期至", day())),
             rows=200, key=("licence_no",))),
    ds("work-safety-accidents", "生产安全事故统计", "Work safety accident statistics", "sh-yjglj", U, "monthly",
       "安全生产 事故 统计", "安全监管 政策评估",
       Table((MONTH_COL, DISTRICT_COL,
              col("accidents", "事故起数", ints(0, 15)),
              col("deaths", "死亡人数", derived("integer", lambda c: c.rng.randint(0, c.values["accidents"]))),
              col("injuries", "受伤人数", ints(0, 20))),
             frame=cross(("month", months(12)), ("district", DISTRICT_NAMES)), key=("month", "district"), xlsx=True)),
    ds("police-stations", "公安派出所", "Police stations", "sh-gaj", U, "irregular", "派出所 公安", "便民办事 社会治安",
       Table((col("station_name", "派出所名称", texts("上海市公安局{district_short}分局{street_short}派出所")),
              DISTRICT_COL, STREET_COL, ADDRESS_COL,
              PHONE_COL, *POINT),
             frame=fixed(STREET_ITEMS), key=("station_name",))),
    ds("traffic-accident-records", "道路交通事故明细", "Road traffic accident records", "sh-gaj", N, "daily",
       "交通事故 道路安全", "交通管理 安全研究",
       Table((col("accident_id", "事故编号", texts("SG{year}{n:06d}")),
              col("occurred_at", "发生时间", moment()), DISTRICT_COL,
              col("road", "道路", ROAD),
              col("accident_type", "事故形态", pick("机动车与机动车", "机动车与非机动车", "机动车与行人", "单车事故")),
              col("deaths", "死亡人数", pick(0, 1, 2, weights=(92, 7, 1))),
              col("injuries", "受伤人数", ints(0, 4)),
              col("weather", "天气", pick("晴", "阴", "雨", "雾")),
              col("cause", "主要原因", pick("未按规定让行", "超速", "酒后驾驶", "违反信号灯", "违法变道", "疲劳驾驶"))),
             rows=300, key=("accident_id",))),
    ds("special-equipment-inspections", "特种设备定期检验信息", "Special equipment periodic inspections", "sh-scjgj", C,
       "monthly", "特种设备 电梯 检验", "安全监管 城市安全",
       Table((col("equipment_code", "设备注册代码", texts("{kind}3101{n:06d}", kind=("3110", "2110", "4210", "1210"))),
              col("equipment_type", "设备种类", pick("电梯", "锅炉", "压力容器", "起重机械", "场（厂）内专用机动车辆",
                                                     "大型游乐设施",
                                                   weights=(55, 8, 15, 12, 8, 2))),
              col("user_unit", "使用单位", company("物业管理", "实业", "制造", "商业管理")), *PLACE,
              col("inspection_date", "检验日期", day()),
              col("next_inspection", "下次检验日期", after("inspection_date", 365, 365)),
              col("conclusion", "检验结论", pick("合格", "复检合格", "不合格", weights=(92, 6, 2)))),
             rows=350, key=("equipment_code",))),
    ds("drug-quality-sampling", "药品质量抽检结果", "Drug quality sampling results", "sh-yjj", U, "monthly",
       "药品 抽检 质量", "药品安全 消费提示",
       Table((col("sample_no", "抽样编号", texts("YP{year}{n:05d}")),
              col("drug_name", "药品名称", pick("阿莫西林胶囊", "布洛芬缓释胶囊", "复方甘草片", "板蓝根颗粒",
                                                "维生素C片", "头孢克肟片",
                                              "盐酸二甲双胍片", "硝苯地平缓释片", "感冒灵颗粒", "阿司匹林肠溶片")),
              col("manufacturer", "标示生产企业", texts("{brand}药业有限公司", "上海{brand}制药有限公司")),
              col("batch_no", "批号", texts("{year}{num:04d}")),
              col("sampled_unit", "被抽样单位", texts("上海{brand}大药房{road}店",
                                                      "{district}{street}社区卫生服务中心")), DISTRICT_COL,
              col("sampling_date", "抽样日期", day()),
              col("result", "检验结果", pick("符合规定", "不符合规定", weights=(97, 3)))),
             rows=200, key=("sample_no",), xlsx=True)),
    ds("aed-locations", "公共场所AED配置点", "Public AED locations", "sh-wsjkw", U, "irregular", "AED 急救",
       "急救服务 城市安全",
       Table((col("place_name", "场所名称", texts("轨道交通{station}站", "{brand}广场",
                                                  "{district}{street}社区卫生服务中心", "{brand}体育中心",
                                               station=METRO_STATION_NAMES)),
              col("place_type", "场所类型", pick("轨道交通站", "机场", "火车站", "体育场馆", "商场", "学校", "公园")),
              *PLACE, *POINT,
              col("devices", "配置台数", ints(1, 3)),
              col("location_detail", "具体位置", pick("服务中心旁", "一楼大厅", "安检口附近", "站厅层客服中心"))),
             rows=150)),
    ds("waterlogging-points", "道路易积水点", "Road waterlogging-prone spots", "sh-water", N, "annual",
       "积水 防汛 道路",
       "防汛调度 出行服务",
       Table((col("point_id", "积水点编号", texts("JS{n:03d}")),
              col("road", "道路", ROAD), col("crossing", "交叉路口", texts("{road2}")), DISTRICT_COL, *POINT,
              col("cause", "积水原因", pick("地势低洼", "排水管网能力不足", "下立交")),
              col("max_depth", "历史最大积水深度（厘米）", ints(10, 50)),
              col("measures", "整治措施", pick("新建泵站", "管网改造", "增设排水口", "临时强排"))),
             rows=100, key=("point_id",), xlsx=True)),
    ds("police-call-stats", "110接报警情统计", "110 emergency call statistics", "sh-gaj", N, "monthly", "110 报警 警情",
       "社会治安 警力部署",
       Table((MONTH_COL, DISTRICT_COL,
              col("calls", "有效报警数", scaled(60, 110)),
              col("criminal", "刑事类警情", share("calls", 0.05, 0.12)),
              col("public_order", "治安类警情", share("calls", 0.15, 0.25)),
              col("traffic", "交通类警情", share("calls", 0.25, 0.35)),
              col("other", "求助及其他", remainder("calls", "criminal", "public_order", "traffic"))),
             frame=cross(("month", months(12)), ("district", DISTRICT_NAMES)), key=("month", "district"))),
    ds("fire-safety-key-units", "消防安全重点单位", "Fire safety key units", "sh-xfzd", N, "annual", "消防 重点单位",
       "消防监管 城市安全",
       Table((CREDIT_CODE_COL,
              col("unit_name", "单位名称", texts("上海{brand}商厦有限公司", "上海{brand}大酒店有限公司",
                                                 "上海{brand}医院", "上海{brand}化工有限公司")),
              col("unit_type", "单位类别", pick("商场市场", "宾馆饭店", "医院", "学校", "高层公共建筑", "易燃易爆单位",
                                                "公共娱乐场所")),
              *PLACE,
              col("floors", "建筑层数", ints(2, 60)),
              col("last_inspection", "最近检查日期", day()),
              col("inspection_result", "检查结果", pick("合格", "责令整改", weights=(85, 15)))),
             rows=250, key=("credit_code",))),
)

CULTURE: tuple[Spec, ...] = (
    ds("scenic-spot-visitors-realtime", "A级旅游景区实时客流", "A-level scenic spots real-time visitors", "sh-whlyj", U,
       "realtime", "景区 客流 旅游", "旅游服务 客流预警",
       Table((col("spot_id", "景区编号", item("spot_id")),
              col("spot_name", "景区名称", item("spot_name")),
              col("level", "景区等级", item("level")),
              col("snapshot_time", "统计时间", item("snapshot_time", "datetime")),
              col("max_capacity", "最大承载量（人）", item("capacity", "integer")),
              col("visitors", "在园人数", share("max_capacity", 0.05, 0.95)),
              col("comfort", "舒适度", ratio_banded("visitors", "max_capacity", CROWD_BANDS))),
             frame=cross(("spot", SCENIC_SPOT_ITEMS), ("snapshot_time", times(9, 8, 60))), key=("spot_id",
                                                                                                "snapshot_time")),
       about="全市A级旅游景区的实时在园人数、最大承载量和舒适度，节假日用于客流预警。"),
    ds("a-level-scenic-spots", "A级旅游景区名录", "A-level scenic spots", "sh-whlyj", U, "irregular", "景区 旅游 A级",
       "旅游服务 休闲游憩",
       Table((col("spot_id", "景区编号", item("spot_id")),
              col("spot_name", "景区名称", item("spot_name")),
              col("level", "景区等级", item("level")), *PLACE, *POINT, PHONE_COL,
              col("max_capacity", "最大承载量（人）", item("capacity", "integer")),
              col("open_hours", "开放时间", pick("08:30-17:00", "09:00-17:30", "09:00-21:00", "全天开放"))),
             frame=fixed(SCENIC_SPOT_ITEMS), key=("spot_id",), xlsx=True)),
    ds("public-libraries", "公共图书馆名录", "Public libraries", "sh-whlyj", U, "irregular", "图书馆 阅读",
       "公共文化 阅读服务",
       Table((col("library_name", "图书馆名称", item("name")),
              col("level", "级别", item("level")), *PLACE, PHONE_COL,
              col("opening_hours", "开放时间", pick("09:00-20:30", "09:00-17:00", "周二至周日 09:00-17:00")),
              col("collection", "藏书量（万册）", nums(0.5, 60, 1)),
              col("seats", "阅览座位", ints(20, 3000)), *POINT),
             frame=library_frame, key=("library_name",)),
       about="上海图书馆、各区图书馆和部分街镇社区图书馆的地址、开放时间和馆藏规模。"),
    ds("museums", "博物馆名录", "Museums", "sh-whlyj", U, "annual", "博物馆 展览", "公共文化 文化旅游",
       Table((col("museum_name", "博物馆名称", item("name")),
              col("category", "类别", pick("综合类", "历史类", "艺术类", "自然科技类", "纪念类", "行业类")),
              col("ownership", "性质", pick("国有", "非国有", weights=(80, 20))), *PLACE,
              col("free_admission", "是否免费开放", flag(0.7)),
              col("closed_day", "闭馆日", pick("周一", "无")), PHONE_COL, *POINT),
             frame=fixed(MUSEUMS), key=("museum_name",), xlsx=True)),
    ds("sports-venues", "公共体育场馆", "Public sports venues", "sh-tyj", U, "irregular", "体育场馆 健身",
       "全民健身 休闲游憩",
       Table((col("venue_id", "场馆编号", texts("TY{n:04d}")),
              col("venue_name", "场馆名称", texts("{district_short}区体育中心", "{street}市民健身中心", "{brand}游泳馆",
                                                  "{road}网球场",
                                                "{street_short}社区体育活动中心")),
              col("venue_type", "场馆类型", pick("综合体育中心", "游泳馆", "网球场", "篮球馆", "羽毛球馆", "足球场")),
              *PLACE, *POINT,
              col("area", "场地面积（平方米）", ints(600, 60000)),
              col("fee", "收费情况", pick("免费", "收费", "部分收费")), PHONE_COL),
             rows=250, key=("venue_id",))),
    ds("city-parks", "城市公园名录", "City parks", "sh-lhsrj", U, "annual", "公园 绿地 休闲", "休闲游憩 生态建设",
       Table((col("park_name", "公园名称", item("name")), *PLACE,
              col("area_ha", "面积（公顷）", nums(1, 120, 2)),
              col("park_type", "公园类型", pick("综合公园", "专类公园", "社区公园", "森林公园")),
              col("opening_hours", "开放时间", pick("05:00-18:00", "06:00-18:00", "全天开放")),
              col("ticket", "门票", pick("免费", "收费", weights=(85, 15))), PHONE_COL, *POINT),
             frame=fixed(PARKS), key=("park_name",))),
    ds("performance-venues", "演出场所名录", "Performance venues", "sh-whlyj", U, "irregular", "剧场 演出",
       "文化消费 公共文化",
       Table((col("venue_name", "场所名称", item("venue_name", otherwise=texts("{district}文化馆剧场", "{brand}剧场",
                                                                               "{road}{brand}演艺中心"))),
              *PLACE,
              col("venue_type", "场所类型", pick("剧场", "音乐厅", "演艺中心", "综合文化中心")),
              col("seats", "座位数", ints(200, 3000)), PHONE_COL, *POINT),
             frame=padded(PERFORMANCE_VENUES, 80), xlsx=True)),
    ds("star-rated-hotels", "星级饭店名录", "Star-rated hotels", "sh-whlyj", U, "quarterly", "酒店 星级饭店 住宿",
       "旅游服务 商务出行",
       Table((col("hotel_name", "饭店名称", texts("上海{brand}大酒店", "上海{brand}宾馆", "上海{road}{brand}酒店")),
              col("star", "星级", pick("五星级", "四星级", "三星级", "二星级", weights=(25, 35, 30, 10))), *PLACE,
              col("rooms", "客房数", ints(60, 900)), PHONE_COL, *POINT),
             rows=220)),
    ds("travel-agencies", "旅行社名录", "Travel agencies", "sh-whlyj", C, "quarterly", "旅行社 旅游",
       "旅游服务 行业监管",
       Table((col("licence_no", "许可证号", texts("L-SH-{kind}{n:05d}", kind=("CJ", "GN"))),
              col("agency_name", "旅行社名称", texts("上海{brand}国际旅行社有限公司", "上海{brand}旅行社有限公司")),
              CREDIT_CODE_COL,
              *PLACE, PHONE_COL,
              col("outbound", "是否经营出境游", flag(0.25))),
             rows=300, key=("licence_no",))),
    ds("fitness-facilities", "社区公共运动场及健身步道", "Community sports grounds and fitness trails", "sh-tyj", U,
       "annual",
       "健身步道 运动场 全民健身", "全民健身 社区服务",
       Table((col("facility_id", "设施编号", texts("JS{n:05d}")),
              col("facility_name", "设施名称", texts("{street}市民健身步道", "{road}市民球场", "{street}社区公共运动场",
                                                     "{road}健身苑点")),
              col("facility_type", "设施类型", pick("健身步道", "市民球场", "社区公共运动场", "健身苑点")),
              DISTRICT_COL, STREET_COL,
              col("area", "面积（平方米）", ints(100, 8000)),
              col("lighting", "是否有夜间照明", flag(0.6)), *POINT),
             rows=250, key=("facility_id",), xlsx=True)),
    ds("heritage-sites", "文物保护单位名录", "Protected heritage sites", "sh-whlyj", U, "irregular", "文物 历史建筑",
       "文化旅游 城市更新",
       Table((col("site_name", "名称", item("name", otherwise=texts("{road}{num}号住宅", "{road}{brand}里",
                                                                    "{brand}大楼旧址"))),
              col("level", "保护级别", item("level", otherwise=pick("区级文物保护单位", "文物保护点"))),
              col("era", "年代", item("era", otherwise=pick("清", "民国"))),
              col("category", "类别", item("category", otherwise=pick("近现代重要史迹及代表性建筑"))), *PLACE,
              col("announced_date", "公布日期", since(1959))),
             frame=padded(HERITAGE_SITES, 120),
             xlsx=True)),
    ds("venue-visit-bookings", "公共文化场馆预约参观统计", "Cultural venue booking statistics", "sh-whlyj", N,
       "monthly",
       "预约参观 博物馆 客流", "公共文化 客流分析",
       Table((MONTH_COL,
              col("venue_name", "场馆名称", item("venue_name")),
              col("bookings", "预约人次", ints(2000, 150000)),
              col("visitors", "实际参观人次", share("bookings", 0.8, 1.1)),
              col("group_visits", "团体参观批次", ints(5, 400))),
             frame=cross(("month", months(12)), ("venue_name", MUSEUM_NAMES[:20])), key=("month", "venue_name"))),
    ds("sports-events", "体育赛事活动信息", "Sports events", "sh-tyj", U, "irregular", "体育赛事 马拉松",
       "体育消费 城市营销",
       Table((col("event_id", "赛事编号", texts("SS{n:04d}")),
              col("event_name", "赛事名称", item("name", otherwise=texts("{year}上海{sport}{kind}", sport=("篮球",
                      "足球", "羽毛球", "乒乓球", "围棋", "龙舟", "定向", "铁人三项"),
                                                                     kind=("公开赛", "邀请赛", "联赛", "锦标赛",
                                                                           "市民运动会")))),
              col("level", "赛事级别", pick("国际级", "国家级", "市级", "区级", weights=(10, 15, 40, 35))),
              DISTRICT_COL,
              col("start_date", "开始日期", day()),
              col("end_date", "结束日期", after("start_date", 0, 6)),
              col("organiser", "主办单位", pick("上海市体育局", "上海市体育总会", "各区体育局"))),
             frame=padded(records("name district", """
                 上海国际马拉松赛:黄浦区 上海ATP1000大师赛:闵行区 F1中国大奖赛:嘉定区
                 环崇明岛国际自盟女子公路世界巡回赛:崇明区
                 上海国际赛车场耐力赛:嘉定区 国际田联钻石联赛上海站:徐汇区"""), 120),
             key=("event_id",))),
    ds("pudong-cultural-facilities", "浦东新区公共文化设施", "Public cultural facilities in Pudong", "sh-pudong", U,
       "irregular", "文化设施 浦东 社区文化", "公共文化 社区服务",
       Table((col("facility_name", "设施名称", texts("{street}社区文化活动中心",
               "{street_short}{road}村居综合文化活动室", "{street_short}东方书院")),
              col("facility_type", "设施类型", pick("社区文化活动中心", "村居综合文化活动室", "书院", "文化广场")),
              STREET_COL, ADDRESS_COL,
              col("area", "面积（平方米）", ints(80, 12000)),
              col("opening_hours", "开放时间", pick("09:00-21:00", "08:30-17:00", "周二至周日 09:00-20:00")), *POINT),
             rows=120, xlsx=True)),
)

HEALTH: tuple[Spec, ...] = (
    ds("medical-institutions", "医疗机构名录", "Medical institutions", "sh-wsjkw", U, "quarterly", "医院 医疗机构 就医",
       "就医服务 医疗资源",
       Table((col("institution_id", "机构编号", texts("YL{n:05d}")),
              col("institution_name", "机构名称", item("name")),
              col("category", "机构类别", item("category")),
              col("grade", "医院等级", item("grade")), *PLACE, PHONE_COL,
              col("beds", "核定床位", derived("integer", hospital_beds)),
              col("emergency", "是否设急诊", derived("boolean", lambda c: c.values["grade"] != "一级")), *POINT),
             frame=medical_institution_frame, key=("institution_id",)),
       about="全市三级、二级医院和社区卫生服务中心的名录，含等级、床位、急诊和地址信息。"),
    ds("hospital-service-volume", "医院门急诊服务量统计", "Hospital outpatient and emergency volume", "sh-wsjkw", N,
       "monthly",
       "门急诊 医院 统计", "医疗资源 卫生规划",
       Table((MONTH_COL,
              col("hospital_name", "医院名称", item("hospital_name")),
              col("outpatient_visits", "门急诊人次", ints(50000, 400000)),
              col("emergency_visits", "急诊人次", share("outpatient_visits", 0.05, 0.15)),
              col("discharges", "出院人数", ints(1000, 12000)),
              col("avg_stay", "平均住院日", nums(4, 12, 1)),
              col("bed_occupancy", "病床使用率（%）", nums(80, 105, 1))),
             frame=cross(("month", months(12)), ("hospital_name", HOSPITAL_NAMES[:21])), key=("month", "hospital_name"),
             xlsx=True)),
    ds("ehr-statistics", "居民电子健康档案建档统计", "Electronic health record statistics", "sh-wsjkw", U, "monthly",
       "健康档案 电子健康档案 统计", "卫生规划 健康管理",
       Table((MONTH_COL, DISTRICT_COL,
              col("records", "累计建档数（万份）", scaled(1.15, 1.35, 2)),
              col("coverage_rate", "常住人口建档率（%）", nums(80, 96, 1)),
              col("active_rate", "档案动态使用率（%）", nums(40, 80, 1)),
              col("new_records", "本月新建档案数", scaled(5, 30))),
             frame=cross(("month", months(12)), ("district", DISTRICT_NAMES)), key=("month", "district"), xlsx=True),
       about="全市3000余万份居民电子健康档案的分区汇总统计，仅含统计值，不含任何个人档案内容。"),
    ds("designated-medical-institutions", "医保定点医疗机构", "Medical-insurance designated institutions", "sh-ybj", U,
       "monthly", "医保 定点医院", "就医服务 医保结算",
       Table((col("designation_code", "定点编号", texts("YB{n:06d}")),
              col("institution_name", "机构名称", texts("上海{brand}门诊部", "{district}{street}社区卫生服务中心",
                                                        "上海{brand}医院", "上海{brand}护理院")),
              col("category", "机构类别", pick("综合医院", "专科医院", "社区卫生服务中心", "门诊部", "诊所", "护理院")),
              *PLACE, PHONE_COL,
              col("settlement", "结算类型", pick("门诊；住院", "门诊", "住院")),
              col("designated_date", "定点日期", since(2001))),
             rows=400, key=("designation_code",))),
    ds("retail-pharmacies", "零售药店名录", "Retail pharmacies", "sh-yjj", U, "monthly", "药店 药品",
       "购药服务 医保结算",
       Table((col("licence_no", "药品经营许可证号", texts("沪CB{n:06d}")),
              col("pharmacy_name", "药店名称", texts("上海{chain}{street_short}店", "上海{brand}大药房有限公司{road}店",
                                                   chain=("雷允上药城", "华氏大药房", "第一医药商店", "益丰大药房",
                                                          "养和堂药业", "童涵春堂", "蔡同德堂"))),
              CREDIT_CODE_COL, *PLACE, PHONE_COL,
              col("insurance_designated", "是否医保定点", flag(0.5)),
              col("open_24h", "是否24小时营业", flag(0.1)), *POINT),
             rows=400, key=("licence_no",))),
    ds("blood-donation-sites", "献血点分布", "Blood donation sites", "sh-xyzx", U, "irregular", "献血 无偿献血",
       "公益服务 健康服务",
       Table((col("site_name", "献血点名称", texts("{road}献血屋", "{brand}广场献血车", "{street_short}固定献血点")),
              col("site_type", "献血点类型", pick("献血屋", "献血车", "固定献血点", weights=(40, 40, 20))), *PLACE,
              *POINT,
              col("opening_hours", "服务时间", pick("09:00-17:00", "09:30-17:30", "10:00-18:00（周一休息）")),
              PHONE_COL),
             rows=60, xlsx=True)),
    ds("vaccination-clinics", "预防接种门诊", "Vaccination clinics", "sh-wsjkw", U, "irregular", "疫苗 预防接种",
       "健康服务 儿童保健",
       Table((col("clinic_name", "门诊名称", texts("{district}{street}社区卫生服务中心预防接种门诊")), DISTRICT_COL,
              STREET_COL, ADDRESS_COL,
              col("vaccine_types", "接种类别", pick("免疫规划疫苗；非免疫规划疫苗", "成人疫苗；狂犬病疫苗",
                                                    "免疫规划疫苗")),
              col("clinic_hours", "接种时间", pick("周二、周四 8:00-11:00", "周一至周五 8:00-11:00；13:30-16:00",
                                                   "周三、周六上午")), PHONE_COL),
             frame=sampled(STREET_ITEMS, 200), key=("clinic_name",))),
    ds("family-doctor-contracts", "家庭医生签约服务统计", "Family doctor contract statistics", "sh-wsjkw", C, "monthly",
       "家庭医生 签约 统计", "健康管理 卫生规划",
       Table((MONTH_COL, DISTRICT_COL,
              col("family_doctors", "家庭医生数", scaled(2, 5)),
              col("contracted_residents", "签约居民数（万人）", scaled(0.2, 0.45, 2)),
              col("elderly_contract_rate", "60岁以上老人签约率（%）", nums(40, 80, 1)),
              col("combined_contracts", "“1+1+1”组合签约数", scaled(300, 900))),
             frame=cross(("month", months(12)), ("district", DISTRICT_NAMES)), key=("month", "district"))),
    ds("notifiable-diseases", "法定传染病疫情统计", "Notifiable infectious disease statistics", "sh-wsjkw", U,
       "monthly",
       "传染病 疫情 统计", "公共卫生 疾病防控",
       Table((MONTH_COL,
              col("disease", "病种", item("disease")),
              col("category", "类别", item("category")),
              col("cases", "发病数", ints(0, 1500)),
              col("deaths", "死亡数", pick(0, 1, 2, weights=(90, 8, 2)))),
             frame=cross(("month", months(12)), ("disease", DISEASES)), key=("month", "disease"), xlsx=True)),
    ds("adverse-drug-reaction-reports", "药品不良反应监测汇总", "Adverse drug reaction reports", "sh-yjj", N,
       "quarterly",
       "药品不良反应 药物警戒", "药品安全 合理用药",
       Table((col("quarter", "统计季度", item("quarter"), "YYYYQn"),
              col("drug_category", "药品类别", item("drug_category")),
              col("severity", "严重程度", item("severity")),
              col("reports", "报告数", ints(30, 4000))),
             frame=cross(("quarter", quarters(8)), ("drug_category", ("化学药", "中成药", "生物制品")), ("severity",
                     ("一般", "严重"))),
             key=("quarter", "drug_category", "severity"))),
    ds("medical-practitioners", "执业医师注册信息（脱敏）", "Registered medical practitioners (de-identified)",
       "sh-wsjkw", N,
       "irregular", "医师 执业注册", "卫生人力 行业监管",
       Table((col("practitioner_hash", "医师标识（脱敏）", HASH),
              col("gender", "性别", pick("男", "女")),
              col("birth_year", "出生年份", ints(1955, 1992)),
              col("qualification", "资格类别", pick("执业医师", "执业助理医师", weights=(85, 15))),
              col("practice_category", "执业类别", pick("临床", "中医", "口腔", "公共卫生", weights=(70, 15, 10, 5))),
              col("specialty", "执业范围", pick("内科", "外科", "妇产科", "儿科", "眼耳鼻咽喉科", "皮肤病与性病",
                                                "精神卫生", "全科医学", "医学影像和放射治疗")),
              col("institution", "执业机构", pick(*HOSPITAL_NAMES)),
              col("registered_date", "注册日期", since(1985))),
             rows=400, key=("practitioner_hash",))),
    ds("health-check-centres", "健康体检机构", "Health check-up centres", "sh-wsjkw", C, "irregular", "体检 健康管理",
       "健康服务 就医服务",
       Table((col("centre_name", "机构名称", texts("上海{brand}门诊部", "上海{brand}健康体检中心",
                                                   "{hospital}健康体检中心", hospital=HOSPITAL_NAMES)),
              *PLACE, PHONE_COL,
              col("daily_capacity", "日最大体检量（人）", ints(50, 1500)), *POINT),
             rows=120, xlsx=True)),
    ds("nursing-rooms", "公共场所母婴设施", "Mother-and-baby rooms in public places", "sh-wsjkw", U, "irregular",
       "母婴室 妇幼", "母婴服务 公共服务",
       Table((col("place_name", "场所名称", texts("轨道交通{station}站", "{brand}广场", "{brand}购物中心",
                                                  "{district}妇幼保健院", station=METRO_STATION_NAMES)),
              col("place_type", "场所类型", pick("轨道交通站", "商场", "医院", "机场", "公园", "办公楼宇")), *PLACE,
              col("room_area", "面积（平方米）", nums(5, 20, 1)),
              col("facilities", "配置设施", pick("护理台；座椅；洗手台", "护理台；婴儿床；饮水机", "座椅；洗手台")),
              *POINT),
             rows=200)),
)

LIVELIHOOD: tuple[Spec, ...] = (
    ds("wet-markets", "标准化菜市场名录", "Standardised wet markets", "sh-sww", U, "irregular", "菜市场 菜场 农副产品",
       "便民生活 商业规划",
       Table((col("market_id", "菜市场编号", texts("CS{n:04d}")),
              col("market_name", "菜市场名称", texts("{road}菜市场", "{street_short}菜场", "{brand}菜市场")),
              DISTRICT_COL, STREET_COL,
              ADDRESS_COL,
              col("stalls", "摊位数", ints(40, 260)),
              col("operator", "经营管理单位", company("农副产品市场经营管理", "菜市场管理", "商业经营管理")),
              col("opening_hours", "营业时间", pick("05:30-19:00", "06:00-18:30", "06:00-20:00")), *POINT),
             rows=300, key=("market_id",)),
       about="全市标准化菜市场的地址、摊位规模和营业时间。"),
    ds("affordable-housing-projects", "保障性住房项目", "Affordable housing projects", "sh-fgj", C, "quarterly",
       "保障房 共有产权 公租房", "住房保障 城市规划",
       Table((col("project_id", "项目编号", texts("BZF{n:04d}")),
              col("project_name", "项目名称", texts("{street_short}{brand}苑", "{road}{brand}佳苑",
                                                    "{street_short}{brand}家园")),
              col("housing_type", "住房类型", pick("共有产权保障住房", "公共租赁住房", "廉租住房", "征收安置住房")),
              *PLACE,
              col("units", "房源套数", ints(200, 5000)),
              col("floor_area", "建筑面积（万平方米）", share("units", 0.0055, 0.009, 2)),
              col("developer", "建设单位", company("置业", "房地产开发", "城市建设投资")),
              col("completion_date", "竣工日期", day()), *POINT),
             rows=150, key=("project_id",), xlsx=True)),
    ds("housing-fund-outlets", "住房公积金业务网点", "Housing provident fund service outlets", "sh-gjj", U, "irregular",
       "公积金 业务网点", "便民办事 住房服务",
       Table((col("outlet_name", "网点名称", texts("上海市公积金管理中心{district}分中心", "{bank}上海{road}支行",
                                                   bank=(
                  "中国建设银行", "中国工商银行", "中国银行", "交通银行", "中国农业银行", "上海银行",
                                                         "上海浦东发展银行"))),
              col("outlet_type", "网点类型", derived("string",
                      lambda c: "管理部" if "公积金" in c.values["outlet_name"] else "受托银行网点")),
              *PLACE, PHONE_COL,
              col("opening_hours", "服务时间", pick("工作日 9:00-17:00", "周一至周六 9:00-17:00"))),
             rows=120)),
    ds("public-toilets", "公共厕所", "Public toilets", "sh-lhsrj", U, "annual", "公厕 环卫", "便民生活 城市管理",
       Table((col("toilet_id", "公厕编号", texts("GC{n:05d}")),
              col("toilet_name", "公厕名称", texts("{road}公厕", "{road}{road2}公厕", "{street_short}公园公厕")),
              *PLACE, *POINT,
              col("grade", "公厕类别", pick("一类", "二类", "三类", weights=(20, 50, 30))),
              col("accessible", "是否有无障碍设施", flag(0.7)),
              col("baby_room", "是否有母婴室", flag(0.25)),
              col("open_24h", "是否24小时开放", flag(0.6))),
             rows=400, key=("toilet_id",))),
    ds("breakfast-outlets", "早餐工程网点", "Breakfast programme outlets", "sh-sww", U, "irregular", "早餐 便民",
       "便民生活 商业规划",
       Table((col("outlet_name", "网点名称", texts("{chain}{road}店", chain=("巴比馒头", "早阳馒头", "清美鲜食",
                                                                             "光明邨", "好德便利", "新亚大包"))),
              col("outlet_type", "网点类型", pick("早餐店", "早餐车", "便利店早餐")), *PLACE, PHONE_COL,
              col("opening_time", "开门时间", pick("05:30", "06:00", "06:30")), *POINT),
             rows=250, xlsx=True)),
    ds("water-service-halls", "供水营业网点", "Water supply service halls", "sh-water", U, "irregular", "供水 营业厅",
       "便民办事 公用事业",
       Table((col("hall_name", "网点名称", texts("{company}{district_short}营业厅", company=(
                  "城投自来水", "市北自来水", "市南自来水", "浦东威立雅自来水", "闵行自来水", "松江自来水",
                                                                                             "青浦自来水"))),
              *PLACE, PHONE_COL,
              col("opening_hours", "营业时间", pick("工作日 8:30-17:00", "周一至周六 8:30-16:30")),
              col("services", "业务范围", pick("开户；过户；缴费", "缴费；报修", "开户；缴费；水质咨询"))),
             rows=80)),
    ds("farm-produce-prices", "主要农副产品零售价格监测", "Retail prices of main farm produce", "sh-fgw", U, "daily",
       "价格 菜价 农副产品", "价格监测 便民生活",
       Table((col("monitor_date", "监测日期", item("monitor_date", "date")),
              col("product", "品名", item("product")),
              col("specification", "规格等级", item("specification")),
              col("unit", "计价单位", item("unit")),
              col("avg_price", "平均价格（元）", derived("number", farm_price)),
              col("max_price", "最高价格（元）", share("avg_price", 1.05, 1.25, 2)),
              col("min_price", "最低价格（元）", share("avg_price", 0.75, 0.95, 2))),
             frame=cross(("monitor_date", days(15)), ("product", FARM_PRODUCTS)), key=("monitor_date", "product"),
             xlsx=True)),
    ds("legal-aid-centres", "法律援助中心及工作站", "Legal aid centres and workstations", "sh-sfj", U, "irregular",
       "法律援助 公共法律服务", "法律服务 便民办事",
       Table((col("name", "机构名称", texts("{district}法律援助中心", "{street}法律援助工作站")), *PLACE, PHONE_COL,
              col("opening_hours", "服务时间", pick("工作日 9:00-17:00", "工作日 8:30-16:30"))),
             rows=120)),
    ds("hotline-12345-stats", "12345市民服务热线受理统计", "12345 citizen hotline statistics", "sh-bgt", C, "monthly",
       "12345 热线 诉求", "城市治理 民意分析",
       Table((MONTH_COL,
              col("category", "诉求类别", item("category")),
              col("calls", "受理量（件）", ints(8000, 120000)),
              col("complaints", "其中投诉（件）", share("calls", 0.2, 0.5)),
              col("resolved_rate", "办结率（%）", nums(85, 99, 1)),
              col("satisfaction_rate", "满意率（%）", nums(75, 95, 1))),
             frame=cross(("month", months(12)), ("category", ("城市管理", "住房保障", "交通出行", "劳动保障",
                                                              "市场监管", "教育",
                                                             "医疗卫生", "环境保护", "社会保障", "公共安全"))),
             key=("month", "category"))),
    ds("community-canteens", "社区长者食堂", "Community canteens for the elderly", "sh-mzj", U, "monthly",
       "长者食堂 助餐",
       "养老服务 便民生活",
       Table((col("canteen_name", "食堂名称", texts("{street}长者食堂")), DISTRICT_COL, STREET_COL, ADDRESS_COL,
              col("seats", "座位数", ints(30, 150)),
              col("meal_price", "餐标（元）", nums(10, 18, 1)),
              col("delivery", "是否送餐", flag(0.6)), PHONE_COL, *POINT),
             frame=sampled(STREET_ITEMS, 150), key=("canteen_name",), xlsx=True)),
    ds("housekeeping-companies", "家政服务企业名录", "Housekeeping service companies", "sh-sww", C, "quarterly",
       "家政 生活服务", "便民生活 行业监管",
       Table((CREDIT_CODE_COL,
              col("company_name", "企业名称", company("家政服务", "家庭服务", "保洁服务")), *PLACE, PHONE_COL,
              col("services", "服务项目", pick("保洁；育婴", "养老护理；保洁", "母婴护理；育婴", "家电清洗；保洁")),
              col("staff", "从业人员数", ints(10, 800)),
              col("rating", "信用星级", pick("五星", "四星", "三星", "未评级", weights=(10, 25, 35, 30)))),
             rows=200, key=("credit_code",))),
    ds("waste-sorting-communities", "生活垃圾分类达标小区", "Residential communities meeting waste-sorting standards",
       "sh-lhsrj", U, "annual", "垃圾分类 小区", "环境治理 社区治理",
       Table((col("community_name", "小区名称", texts("{road}{brand}小区", "{street_short}{brand}新村", "{brand}花园")),
              DISTRICT_COL, STREET_COL,
              col("households", "户数", ints(200, 3000)),
              col("sorting_rate", "分类准确率（%）", nums(70, 98, 1)),
              col("level", "达标等级", pick("达标", "示范", weights=(80, 20))),
              col("certified_date", "认定日期", day())),
             rows=300)),
    ds("changning-convenience-points", "长宁区便民服务点", "Convenience service points in Changning", "sh-changning", U,
       "irregular", "便民服务 修补 长宁", "便民生活 社区服务",
       Table((col("point_name", "服务点名称", texts("{road}{kind}", kind=("修鞋修伞点", "裁缝铺", "配钥匙点",
                                                                          "家电维修点", "便民理发点"))),
              col("service_type", "服务类型", pick("修补", "家电维修", "理发", "配钥匙")), STREET_COL, ADDRESS_COL,
              col("opening_hours", "服务时间", pick("08:00-18:00", "09:00-17:00", "07:30-19:00")), *POINT),
             rows=80, xlsx=True)),
)

INSTITUTIONS: tuple[Spec, ...] = (
    ds("legal-person-base", "法人基础信息", "Legal-person base information", "sh-scjgj", C, "daily",
       "法人 法人库 基础信息", "政务共享 企业服务",
       Table((col("legal_person_type", "法人类型", derived("string", legal_person_kind)),
              col("credit_code", "统一社会信用代码", legal_person_field(0), "18位统一社会信用代码（GB 32100-2015）"),
              col("name", "法人名称", legal_person_field(1)),
              col("legal_representative", "法定代表人（负责人）", PERSON, "已脱敏"), *PLACE,
              col("established_date", "成立日期", since(1980)),
              col("registration_authority", "登记机关", legal_person_field(2)),
              col("status", "状态", pick("存续", "注销", "吊销", weights=(88, 9, 3)))),
             rows=500, key=("credit_code",)),
       about="全市法人信息库中的企业、机关、事业单位、社会团体等法人的基础登记信息。",
       conditions="需签署数据使用协议，暂不向个人开放"),
    ds("social-organisations", "社会组织登记信息", "Registered social organisations", "sh-mzj", U, "monthly",
       "社会组织 社会团体 基金会", "社会治理 公益服务",
       Table((col("org_type", "组织类型", pick(*SOCIAL_ORG_KINDS, weights=(45, 45, 10))),
              col("credit_code", "统一社会信用代码", social_org_field(0)),
              col("org_name", "组织名称", social_org_field(1)),
              col("legal_representative", "法定代表人", PERSON, "已脱敏"), *PLACE,
              col("established_date", "成立登记日期", since(1990)),
              col("status", "登记状态", pick("正常", "注销", weights=(95, 5)))),
             rows=350, key=("credit_code",))),
    ds("law-firms", "律师事务所名录", "Law firms", "sh-sfj", U, "quarterly", "律师事务所 法律服务", "法律服务 营商环境",
       Table((col("credit_code", "统一社会信用代码", credit_code("31")),
              col("firm_name", "律师事务所名称", texts("上海{brand}律师事务所", "上海市{brand}律师事务所")),
              col("organisation_form", "组织形式", pick("普通合伙", "特殊普通合伙", "个人", "国资", weights=(70, 5, 22,
                      3))), *PLACE,
              PHONE_COL,
              col("lawyers", "执业律师数", ints(3, 400)),
              col("established_date", "成立日期", since(1985))),
             rows=250, key=("credit_code",), xlsx=True)),
    ds("notary-offices", "公证机构名录", "Notary offices", "sh-sfj", U, "irregular", "公证 法律服务",
       "法律服务 便民办事",
       Table((col("office_name", "公证机构名称", item("name")), *PLACE, PHONE_COL,
              col("notaries", "公证员数", ints(10, 80)),
              col("foreign_notarisation", "是否办理涉外公证", flag(0.8)),
              col("opening_hours", "办公时间", pick("工作日 9:00-17:00", "周一至周六 9:00-17:00"))),
             frame=fixed(NOTARY_OFFICES), key=("office_name",))),
    ds("accounting-firms", "会计师事务所名录", "Accounting firms", "sh-czj", C, "irregular", "会计师事务所 审计",
       "财会服务 行业监管",
       Table((CREDIT_CODE_COL,
              col("firm_name", "事务所名称", texts("上海{brand}会计师事务所（普通合伙）",
                                                   "上海{brand}会计师事务所有限公司")), *PLACE, PHONE_COL,
              col("cpas", "注册会计师人数", ints(3, 600)),
              col("securities_qualified", "是否具有证券期货业务资格", flag(0.05))),
             rows=200, key=("credit_code",), xlsx=True)),
    ds("forensic-appraisal-institutions", "司法鉴定机构名录", "Forensic appraisal institutions", "sh-sfj", C,
       "irregular",
       "司法鉴定 法律服务", "法律服务 诉讼服务",
       Table((col("licence_no", "许可证号", texts("310{n:06d}")),
              col("institution_name", "机构名称", texts("上海{brand}司法鉴定所", "上海市{brand}司法鉴定中心")),
              col("business_scope", "业务范围", pick("法医临床；法医病理", "文书鉴定；痕迹鉴定", "声像资料鉴定",
                                                     "环境损害鉴定", "司法会计鉴定")),
              *PLACE, PHONE_COL,
              col("appraisers", "鉴定人数", ints(3, 60))),
             rows=60, key=("licence_no",))),
    ds("people-mediation-committees", "人民调解委员会", "People's mediation committees", "sh-sfj", C, "irregular",
       "人民调解 矛盾化解", "社会治理 法律服务",
       Table((col("committee_name", "调解委员会名称", texts("{district}{street}人民调解委员会")), DISTRICT_COL,
              STREET_COL, ADDRESS_COL,
              col("mediators", "调解员人数", ints(5, 40)),
              col("cases_last_year", "上年调解案件数", ints(50, 1500)), PHONE_COL),
             frame=fixed(STREET_ITEMS), key=("committee_name",))),
    ds("government-directory", "市级部门及区政府名录", "Municipal departments and district governments", "sh-dsjzx", U,
       "irregular", "政府机构 名录", "政务服务 机构查询",
       Table((col("provider_code", "提供方代码", item("code")),
              col("org_name", "机构名称", item("title")),
              col("org_name_en", "英文名称", item("title_en")),
              col("kind", "机构层级", item("kind")), ADDRESS_COL, PHONE_COL),
             frame=department_frame, key=("provider_code",), xlsx=True),
       about="本平台数据提供部门（市级部门和16个区政府）的名录及联系方式。"),
    ds("religious-venues", "宗教活动场所名录", "Registered religious venues", "sh-mzzj", U, "irregular",
       "宗教场所 民族宗教",
       "文化旅游 社会服务",
       Table((col("venue_name", "场所名称", item("name")),
              col("religion", "宗教", item("religion")), *PLACE, PHONE_COL,
              col("registered_date", "登记日期", since(1994))),
             frame=fixed(RELIGIOUS_VENUES), key=("venue_name",))),
    ds("property-management-companies", "物业服务企业名录", "Property management companies", "sh-fgj", C, "quarterly",
       "物业 物业服务", "住房服务 行业监管",
       Table((CREDIT_CODE_COL,
              col("company_name", "企业名称", company("物业管理", "物业服务", "物业顾问")),
              col("qualification", "资质等级", pick("一级", "二级", "三级", weights=(15, 35, 50))), *PLACE, PHONE_COL,
              col("projects", "在管项目数", ints(1, 300)),
              col("managed_area", "在管面积（万平方米）", nums(2, 3000, 1))),
             rows=300, key=("credit_code",))),
    ds("labour-dispatch-agencies", "劳务派遣单位名录", "Labour dispatch agencies", "sh-rsj", C, "quarterly",
       "劳务派遣 人力资源", "就业服务 行业监管",
       Table((col("licence_no", "许可证编号", texts("沪人社派许字第{n:05d}号")),
              col("company_name", "单位名称", company("人力资源", "人才服务", "劳务派遣")), CREDIT_CODE_COL, *PLACE,
              col("issued_date", "发证日期", day()),
              col("valid_until", "有效期至", after("issued_date", 1095, 1095))),
             rows=200, key=("licence_no",))),
    ds("baoshan-community-organisations", "宝山区社区社会组织", "Community social organisations in Baoshan",
       "sh-baoshan", C,
       "irregular", "社区社会组织 宝山", "社区治理 志愿服务",
       Table((col("org_name", "组织名称", texts("宝山区{street}{kind}", kind=("社区志愿者协会", "文体团队服务社",
                                                                              "邻里互助服务社", "社区睦邻中心"))),
              STREET_COL,
              col("org_type", "组织类型", pick("志愿服务类", "文体活动类", "社区服务类", "公益慈善类")),
              col("members", "成员数", ints(10, 500)),
              col("established_date", "成立日期", since(2005)), PHONE_COL),
             rows=100, xlsx=True)),
)

URBAN: tuple[Spec, ...] = (
    ds("bim-pilot-projects", "BIM技术应用试点项目", "BIM technology pilot projects", "sh-zjw", U, "irregular",
       "BIM 建筑信息模型 试点", "建筑业转型 工程管理",
       Table((col("project_id", "项目编号", texts("BIM{n:03d}")),
              col("investment_type", "投资类型", item("investment_type")),
              col("project_type", "工程类别", pick(*BIM_PROJECT_NAMES, weights=(50, 15, 15, 10, 10))),
              col("project_name", "项目名称", texts_by("project_type", BIM_PROJECT_NAMES,
                                                     facility=("医院", "学校", "保障性住房", "文化中心", "体育中心"),
                                                     line=[str(i) for i in range(9, 19)], station=METRO_STATION_NAMES)),
              DISTRICT_COL,
              col("builder", "建设单位", company("建设发展", "城市建设投资", "置业")),
              col("floor_area", "建筑面积（平方米）", ints(5000, 400000)),
              col("total_investment", "总投资（亿元）", nums(0.5, 120, 2)),
              col("bim_stages", "BIM应用阶段", pick("设计；施工", "设计；施工；运维", "施工")),
              col("batch", "试点批次", pick("第一批", "第二批")),
              col("approved_date", "批准日期", day())),
             frame=bim_frame, key=("project_id",), xlsx=True),
       about="全市62个BIM技术应用试点项目，其中政府投资项目49个、社会投资项目13个。"),
    ds("grid-management-platforms", "街镇网格化管理平台", "Street and town grid-management platforms", "sh-zjw", C,
       "monthly",
       "网格化管理 城市管理 街镇", "城市治理 社区治理",
       Table((col("platform_id", "平台编号", texts("WG{n:03d}")),
              col("platform_name", "平台名称", texts("{street}城市网格化综合管理平台")), DISTRICT_COL, STREET_COL,
              col("grids", "责任网格数", ints(8, 60)),
              col("supervisors", "网格监督员人数", ints(20, 200)),
              col("cases_month", "月均发现问题数", ints(300, 6000)),
              col("closure_rate", "结案率（%）", nums(90, 99.9, 1)),
              col("launched_date", "建成日期", since(2014))),
             frame=fixed(STREET_ITEMS), key=("platform_id",)),
       about="全市213个街镇城市网格化综合管理平台的网格、人员和案件处置情况。"),
    ds("construction-projects", "建设工程项目信息", "Construction projects", "sh-zjw", C, "weekly", "建设工程 工程项目",
       "工程监管 建筑市场",
       Table((col("project_code", "报建编号", texts("JS{year}{n:05d}")),
              col("project_name", "项目名称", texts("{district}{street}{n:02d}号地块{kind}", kind=("住宅项目",
                      "商业办公项目", "工业厂房", "学校新建工程"))),
              col("project_type", "工程类别", pick("住宅", "商业办公", "工业厂房", "公共建筑", "市政基础设施")),
              col("builder", "建设单位", company("置业", "投资发展", "房地产开发")),
              col("contractor", "施工总承包单位", texts("上海{brand}建设（集团）有限公司",
                                                        "上海{brand}建筑工程有限公司")),
              col("supervisor", "监理单位", company("工程监理", "建设咨询")), *PLACE,
              col("floor_area", "建筑面积（平方米）", ints(2000, 300000)),
              col("contract_price", "合同价（万元）", ints(500, 300000)),
              col("start_date", "开工日期", day()),
              col("status", "项目状态", pick("在建", "竣工", "停工", weights=(60, 35, 5)))),
             rows=350, key=("project_code",))),
    ds("construction-permits", "建筑工程施工许可", "Construction work permits", "sh-zjw", C, "weekly",
       "施工许可 行政审批",
       "工程监管 营商环境",
       Table((col("permit_no", "施工许可证编号", texts("SG{year}{n:06d}")),
              col("project_name", "工程名称", texts("{district}{street_short}{kind}", kind=("商品住宅", "办公楼",
                      "厂房", "社区服务中心", "学校"))),
              col("builder", "建设单位", company("置业", "实业", "投资")), *PLACE,
              col("floor_area", "建筑面积（平方米）", ints(1000, 200000)),
              col("contract_price", "合同价（万元）", ints(300, 200000)),
              col("issued_date", "发证日期", day())),
             rows=250, key=("permit_no",), xlsx=True)),
    ds("housing-expropriation", "国有土地上房屋征收项目", "Housing expropriation projects", "sh-fgj", U, "monthly",
       "房屋征收 旧改 拆迁", "城市更新 住房保障",
       Table((col("project_no", "项目编号", texts("ZS{year}-{n:03d}")),
              col("project_name", "项目名称", texts("{district}{street}{road}地块旧城区改建项目")), DISTRICT_COL,
              STREET_COL,
              col("scope", "征收范围", texts("东至{road2}，西至{cross}，南至{road}，北至{road2}")),
              col("decision_no", "征收决定文号", texts("{district_short}府征〔{year}〕{n}号")),
              col("households", "涉及户数", ints(50, 3000)),
              col("decision_date", "征收决定日期", day()),
              col("signing_rate", "签约率（%）", nums(80, 100, 1)),
              col("status", "项目状态", pick("征收实施中", "已完成", "征询阶段"))),
             rows=120, key=("project_no",))),
    ds("smart-park-pilots", "智慧园区试点", "Smart industrial park pilots", "sh-jxw", U, "irregular",
       "智慧园区 智慧城市 试点",
       "智慧城市 产业服务",
       Table((col("pilot_id", "试点编号", texts("ZHYQ{n:02d}")),
              col("park_name", "园区名称", item("name", otherwise=texts("上海{district_short}{brand}产业园"))),
              DISTRICT_COL,
              col("operator", "运营单位", company("园区开发", "科技园发展", "投资开发")),
              col("focus", "建设重点", pick("智慧安防；能源管理", "智能停车；一卡通", "园区云平台；企业服务",
                                            "物联网监测；智慧物流")),
              col("enterprises", "入驻企业数", ints(50, 2000)),
              col("approved_date", "认定日期", day())),
             frame=padded(DEVELOPMENT_ZONES[:24], 30), key=("pilot_id",), xlsx=True),
       about="全市30个智慧园区建设试点的园区、运营单位和建设重点。"),
    ds("old-housing-renovation", "旧住房综合改造项目", "Old housing renovation projects", "sh-fgj", C, "quarterly",
       "旧住房改造 城市更新", "城市更新 住房保障",
       Table((col("project_id", "项目编号", texts("JG{n:04d}")),
              col("community", "小区名称", texts("{road}{brand}小区", "{street_short}新村", "{road}{num}弄")),
              DISTRICT_COL, STREET_COL,
              col("renovation_type", "改造类型", pick("成套改造", "屋面及相关设施改造", "综合整治", "拆除重建")),
              col("buildings", "幢数", ints(2, 60)),
              col("households", "户数", ints(50, 2500)),
              col("start_date", "开工日期", day()),
              col("completion_date", "竣工日期", after("start_date", 90, 540))),
             rows=200, key=("project_id",))),
    ds("regulatory-plan-notices", "控制性详细规划公示", "Regulatory detailed plan notices", "sh-ghzyj", U, "irregular",
       "控规 规划公示", "规划管理 公众参与",
       Table((col("notice_no", "公示编号", texts("沪规公示〔{year}〕{n:03d}号")),
              col("plan_name", "规划名称", texts("{district}{street}{n:02d}单元控制性详细规划局部调整")), DISTRICT_COL,
              STREET_COL,
              col("area_ha", "规划面积（公顷）", nums(5, 600, 1)),
              col("land_uses", "主要用地性质", pick("住宅组团用地；公共绿地", "商业服务业用地；商务办公用地",
                                                    "工业用地；研发用地", "教育科研设计用地")),
              col("notice_start", "公示开始日期", day()),
              col("notice_end", "公示结束日期", after("notice_start", 30, 30)), PHONE_COL),
             rows=150, key=("notice_no",))),
    ds("landscape-lighting", "景观照明设施", "Landscape lighting facilities", "sh-lhsrj", N, "annual", "景观照明 灯光",
       "城市管理 节能管理",
       Table((col("facility_id", "设施编号", texts("JG-ZM{n:05d}")),
              col("location", "所在道路或建筑", texts("{road}", "{brand}大厦", "{road}沿街立面")), DISTRICT_COL,
              col("light_type", "灯具类型", pick("LED投光灯", "LED线条灯", "泛光照明", "景观灯带")),
              col("power_kw", "装机功率（千瓦）", nums(1, 300, 1)),
              col("installed_year", "安装年份", ints(2005, 2016)), *POINT),
             rows=250, key=("facility_id",), districts=CENTRAL_DISTRICTS)),
    ds("underground-pipelines", "地下管线普查成果", "Underground pipeline survey results", "sh-ghzyj", N, "irregular",
       "地下管线 普查", "规划管理 城市安全",
       Table((col("pipe_id", "管线段编号", texts("GX{n:06d}")),
              col("pipe_type", "管线类别", pick("给水", "排水", "燃气", "电力", "通信", "热力")),
              col("material", "材质", pick("球墨铸铁", "PE", "钢", "钢筋混凝土", "PVC")),
              col("diameter_mm", "管径（毫米）", pick(100, 150, 200, 300, 500, 800, 1200)),
              col("depth_m", "埋深（米）", nums(0.6, 6, 2)),
              col("road", "所在道路", ROAD), DISTRICT_COL, *POINT,
              col("owner", "权属单位", pick("上海城投水务（集团）有限公司", "上海燃气（集团）有限公司",
                                            "国网上海市电力公司", "中国电信上海公司")),
              col("survey_date", "探测日期", day())),
             rows=400, key=("pipe_id",))),
    ds("lift-retrofit-projects", "既有多层住宅加装电梯", "Lift retrofits in existing multi-storey housing", "sh-fgj", C,
       "monthly", "加装电梯 老旧小区", "城市更新 适老化改造",
       Table((col("project_id", "项目编号", texts("DT{n:04d}")),
              col("community", "小区名称", texts("{road}{brand}小区", "{street_short}新村")), *PLACE,
              col("building_no", "楼号", texts("{num}号")),
              col("floors", "层数", ints(5, 7)),
              col("households", "户数", ints(10, 24)),
              col("status", "进度", pick("意见征询", "已立项", "在建", "已完工")),
              col("subsidy", "财政补贴（万元）", nums(12, 28, 1)),
              col("approved_date", "立项日期", day())),
             rows=100, key=("project_id",), xlsx=True)),
    ds("sponge-city-projects", "海绵城市建设项目", "Sponge city projects", "sh-water", C, "irregular", "海绵城市 雨水",
       "生态建设 防汛排水",
       Table((col("project_id", "项目编号", texts("HM{n:04d}")),
              col("project_name", "项目名称", texts("{district}{street_short}海绵城市建设改造工程",
                                                    "{road}透水铺装改造", "{brand}公园雨水花园建设")),
              col("measure", "主要措施", pick("透水铺装", "雨水花园", "绿色屋顶", "下凹式绿地", "调蓄池")),
              DISTRICT_COL,
              col("area_ha", "建设面积（公顷）", nums(0.5, 60, 1)),
              col("investment", "总投资（万元）", ints(200, 50000)),
              col("runoff_control", "年径流总量控制率（%）", nums(65, 85, 1)),
              col("completion_date", "完工日期", day())),
             rows=100, key=("project_id",))),
    ds("huangpu-historic-buildings", "黄浦区优秀历史建筑", "Heritage architecture in Huangpu", "sh-huangpu", U,
       "irregular",
       "历史建筑 风貌保护 黄浦", "城市更新 文化旅游",
       Table((col("building_name", "建筑名称", texts("{road}{num}号住宅", "{brand}大楼", "{road}里弄建筑",
                                                     "原{brand}银行大楼")), ADDRESS_COL,
              col("style", "建筑风格", pick("装饰艺术派", "新古典主义", "石库门里弄", "折衷主义", "现代主义")),
              col("built_year", "建成年份", ints(1900, 1949)),
              col("protection_class", "保护类别", pick("一类", "二类", "三类", "四类")),
              col("batch", "公布批次", pick("第一批", "第二批", "第三批", "第四批")), *POINT),
             rows=100, xlsx=True)),
)

CREDIT: tuple[Spec, ...] = (
    ds("public-credit-query-stats", "公共信用信息查询统计", "Public credit information query statistics", "sh-credit",
       U,
       "monthly", "信用查询 信用平台 统计", "信用监管 社会信用体系",
       Table((MONTH_COL,
              col("channel", "查询渠道", item("channel")),
              col("subject_type", "查询对象", item("subject_type")),
              col("queries", "查询量（次）", derived("integer", credit_queries)),
              col("querying_units", "查询单位数", ints(20, 600))),
             frame=cross(("month", months(22)), ("channel", ("数据接口", "平台网站", "窗口查询", "移动端")),
                         ("subject_type", ("法人", "自然人"))),
             key=("month", "channel", "subject_type")),
       about="上海市公共信用信息服务平台按月、渠道和对象统计的查询量，自然人查询约为法人查询的两倍。"),
    ds("administrative-licences", "行政许可信息（双公示）", "Administrative licences (public disclosure)", "sh-credit",
       U,
       "daily", "行政许可 双公示 信用", "信用监管 企业服务",
       Table((col("decision_no", "许可决定书文号", texts("沪许〔{year}〕{n:05d}号")),
              col("licence_type", "许可类别", pick(*LICENCE_AGENCIES)),
              col("counterpart", "行政相对人", company("餐饮管理", "药房", "建设工程", "运输", "人力资源")),
              CREDIT_CODE_COL,
              col("legal_representative", "法定代表人", PERSON, "已脱敏"),
              col("agency", "许可机关", lookup("licence_type", LICENCE_AGENCIES)),
              col("decision_date", "许可决定日期", day()),
              col("valid_until", "有效期至", after("decision_date", 365, 1825))),
             rows=450, key=("decision_no",))),
    ds("administrative-penalties", "行政处罚信息（双公示）", "Administrative penalties (public disclosure)",
       "sh-credit", U,
       "daily", "行政处罚 双公示 信用", "信用监管 风险防范",
       Table((col("decision_no", "处罚决定书文号", texts("沪罚〔{year}〕{n:05d}号")),
              col("violation", "违法行为类型", pick(*PENALTY_AGENCIES)),
              col("counterpart", "行政相对人", company("商贸", "餐饮管理", "建设工程", "运输", "实业")),
              CREDIT_CODE_COL,
              col("penalty_type", "处罚类别", pick("罚款", "警告", "没收违法所得；罚款", "责令停产停业", weights=(60,
                      20, 15, 5))),
              col("fine", "罚款金额（万元）", derived("number",
                      lambda c: 0.0 if c.values["penalty_type"] == "警告" else round(c.rng.uniform(0.1, 50), 2))),
              col("agency", "处罚机关", lookup("violation", PENALTY_AGENCIES)),
              col("decision_date", "处罚决定日期", day())),
             rows=400, key=("decision_no",))),
    ds("a-grade-taxpayers", "纳税信用A级纳税人名单", "A-grade taxpayers", "sh-tax", U, "annual", "纳税信用 A级纳税人",
       "信用激励 企业服务",
       Table((CREDIT_CODE_COL,
              col("taxpayer_name", "纳税人名称", company()), DISTRICT_COL,
              col("tax_office", "主管税务机关", texts("国家税务总局上海市{district}税务局")),
              col("evaluation_year", "评价年度", derived("integer", lambda c: c.period.end.year - 1))),
             rows=450, key=("credit_code",), xlsx=True)),
    ds("major-tax-violations", "重大税收违法案件信息", "Major tax violation cases", "sh-tax", U, "monthly",
       "税收违法 黑名单",
       "信用惩戒 风险防范",
       Table((col("case_no", "案件编号", texts("SW{year}{n:04d}")),
              col("taxpayer_name", "纳税人名称", company("贸易", "物资", "商贸")), CREDIT_CODE_COL,
              col("legal_representative", "法定代表人", PERSON, "已脱敏"), *PLACE,
              col("violation", "案件性质", pick("虚开增值税专用发票", "偷税", "逃避追缴欠税", "骗取出口退税")),
              col("amount", "涉案税款（万元）", nums(10, 5000, 2)),
              col("published_date", "公布日期", day())),
             rows=120, key=("case_no",))),
    ds("abnormal-operations-list", "经营异常名录", "List of enterprises with abnormal operations", "sh-scjgj", U,
       "daily",
       "经营异常 企业信用", "信用监管 风险防范",
       Table((CREDIT_CODE_COL,
              col("enterprise_name", "企业名称", company()), DISTRICT_COL,
              col("reason", "列入原因", pick("未按照规定期限公示年度报告", "通过登记的住所或者经营场所无法联系",
                                            "公示企业信息隐瞒真实情况、弄虚作假", "未在责令的期限内公示有关企业信息",
                                             weights=(60, 30, 5, 5))),
              col("listed_date", "列入日期", day()),
              col("authority", "作出决定机关", texts("上海市{district}市场监督管理局")),
              col("removed", "是否已移出", flag(0.3)),
              col("removed_date", "移出日期", derived("date", removal_date))),
             rows=450, key=("credit_code",))),
    ds("serious-violation-list", "严重违法失信企业名单", "Seriously illegal and dishonest enterprises", "sh-scjgj", U,
       "monthly",
       "严重违法 失信 黑名单", "信用惩戒 风险防范",
       Table((CREDIT_CODE_COL,
              col("enterprise_name", "企业名称", company()),
              col("legal_representative", "法定代表人", PERSON, "已脱敏"), DISTRICT_COL,
              col("reason", "列入原因", pick("被列入经营异常名录届满3年仍未履行相关义务",
                                             "提交虚假材料取得登记被撤销登记")),
              col("listed_date", "列入日期", day()),
              col("authority", "作出决定机关", pick("上海市市场监督管理局"))),
             rows=150, key=("credit_code",), xlsx=True)),
    ds("trust-incentive-list", "守信激励对象名单", "Trustworthy entities for incentives", "sh-fgw", C, "quarterly",
       "守信激励 红名单", "信用激励 企业服务",
       Table((CREDIT_CODE_COL,
              col("name", "主体名称", company()),
              col("honour", "守信类型", pick("上海市守合同重信用企业", "纳税信用A级纳税人", "海关高级认证企业",
                                             "上海市诚信创建企业")),
              DISTRICT_COL,
              col("recognised_date", "认定日期", day()),
              col("valid_until", "有效期至", after("recognised_date", 730, 730))),
             rows=200, key=("credit_code",))),
    ds("food-producer-credit-ratings", "食品生产企业信用等级评定", "Food producer credit ratings", "sh-scjgj", C,
       "annual",
       "食品安全 信用等级", "信用监管 食品安全",
       Table((CREDIT_CODE_COL,
              col("enterprise_name", "企业名称", company("食品", "食品科技", "乳业", "酿造")),
              col("licence_no", "食品生产许可证编号", texts("SC1{num:04d}31{n:08d}")), DISTRICT_COL,
              col("rating", "信用等级", pick("A级", "B级", "C级", "D级", weights=(35, 45, 15, 5))),
              col("rated_date", "评定日期", day())),
             rows=250, key=("credit_code",))),
    ds("credit-service-agencies", "信用服务机构备案名录", "Registered credit service agencies", "sh-credit", U,
       "irregular",
       "信用服务 征信 评级", "信用服务 行业监管",
       Table((col("record_no", "备案编号", texts("XYFW{year}{n:03d}")),
              col("agency_name", "机构名称", texts("上海{brand}信用评估有限公司", "上海{brand}征信服务有限公司",
                                                   "上海{brand}资信评估有限公司")),
              CREDIT_CODE_COL,
              col("services", "服务类别", pick("信用评级", "信用调查", "信用管理咨询", "征信服务")), *PLACE, PHONE_COL,
              col("filed_date", "备案日期", day())),
             rows=60, key=("record_no",), xlsx=True)),
    ds("natural-person-credit-sample", "自然人公共信用信息（脱敏样本）",
       "Natural-person public credit records (de-identified sample)",
       "sh-credit", N, "daily", "自然人信用 信用记录", "信用监管 数据研究",
       Table((col("person_hash", "主体标识（脱敏）", HASH),
              col("gender", "性别", pick("男", "女")),
              col("age_group", "年龄段", pick("18-29岁", "30-39岁", "40-49岁", "50-59岁", "60岁及以上")),
              col("record_type", "信息类别", pick("失信被执行人", "欠缴社会保险费", "公积金贷款逾期",
                                                  "交通违法逾期未处理", "行政处罚")),
              col("source", "信息提供单位", pick("上海市高级人民法院", "上海市人力资源和社会保障局",
                                                 "上海市住房公积金管理中心",
                                               "上海市公安局", "上海市市场监督管理局")),
              col("record_date", "信息日期", day()),
              col("status", "状态", pick("有效", "已修复", weights=(70, 30)))),
             rows=300)),
    ds("construction-market-credit", "建筑市场主体信用评价", "Construction market credit evaluations", "sh-zjw", C,
       "quarterly",
       "建筑市场 信用评价", "信用监管 工程招投标",
       Table((CREDIT_CODE_COL,
              col("enterprise_name", "企业名称", texts("上海{brand}建设（集团）有限公司", "上海{brand}建筑工程有限公司",
                                                       "上海{brand}工程监理有限公司")),
              col("qualification", "资质", pick("施工总承包特级", "施工总承包一级", "施工总承包二级", "专业承包一级",
                                                "工程监理甲级")),
              col("score", "信用评分", nums(60, 100, 1)),
              col("grade", "信用等级", banded("score", CREDIT_GRADE_BANDS)), DISTRICT_COL,
              col("evaluated_date", "评价日期", day())),
             rows=250, key=("credit_code",), xlsx=True)),
    ds("procurement-supplier-misconduct", "政府采购严重违法失信行为记录", "Government procurement supplier misconduct",
       "sh-czj",
       U, "irregular", "政府采购 失信 黑名单", "信用惩戒 阳光采购",
       Table((col("supplier", "供应商名称", company("科技", "设备", "贸易", "工程")), CREDIT_CODE_COL, DISTRICT_COL,
              col("conduct", "违法失信行为", pick("提供虚假材料谋取中标", "与采购人恶意串通", "拒绝签订政府采购合同",
                                                  "以他人名义投标")),
              col("penalty", "处罚结果", pick("列入不良行为记录名单，一年内禁止参加政府采购活动",
                                              "罚款并列入不良行为记录名单")),
              col("agency", "处罚机关", texts("上海市财政局", "上海市{district}财政局")),
              col("decision_date", "处罚日期", day()),
              col("ban_until", "禁止参加政府采购截止日期", after("decision_date", 365, 1095))),
             rows=60, key=("credit_code",))),
)

CATALOGUE: dict[str, tuple[Spec, ...]] = {
    "economy": ECONOMY, "environment": ENVIRONMENT, "education": EDUCATION, "transport": TRANSPORT,
    "society": SOCIETY, "safety": SAFETY, "culture": CULTURE, "health": HEALTH, "livelihood": LIVELIHOOD,
    "institutions": INSTITUTIONS, "urban": URBAN, "credit": CREDIT,
}


# ---------------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------------

DEPARTMENT_KEYS = ("name", "code", "title", "title_en", "kind", "description", "description_en")
DEPARTMENT_KINDS = ("municipal", "district")
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,99}")
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9]{1,19}")
DISTRICT_TITLE_PATTERN = re.compile(r"上海市(.+区)人民政府")


def district_of(department: Mapping[str, Any]) -> str | None:
    """The district a district government stands for (None for municipal departments)."""
    if department["kind"] != "district":
        return None
    match = DISTRICT_TITLE_PATTERN.fullmatch(department["title"])
    return match.group(1) if match and match.group(1) in DISTRICT_BY_NAME else None


def _department_error(path: Path, index: int, entry: Any, message: str) -> ValueError:
    label = (entry.get("name") or entry.get("title") or "?") if isinstance(entry, Mapping) else "?"
    return ValueError(f"{path.name}: departments[{index}] ({label}): {message}")


def _check_department(path: Path, index: int, entry: Any) -> dict[str, str]:
    if not isinstance(entry, Mapping):
        raise _department_error(path, index, entry, "must be a mapping of department fields")
    for key in DEPARTMENT_KEYS:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _department_error(path, index, entry, f"field '{key}' is missing or not a non-empty string")
    checks = (
        ("name", NAME_PATTERN.fullmatch(entry["name"]), "lowercase ascii letters, digits and '-' (2–100 characters)"),
        ("code", CODE_PATTERN.fullmatch(entry["code"]), "upper-case ascii letters and digits, starting with a letter"),
        ("kind", entry["kind"] in DEPARTMENT_KINDS, f"one of {', '.join(DEPARTMENT_KINDS)}"),
    )
    for key, ok, expected in checks:
        if not ok:
            raise _department_error(path, index, entry, f"field '{key}' is {entry[key]!r}; expected {expected}")
    if entry["kind"] == "district" and district_of(entry) is None:
        raise _department_error(path, index, entry, f"field 'title' is {entry['title']!r}; expected 上海市<区>人民政府 "
                                                    "naming one of the 16 districts")
    return {key: str(entry[key]).strip() for key in DEPARTMENT_KEYS}


def load_departments(path: Path | None = None) -> list[dict[str, str]]:
    """Read and validate ``departments.yaml`` (or ``path``); one dict per department, file order.

    Raises ``ValueError`` naming the entry (index and name) and the field when an entry
    lacks a field, has a malformed name, code or kind, or repeats another entry's name,
    code or title.
    """
    path = path or DEPARTMENTS_PATH
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = document.get("departments") if isinstance(document, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path.name}: expected a mapping with a non-empty 'departments' list")
    departments: list[dict[str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        department = _check_department(path, index, entry)
        for key in ("name", "code", "title"):
            first = seen.setdefault((key, department[key]), index)
            if first != index:
                raise _department_error(path, index, entry, f"field '{key}' repeats {department[key]!r} "
                                                            f"of departments[{first}]")
        departments.append(department)
    return departments


# ---------------------------------------------------------------------------------
# Seed datasets and files
# ---------------------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    return str(value)


PINNED_ZIP_TIME = (2016, 12, 31, 0, 0, 0)
PINNED_DOC_TIME = dt.datetime(2016, 12, 31)


def _pin_xlsx(data: bytes) -> bytes:
    """Re-zip an openpyxl workbook with fixed timestamps so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2016-12-31T00:00:00Z", content)
            pinned = zipfile.ZipInfo(info.filename, date_time=PINNED_ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(pinned, content)
    return output.getvalue()


@dataclass(frozen=True)
class SeedFile:
    """One data file of a seed dataset and its CKAN resource dict (with its Table Schema)."""

    filename: str
    format: str  # "CSV" or "XLSX"
    resource: dict[str, Any]
    _rows: tuple[dict[str, Any], ...] = field(repr=False, compare=False)

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.resource["schema"]["fields"]]

    def rows(self) -> list[dict[str, Any]]:
        """The data rows as typed Python values (str, int, float, bool, date, datetime, None)."""
        return [dict(row) for row in self._rows]

    def write(self, directory: Path) -> Path:
        """Write the file into ``directory`` (created if needed); same bytes on every run."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / self.filename
        path.write_bytes(self._xlsx_bytes() if self.format == "XLSX" else self._csv_bytes())
        return path

    def _csv_bytes(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.field_names)
        writer.writerows([_cell_text(row[name]) for name in self.field_names] for row in self._rows)
        return buffer.getvalue().encode("utf-8")

    def _xlsx_bytes(self) -> bytes:
        workbook = openpyxl.Workbook()
        workbook.properties.created = PINNED_DOC_TIME
        sheet = workbook.active
        sheet.title = "data"
        sheet.append(self.field_names)
        for row in self._rows:
            sheet.append([row[name] for name in self.field_names])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return _pin_xlsx(buffer.getvalue())


@dataclass(frozen=True)
class SeedDataset:
    """A CKAN dataset dict (without resources) and its data files, first file first."""

    dataset: dict[str, Any]
    files: tuple[SeedFile, ...]


def _dataset_period(rng: random.Random, frequency: str) -> tuple[dt.date, dt.date, Period]:
    """Release date, last update and temporal coverage, consistent with the update frequency."""
    _, _, lag, (shortest, longest) = FREQUENCIES[frequency]
    release = _random_day(rng, RELEASE_FIRST, RELEASE_LAST)
    last_updated = release + dt.timedelta(days=rng.randint(0, min(MAX_UPDATE_DELAY_DAYS, (UPDATE_LAST - release).days)))
    end = last_updated - dt.timedelta(days=rng.randint(0, lag))
    start = end - dt.timedelta(days=rng.randint(shortest, longest))
    return release, last_updated, Period(start, end)


def _generate_rows(table: Table, rng: random.Random, period: Period, districts: Sequence[str]) -> list[dict[str, Any]]:
    frame = table.frame(rng, period) if table.frame else [{}] * table.rows
    rows = []
    for index, frame_item in enumerate(frame):
        ctx = RowContext(rng, index, period, frame_item, districts)
        for column in table.columns:
            ctx.values[column.name] = column.gen(ctx)
        rows.append(ctx.values)
    return rows


def _table_schema(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [c.schema_field(c.name in table.key) for c in table.columns]}
    if table.key:
        schema["primaryKey"] = list(table.key)
    return schema


def _build_file(spec: Spec, table: Table, period: Period, home: str | None) -> SeedFile:
    filename = "-".join(filter(None, (spec.name, table.part))) + (".xlsx" if table.xlsx else ".csv")
    rng = random.Random(f"{SEED}:{filename}")
    rows = _generate_rows(table, rng, period, (home,) if home else table.districts)
    file_format = "XLSX" if table.xlsx else "CSV"
    name = f"{spec.title}（{table.part_title}）" if table.part_title else spec.title
    resource = {
        "name": name,
        "description": f"{name}，{file_format}格式，{len(rows)}行{len(table.columns)}列，"
                       "列名为英文字段名，字段含义见表结构（Table Schema）。",
        "format": file_format,
        "schema": _table_schema(table),
    }
    return SeedFile(filename, file_format, resource, tuple(rows))


def _zh_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _notes(spec: Spec, department: Mapping[str, str], home: str | None, count: int, period: Period) -> tuple[str, str]:
    """Chinese and English descriptions: what, which fields and how many rows, coverage, disclaimer."""
    columns = spec.tables[0].columns
    area_zh = f"，范围为{home}" if home else ""
    frequency_zh, frequency_en, _, _ = FREQUENCIES[spec.frequency]
    zh = "".join((
        spec.about or f"{department['title']}发布的{spec.title}。",
        f"主要字段包括{'、'.join(c.title for c in columns[:6])}等，共{count}条记录{area_zh}。",
        f"数据时间范围为{_zh_date(period.start)}至{_zh_date(period.end)}，{frequency_zh}更新。",
        DISCLAIMER_ZH,
    ))
    district_en = department["title_en"].removesuffix(" People's Government")
    area_en = f" for {district_en}" if home else ""
    en = " ".join((
        f"{spec.title_en}, published by the {department['title_en']}.",
        f"{count} records{area_en} with fields such as {', '.join(c.name for c in columns[:6])}.",
        f"Covers {period.start.isoformat()} to {period.end.isoformat()}; updated {frequency_en}.",
        DISCLAIMER_EN,
    ))
    return zh, en


def _build_dataset(spec: Spec, domain: str, catalogue_code: str, department: Mapping[str, str]) -> SeedDataset:
    rng = random.Random(f"{SEED}:{spec.name}")
    release, last_updated, period = _dataset_period(rng, spec.frequency)
    home = district_of(department)
    files = tuple(_build_file(spec, table, period, home) for table in spec.tables)
    count = len(files[0]._rows)
    notes, notes_en = _notes(spec, department, home, count, period)
    conditions = (spec.conditions or rng.choice(OPEN_CONDITIONS)) if spec.open_type == C else ""
    tags = list(dict.fromkeys((*spec.tags, DOMAINS[domain][0])))[:5]
    host = spec.org.removeprefix("sh-")
    dataset = {
        "name": spec.name,
        "title": spec.title,
        "title_en": spec.title_en,
        "notes": notes,
        "notes_en": notes_en,
        "owner_org": spec.org,
        "data_domain": domain,
        "open_type": spec.open_type,
        "open_conditions": conditions,
        "share_type": SHARE_TYPES[spec.open_type],
        "catalogue_code": catalogue_code,
        "update_frequency": spec.frequency,
        "release_date": release.isoformat(),
        "last_updated": last_updated.isoformat(),
        "temporal_start": period.start.isoformat(),
        "temporal_end": period.end.isoformat(),
        "record_count": count,
        "app_scenarios": list(spec.scenarios),
        "tags": [{"name": tag} for tag in tags],
        "license_id": LICENSES[spec.open_type],
        "contact_name": f"{department['title']}数据开放联络人",
        "contact_email": f"data@{host}.example.gov.cn",
    }
    return SeedDataset(dataset, files)


def _check_spec(spec: Spec, departments: Mapping[str, Mapping[str, str]]) -> None:
    """Fail early, naming the dataset, on a spec the portal's schema would reject."""
    problems = [
        (spec.org not in departments, f"owner_org {spec.org!r} is not in departments.yaml"),
        (spec.open_type not in SHARE_TYPES, f"open_type {spec.open_type!r} is unknown"),
        (spec.frequency not in FREQUENCIES, f"update_frequency {spec.frequency!r} is unknown"),
        (not NAME_PATTERN.fullmatch(spec.name), "name must be a lowercase ascii slug"),
        (not 1 <= len(spec.scenarios) <= 3, "needs 1–3 application scenarios"),
        (not 1 <= len(spec.tags) <= 4, "needs 1–4 tags (the domain is added)"),
        (not spec.tables, "needs at least one table"),
        (bool(spec.about) and not spec.about.endswith("。"), "about must be a sentence ending in 。"),
    ]
    for failed, message in problems:
        if failed:
            raise ValueError(f"seed dataset {spec.name!r}: {message}")


def iter_seed_datasets() -> Iterator[SeedDataset]:
    """The whole seed catalogue in a fixed order: domain by domain, as in the spec tables."""
    departments = {d["name"]: d for d in load_departments()}
    sequence: Counter[str] = Counter()
    for domain_number, (domain, specs) in enumerate(CATALOGUE.items(), 1):
        for item_number, spec in enumerate(specs, 1):
            _check_spec(spec, departments)
            department = departments[spec.org]
            sequence[spec.org] += 1
            code = f"A{domain_number:02d}{item_number:02d}-{department['code']}-{sequence[spec.org]:05d}"
            yield _build_dataset(spec, domain, code, department)


def write_seed_files(directory: Path) -> list[Path]:
    """Write every data file of the seed into ``directory``; returns the paths in seed order."""
    return [seed_file.write(directory) for seed in iter_seed_datasets() for seed_file in seed.files]


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m catalog_seed.generate DIRECTORY``: write the seed's data files and a summary."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("directory", type=Path)
    arguments = parser.parse_args(argv)
    paths = write_seed_files(arguments.directory)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} files ({size / 1e6:.1f} MB) to {arguments.directory}")


if __name__ == "__main__":
    main()
