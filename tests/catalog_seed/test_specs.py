"""The spec tables: the named services exist and their rows look like Shanghai."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from catalog_seed import build
from catalog_seed.build import SeedDataset
from catalog_seed.departments import district_of, load_departments
from catalog_seed.identifiers import is_valid_credit_code
from catalog_seed.places import DISTRICT_NAMES


def titled(seeds: list[SeedDataset], prefix: str) -> list[SeedDataset]:
    return [seed for seed in seeds if seed.dataset["title"].startswith(prefix)]


@pytest.mark.parametrize("prefix", [
    "公交线路基本信息", "公交线路实时到站", "公共停车场", "A级旅游景区实时客流", "长三角区域空气质量小时",
                                    "长三角区域空气质量预报",
    "固定污染源", "医疗机构", "中小学校", "养老机构", "老年照护", "BIM", "智慧社区试点", "智慧园区试点",
                                    "食品安全监督抽检",
    "法人基础信息", "公共信用信息查询统计", "街镇网格化管理平台", "居民电子健康档案", "轨道交通车站", "公共自行车",
                                    "出租汽车",
    "电动汽车公共充电", "城市公园", "公共图书馆", "博物馆", "公共体育场馆", "标准化菜市场", "企业设立登记", "专利授权",
    "高新技术企业", "地表水水质", "区域环境噪声", "公共绿地", "消防救援站", "应急避难场所", "社区事务受理服务中心",
    "社会组织", "律师事务所", "行政许可", "行政处罚", "国有土地上房屋征收", "保障性住房", "建设工程项目", "道路施工",
    "医保定点", "零售药店", "献血点",
])
def test_named_service_exists(seeds: list[SeedDataset], prefix: str) -> None:
    assert titled(seeds, prefix), prefix


def test_reported_counts_are_reproduced(by_name: dict[str, SeedDataset]) -> None:
    bim = by_name["bim-pilot-projects"].files[0].rows()
    assert Counter(r["investment_type"] for r in bim) == {"政府投资": 49, "社会投资": 13}
    assert by_name["grid-management-platforms"].dataset["record_count"] == 213
    assert by_name["smart-community-pilots"].dataset["record_count"] == 50
    assert by_name["smart-park-pilots"].dataset["record_count"] == 30
    assert by_name["public-car-park-status"].dataset["record_count"] >= 200


def test_health_records_are_aggregates_only(by_name: dict[str, SeedDataset]) -> None:
    seed_file = by_name["ehr-statistics"].files[0]
    fields = seed_file.resource["schema"]["fields"]
    assert seed_file.resource["schema"]["primaryKey"] == ["month", "district"]
    assert all(f["type"] in ("integer", "number") for f in fields if f["name"] not in ("month", "district"))


def test_bus_lines_have_distinct_terminals_and_a_stop_sequence(by_name: dict[str, SeedDataset]) -> None:
    lines, stops = by_name["bus-lines"].files
    assert all(row["start_stop"] != row["end_stop"] for row in lines.rows())
    assert {row["line_name"] for row in stops.rows()} <= {row["line_name"] for row in lines.rows()}


def test_rows_look_like_shanghai(seeds: list[SeedDataset]) -> None:
    districts = set(DISTRICT_NAMES)
    for seed in seeds:
        for seed_file in seed.files:
            planted = build.PLANTED.get(seed_file.filename, (-1,))[0]  # spoilt on purpose
            for index, row in enumerate(seed_file.rows()):
                if index == planted:
                    continue
                label = (seed_file.filename, row)
                if "longitude" in row:
                    assert 120.85 <= row["longitude"] <= 122.2 and 30.67 <= row["latitude"] <= 31.88, label
                if "district" in row:
                    assert row["district"] in districts, label
                if "phone" in row:
                    assert re.fullmatch(r"021-\d{8}", row["phone"]), label
                if "credit_code" in row:
                    assert is_valid_credit_code(row["credit_code"]), label


def test_district_owned_datasets_stay_in_their_district(seeds: list[SeedDataset]) -> None:
    departments = {d["name"]: d for d in load_departments()}
    for seed in seeds:
        home = district_of(departments[seed.dataset["owner_org"]])
        if home:
            rows = seed.files[0].rows()
            assert all(home in row.get("address", home) for row in rows), seed.dataset["name"]
