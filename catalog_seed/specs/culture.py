"""The seed datasets of the culture and leisure domain (文化休闲), in catalogue-code order.

The position of a spec in ``SPECS`` is its item number in the catalogue code.
"""
from __future__ import annotations

import random

from catalog_seed.dsl import (
    ADDRESS_COL,
    CREDIT_CODE_COL,
    DISTRICT_COL,
    MONTH_COL,
    PHONE_COL,
    PLACE,
    POINT,
    STREET_COL,
    C,
    N,
    Period,
    Spec,
    Table,
    U,
    after,
    col,
    cross,
    day,
    ds,
    fixed,
    flag,
    ints,
    item,
    months,
    nums,
    padded,
    pick,
    ratio_banded,
    sampled,
    share,
    since,
    texts,
    times,
)
from catalog_seed.places import DISTRICT_NAMES, STREET_ITEMS, records

__all__ = ["SPECS"]

CROWD_BANDS = ((0.3, "舒适"), (0.5, "较舒适"), (0.7, "一般"), (0.9, "较拥挤"), (9.9, "拥挤"))
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


def library_frame(rng: random.Random, period: Period) -> list[dict[str, str]]:
    """Shanghai Library, one library per district and community libraries in 150 streets and towns."""
    district_libraries = [{"name": "浦东图书馆" if d == "浦东新区" else f"{d}图书馆", "district": d, "level": "区级"}
                          for d in DISTRICT_NAMES]
    community = [{"name": f"{s['district']}{s['street']}社区图书馆", "level": "街镇级", **s}
                 for s in sampled(STREET_ITEMS, 150)(rng, period)]
    return [{"name": "上海图书馆", "district": "徐汇区", "level": "市级"}, *district_libraries, *community]


SPECS: tuple[Spec, ...] = (
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
