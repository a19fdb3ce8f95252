"""The seed datasets of the road traffic and transport domain (道路交通), in catalogue-code order.

The position of a spec in ``SPECS`` is its item number in the catalogue code.
"""
from __future__ import annotations

import itertools
import random

from catalog_seed.dsl import (
    CREDIT_CODE_COL,
    DISTRICT_COL,
    HASH,
    MONTH_COL,
    PHONE,
    PHONE_COL,
    PLACE,
    PLATE,
    POINT,
    ROAD,
    C,
    N,
    Period,
    RowContext,
    Spec,
    Table,
    U,
    after,
    banded,
    clock,
    col,
    company,
    cross,
    day,
    derived,
    ds,
    fixed,
    flag,
    ints,
    item,
    moment,
    months,
    nums,
    pick,
    ratio_banded,
    share,
    texts,
    times,
)
from catalog_seed.places import (
    CENTRAL_DISTRICTS,
    DISTRICT_BY_NAME,
    METRO_STATION_NAMES,
    METRO_STATIONS,
    records,
    short_name,
)

__all__ = ["SPECS"]

SODA_CONDITIONS = "仅向SODA大赛通过身份核验的晋级团队开放，需签署数据使用协议"
FREE_SPACE_BANDS = ((0.0, "已满"), (0.1, "紧张"), (0.3, "较少"), (1.0, "充足"))
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


def free_spaces(c: RowContext) -> int:
    """Free spaces at a car park; one in ten is full."""
    return c.rng.randint(0, c.values["total_spaces"]) if c.rng.random() > 0.1 else 0


def bus_distance(c: RowContext) -> int:
    """Metres to the stop: 350–700 m per stop still to go, plus up to 300 m."""
    return c.values["stops_away"] * c.rng.randint(350, 700) + c.rng.randint(0, 300)


def transit_txn_type(c: RowContext) -> str:
    return c.rng.choice(("进站", "出站")) if c.values["mode"] == "地铁" else "消费"


SPECS: tuple[Spec, ...] = (
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
