"""The seed datasets of the health domain (卫生健康), in catalogue-code order.

The position of a spec in ``SPECS`` is its item number in the catalogue code.
"""
from __future__ import annotations

import random

from catalog_seed.dsl import (
    ADDRESS_COL,
    CREDIT_CODE_COL,
    DISTRICT_COL,
    HASH,
    MONTH_COL,
    PHONE_COL,
    PLACE,
    POINT,
    STREET_COL,
    C,
    N,
    Period,
    RowContext,
    Spec,
    Table,
    U,
    col,
    cross,
    derived,
    ds,
    flag,
    ints,
    item,
    months,
    nums,
    pick,
    quarters,
    sampled,
    scaled,
    share,
    since,
    texts,
)
from catalog_seed.places import DISTRICT_NAMES, METRO_STATION_NAMES, STREET_ITEMS, records

__all__ = ["SPECS"]

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
DISEASES = records("disease category", """
    病毒性肝炎:乙类 肺结核:乙类 梅毒:乙类 淋病:乙类 猩红热:乙类 细菌性和阿米巴性痢疾:乙类 艾滋病:乙类
    伤寒和副伤寒:乙类 登革热:乙类 麻疹:乙类 布鲁氏菌病:乙类 流行性感冒:丙类 手足口病:丙类
    其他感染性腹泻病:丙类 流行性腮腺炎:丙类 风疹:丙类 急性出血性结膜炎:丙类
""")


def medical_institution_frame(rng: random.Random, period: Period) -> list[dict[str, str]]:
    """The real hospitals plus a community health service centre for 200 streets and towns."""
    centres = [{"name": f"上海市{s['district']}{s['street']}社区卫生服务中心", "district": s["district"],
                "street": s["street"], "grade": "一级", "category": "社区卫生服务中心"}
               for s in sampled(STREET_ITEMS, 200)(rng, period)]
    return [*HOSPITALS, *centres]


BEDS_BY_GRADE = {"三": (800, 3000), "二": (300, 900), "一": (20, 150)}


def hospital_beds(c: RowContext) -> int:
    """Beds by hospital grade (三级, 二级, 一级)."""
    return c.rng.randint(*BEDS_BY_GRADE[c.values["grade"][0]])


SPECS: tuple[Spec, ...] = (
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
