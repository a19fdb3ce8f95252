"""Geography for the generators: the 16 districts with their roads and their streets
and towns (街镇), and the real places (metro stations, development zones) that several
domains share. Pure data and small lookups.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CENTRAL_DISTRICTS", "DEVELOPMENT_ZONES", "District", "DISTRICT_BY_NAME", "DISTRICT_NAMES", "DISTRICTS",
    "LAT_RANGE", "LON_RANGE", "METRO_LINE_OPENED", "METRO_STATION_NAMES", "METRO_STATIONS", "METRO_TRANSFERS",
    "MUNICIPAL_DIVISION", "records", "short_name", "STREET_ITEMS", "SUBURBAN_DISTRICTS",
]

LON_RANGE = (120.86, 122.19)
LAT_RANGE = (30.68, 31.87)


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


def records(keys: str, text: str) -> tuple[dict[str, str], ...]:
    """Static frame items from compact text: whitespace-separated rows of ':'-separated fields."""
    names = keys.split()
    return tuple(dict(zip(names, row.split(":"), strict=True)) for row in text.split())


METRO_LINE_OPENED = {"1号线": "1993-05-28", "2号线": "1999-09-20", "3号线": "2000-12-26", "5号线": "2003-11-25",
                     "7号线": "2009-12-05", "8号线": "2007-12-29", "9号线": "2007-12-29", "10号线": "2010-04-10",
                     "11号线": "2009-12-31", "13号线": "2012-12-30", "16号线": "2013-12-29"}
METRO_TRANSFERS = set("莘庄 上海南站 上海体育馆 徐家汇 常熟路 陕西南路 人民广场 汉中路 上海火车站 虹桥火车站 "
                      "虹桥2号航站楼 中山公园 江苏路 静安寺 南京西路 南京东路 世纪大道 龙阳路 宝山路 虹口足球场 "
                      "镇坪路 长寿路 金沙江路 江湾体育场".split())
METRO_STATIONS: tuple[dict[str, Any], ...] = tuple(
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
METRO_STATION_NAMES: tuple[str, ...] = tuple(s["station_name"] for s in METRO_STATIONS)
DEVELOPMENT_ZONES = records("name district level", """
    张江高科技园区:浦东新区:国家级 漕河泾新兴技术开发区:徐汇区:国家级 金桥经济技术开发区:浦东新区:国家级
    外高桥保税区:浦东新区:国家级 紫竹高新技术产业开发区:闵行区:国家级 闵行经济技术开发区:闵行区:国家级
    嘉定工业区:嘉定区:市级 松江经济技术开发区:松江区:国家级 青浦工业园区:青浦区:市级 金山工业区:金山区:市级
    奉贤经济开发区:奉贤区:市级 宝山工业园区:宝山区:市级 市北高新技术服务业园区:静安区:市级
    临港产业区:浦东新区:市级 莘庄工业区:闵行区:市级 康桥工业区:浦东新区:市级 上海化学工业区:金山区:国家级
    崇明工业园区:崇明区:市级 杨浦国家大学科技园:杨浦区:国家级 虹桥商务区:闵行区:市级 陆家嘴金融贸易区:浦东新区:国家级
    长宁临空经济园区:长宁区:市级
""")
