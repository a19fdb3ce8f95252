"""The seed catalogue: deterministic, complete, realistic and valid against its own Table Schemas."""
from __future__ import annotations

import random
import re
import zipfile
from collections import Counter
from pathlib import Path

import frictionless
import openpyxl
import pytest

from catalog_seed import generate
from catalog_seed.generate import (
    DOMAINS,
    SeedDataset,
    is_valid_credit_code,
    iter_seed_datasets,
    load_departments,
    write_seed_files,
)

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
CATALOGUE_CODE = re.compile(r"A(\d{2})(\d{2})-([A-Z][A-Z0-9]+)-(\d{5})")
REQUIRED_KEYS = ("name", "title", "title_en", "notes", "notes_en", "owner_org", "data_domain", "open_type",
                 "share_type", "catalogue_code", "update_frequency", "release_date", "last_updated",
                 "temporal_start", "temporal_end", "record_count", "app_scenarios", "tags", "license_id",
                 "contact_name", "contact_email")


@pytest.fixture(scope="module")
def seeds() -> list[SeedDataset]:
    return list(iter_seed_datasets())


@pytest.fixture(scope="module")
def by_name(seeds: list[SeedDataset]) -> dict[str, SeedDataset]:
    return {seed.dataset["name"]: seed for seed in seeds}


@pytest.fixture(scope="module")
def written(seeds: list[SeedDataset], tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("seed")
    for seed in seeds:
        for seed_file in seed.files:
            seed_file.write(directory)
    return directory


def titled(seeds: list[SeedDataset], prefix: str) -> list[SeedDataset]:
    return [seed for seed in seeds if seed.dataset["title"].startswith(prefix)]


# --- determinism -------------------------------------------------------------------

def test_two_runs_give_identical_dataset_dicts_and_rows(seeds: list[SeedDataset]) -> None:
    again = list(iter_seed_datasets())
    assert [s.dataset for s in again] == [s.dataset for s in seeds]
    assert [[f.rows() for f in s.files] for s in again] == [[f.rows() for f in s.files] for s in seeds]


def test_two_runs_write_identical_bytes(tmp_path: Path) -> None:
    first = write_seed_files(tmp_path / "first")
    second = write_seed_files(tmp_path / "second")
    assert [p.name for p in first] == [p.name for p in second]
    differing = [a.name for a, b in zip(first, second, strict=True) if a.read_bytes() != b.read_bytes()]
    assert differing == []
    assert {p.suffix for p in first} == {".csv", ".xlsx"}


def test_xlsx_files_carry_pinned_timestamps(seeds: list[SeedDataset], written: Path) -> None:
    xlsx = next(f for s in seeds for f in s.files if f.format == "XLSX")
    with zipfile.ZipFile(written / xlsx.filename) as archive:
        assert {info.date_time for info in archive.infolist()} == {generate.PINNED_ZIP_TIME}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2016-12-31T00:00:00Z"] * 2


# --- coverage of the catalogue -----------------------------------------------------

def test_at_least_130_datasets_over_all_12_domains(seeds: list[SeedDataset]) -> None:
    assert len(seeds) >= 130
    domains = Counter(s.dataset["data_domain"] for s in seeds)
    assert set(domains) == set(DOMAINS) and len(DOMAINS) == 12
    assert min(domains.values()) >= 8


def test_owners_exist_and_at_least_20_departments_publish(seeds: list[SeedDataset]) -> None:
    departments = {d["name"]: d for d in load_departments()}
    owners = Counter(s.dataset["owner_org"] for s in seeds)
    assert set(owners) <= set(departments)
    assert len(owners) >= 20
    assert any(departments[o]["kind"] == "district" for o in owners)


def test_departments_cover_30_municipal_and_the_16_districts() -> None:
    departments = load_departments()
    kinds = Counter(d["kind"] for d in departments)
    assert kinds["municipal"] >= 30
    assert kinds["district"] == 16
    districts = {generate.district_of(d) for d in departments if d["kind"] == "district"}
    assert districts == set(generate.DISTRICT_NAMES)
    for title in ("上海市交通委员会", "上海市生态环境局", "上海市卫生健康委员会", "上海市大数据中心",
                  "上海市公共信用信息服务中心"):
        assert title in {d["title"] for d in departments}


def test_names_titles_codes_and_filenames_are_unique(seeds: list[SeedDataset]) -> None:
    for key in ("name", "title", "title_en", "catalogue_code"):
        values = [s.dataset[key] for s in seeds]
        assert len(values) == len(set(values)), key
    filenames = [f.filename for s in seeds for f in s.files]
    assert len(filenames) == len(set(filenames))


def test_catalogue_codes_follow_the_documented_scheme(seeds: list[SeedDataset]) -> None:
    departments = {d["name"]: d for d in load_departments()}
    domain_numbers = {code: number for number, code in enumerate(DOMAINS, 1)}
    for seed in seeds:
        match = CATALOGUE_CODE.fullmatch(seed.dataset["catalogue_code"])
        assert match, seed.dataset["catalogue_code"]
        assert int(match.group(1)) == domain_numbers[seed.dataset["data_domain"]]
        assert match.group(3) == departments[seed.dataset["owner_org"]]["code"]


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


# --- dataset dicts -----------------------------------------------------------------

def test_every_dataset_dict_is_complete_and_consistent(seeds: list[SeedDataset]) -> None:
    for seed in seeds:
        d = seed.dataset
        label = d["name"]
        assert all(d.get(key) not in (None, "", []) for key in REQUIRED_KEYS), label
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]+", d["name"]), label
        assert d["notes"].endswith(generate.DISCLAIMER_ZH), label
        assert 2 <= d["notes"].count("。") <= 4, label
        assert d["notes_en"].endswith(generate.DISCLAIMER_EN), label
        assert d["open_type"] in ("unconditional", "conditional", "non_open"), label
        assert bool(d["open_conditions"]) == (d["open_type"] == "conditional"), label
        assert d["share_type"] in ("unconditional", "conditional", "none"), label
        assert d["license_id"] == ("cc-by" if d["open_type"] == "unconditional" else "other-closed"), label
        assert d["update_frequency"] in generate.FREQUENCIES, label
        dates = [d[k] for k in ("release_date", "last_updated", "temporal_start", "temporal_end")]
        assert all(DATE.fullmatch(v) for v in dates), label
        assert "2014-01-01" <= d["release_date"] <= "2016-12-31", label
        assert d["release_date"] <= d["last_updated"], label
        assert d["temporal_start"] <= d["temporal_end"], label
        assert d["record_count"] == len(seed.files[0].rows()), label
        assert 1 <= len(d["app_scenarios"]) <= 3, label
        assert 2 <= len(d["tags"]) <= 5, label
        assert all("," not in t["name"] and "，" not in t["name"] and len(t["name"]) <= 100 for t in d["tags"]), label
        assert d["contact_email"].endswith(".example.gov.cn"), label
        assert "resources" not in d, label


def test_open_type_mix_is_about_60_30_10(seeds: list[SeedDataset]) -> None:
    shares = {k: v / len(seeds) for k, v in Counter(s.dataset["open_type"] for s in seeds).items()}
    assert set(shares) == {"unconditional", "conditional", "non_open"}
    assert 0.5 <= shares["unconditional"] <= 0.7
    assert 0.2 <= shares["conditional"] <= 0.4
    assert 0.05 <= shares["non_open"] <= 0.15


def test_about_a_third_of_the_files_are_xlsx(seeds: list[SeedDataset]) -> None:
    formats = Counter(f.format for s in seeds for f in s.files)
    assert set(formats) == {"CSV", "XLSX"}
    assert 0.25 <= formats["XLSX"] / sum(formats.values()) <= 0.45


# --- files and schemas -------------------------------------------------------------

def test_every_written_file_is_valid_against_its_schema(seeds: list[SeedDataset], written: Path) -> None:
    failures = []
    for seed in seeds:
        for seed_file in seed.files:
            schema = frictionless.Schema.from_descriptor(seed_file.resource["schema"])
            report = frictionless.validate(seed_file.filename, basepath=str(written), schema=schema)
            if not report.valid:
                failures.append((seed_file.filename, report.flatten(["rowNumber", "fieldName", "type", "note"])[:3]))
    assert failures == []


def test_file_headers_are_the_schema_field_names(seeds: list[SeedDataset], written: Path) -> None:
    for seed in seeds:
        for seed_file in seed.files:
            path = written / seed_file.filename
            if seed_file.format == "CSV":
                header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
            else:
                sheet = openpyxl.load_workbook(path, read_only=True).active
                header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
            assert header == seed_file.field_names, seed_file.filename


def test_resources_and_schemas_are_well_formed(seeds: list[SeedDataset]) -> None:
    for seed in seeds:
        for seed_file in seed.files:
            resource = seed_file.resource
            assert resource["name"] and resource["description"] and resource["format"] == seed_file.format
            assert seed_file.filename.endswith("." + seed_file.format.lower())
            for f in resource["schema"]["fields"]:
                assert SNAKE_CASE.fullmatch(f["name"]), (seed_file.filename, f["name"])
                assert f["title"] and re.search(r"[\u4e00-\u9fff]", f["title"]), (seed_file.filename, f["name"])
            assert 20 <= len(seed_file.rows()) <= 500, seed_file.filename


def test_the_whole_seed_stays_small(written: Path) -> None:
    assert sum(p.stat().st_size for p in written.iterdir()) < 8_000_000


def test_rows_look_like_shanghai(seeds: list[SeedDataset]) -> None:
    districts = set(generate.DISTRICT_NAMES)
    for seed in seeds:
        for seed_file in seed.files:
            for row in seed_file.rows():
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
        home = generate.district_of(departments[seed.dataset["owner_org"]])
        if home:
            rows = seed.files[0].rows()
            assert all(home in row.get("address", home) for row in rows), seed.dataset["name"]


def test_credit_codes_carry_a_valid_check_character() -> None:
    code = generate.make_credit_code(random.Random(1), "91", "310115")
    assert len(code) == 18 and code.startswith("91310115")
    assert is_valid_credit_code(code)
    assert not is_valid_credit_code(code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert not is_valid_credit_code(code[:17])


# --- departments.yaml validation ---------------------------------------------------

GOOD_ENTRY = """
  - name: sh-test
    code: "SHTEST"
    title: 上海市测试局
    title_en: Shanghai Test Bureau
    kind: municipal
    description: 测试。
    description_en: Test.
"""


def write_departments(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "departments.yaml"
    path.write_text("departments:" + entries, encoding="utf-8")
    return path


@pytest.mark.parametrize(("second_entry", "field"), [
    (GOOD_ENTRY.replace('    code: "SHTEST"\n', "").replace("sh-test", "sh-other"), "code"),
    (GOOD_ENTRY.replace('"SHTEST"', '"SHOTHER"'), "name"),
    (GOOD_ENTRY.replace("sh-test", "sh-other").replace("municipal", "county"), "kind"),
    (GOOD_ENTRY.replace("sh-test", "Sh Other").replace('"SHTEST"', '"SHOTHER"'), "name"),
    (GOOD_ENTRY.replace("sh-test", "sh-other").replace('"SHTEST"', '"SHOTHER"').replace("kind: municipal",
                                                                                        "kind: district"), "title"),
])
def test_load_departments_names_the_bad_entry_and_field(tmp_path: Path, second_entry: str, field: str) -> None:
    path = write_departments(tmp_path, GOOD_ENTRY + second_entry)
    with pytest.raises(ValueError, match=rf"departments\[1\] .*field '{field}'"):
        load_departments(path)


def test_load_departments_reads_a_good_file(tmp_path: Path) -> None:
    assert [d["name"] for d in load_departments(write_departments(tmp_path, GOOD_ENTRY))] == ["sh-test"]


def test_load_departments_rejects_an_entry_that_is_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"departments\[1\] \(\?\): must be a mapping"):
        load_departments(write_departments(tmp_path, GOOD_ENTRY + "  - just a string\n"))


def test_load_departments_rejects_a_file_without_a_list(tmp_path: Path) -> None:
    path = tmp_path / "departments.yaml"
    path.write_text("departments: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="departments"):
        load_departments(path)
