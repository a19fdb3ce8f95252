"""The seed datasets of the institutions and organisations domain (机构团体), in catalogue-code order.

The position of a spec in ``SPECS`` is its item number in the catalogue code.
"""
from __future__ import annotations

import random

from catalog_seed.departments import district_of, load_departments
from catalog_seed.dsl import (
    ADDRESS_COL,
    CREDIT_CODE_COL,
    DISTRICT_COL,
    PERSON,
    PHONE_COL,
    PLACE,
    STREET_COL,
    C,
    Gen,
    Period,
    RowContext,
    Spec,
    Table,
    U,
    _TemplateVars,
    after,
    col,
    company,
    credit_code,
    day,
    derived,
    ds,
    fixed,
    flag,
    ints,
    item,
    nums,
    pick,
    since,
    texts,
)
from catalog_seed.identifiers import make_credit_code
from catalog_seed.places import DISTRICT_BY_NAME, STREET_ITEMS, records

__all__ = ["SPECS"]

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


SPECS: tuple[Spec, ...] = (
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
