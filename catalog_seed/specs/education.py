"""The seed datasets of the education, science and technology domain (教育科技), in catalogue-code order.

The position of a spec in ``SPECS`` is its item number in the catalogue code.
"""
from __future__ import annotations

from catalog_seed.dsl import (
    ADDRESS_COL,
    CREDIT_CODE_COL,
    DISTRICT_COL,
    PHONE_COL,
    PLACE,
    POINT,
    STREET_COL,
    YEAR_COL,
    C,
    N,
    RowContext,
    Spec,
    Table,
    U,
    after,
    col,
    company,
    cross,
    day,
    derived,
    ds,
    fixed,
    ints,
    item,
    nums,
    pick,
    scaled,
    share,
    texts,
    texts_by,
    years,
)
from catalog_seed.identifiers import patent_check
from catalog_seed.places import DISTRICT_NAMES, records

__all__ = ["SPECS"]


def patent_number(c: RowContext) -> str:
    """ZL + application year + type digit + 7-digit serial + "." + check character."""
    kind = {"发明": "1", "实用新型": "2", "外观设计": "3"}[c.values["patent_type"]]
    digits = f"{c.values['application_date'].year}{kind}{c.rng.randrange(10**7):07d}"
    return f"ZL{digits}.{patent_check(digits)}"


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


def pass_rate(c: RowContext) -> float:
    """The share left after the excellent, good and failing rates (they sum to 100%)."""
    return round(100 - c.values["excellent_rate"] - c.values["good_rate"] - c.values["fail_rate"], 1)


SCHOOL_NAMES = {
    "小学": ("上海市{district}{road}小学", "上海市{district}{road}第一小学", "上海市{district}{street_short}实验小学"),
    "初级中学": ("上海市{district}{road}中学", "上海市{district}{street_short}初级中学"),
    "九年一贯制学校": ("上海市{district}{street_short}学校", "上海市{district}{brand}实验学校"),
    "完全中学": ("上海市{district}{street_short}中学", "上海市{brand}中学"),
    "高级中学": ("上海市{district}{street_short}高级中学", "上海市{brand}高级中学"),
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
SPECS: tuple[Spec, ...] = (
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
