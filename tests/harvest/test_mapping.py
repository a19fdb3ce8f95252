"""The mapping from a catalogue entry to a dataset dict of our schema."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from ckanext.shanghai.common import table_schemas
from ckanext.shanghai.common.vocabulary import domain_table
from ckanext.shanghai.harvest.mapping import MappingError, dataset_name, domain_of, map_entry, parse_date
from ckanext.shanghai.harvest.readers import CatalogueEntry, DataItem, Location, ReadProblem

HERE = Location("sh-jtw.xlsx", "目录", 7)


def _entry(**fields: str) -> CatalogueEntry:
    base = {
        "code": "A0401-SHJTW-10001", "name": "公交线路基本信息", "classification": "道路交通/公共交通",
        "abstract": "全市公交线路。", "open_type": "无条件开放", "share_type": "有条件共享",
        "update_cycle": "每月", "release_date": "2016年12月02日", "record_count": "1,523",
        "app_scenarios": "出行服务；城市管理", "tags": "公交；线路", "format": "电子表格",
    }
    base.update(fields)
    items = [DataItem("线路编号", "字符型", "20"), DataItem("票价", "数值型"), DataItem("开通日期", "日期型"),
             DataItem("末班时间", "日期时间型"), DataItem("站点数", "整型"), DataItem("是否夜班", "布尔型"),
             DataItem("线路图", "二进制")]
    return CatalogueEntry(fields={k: v for k, v in base.items() if v is not None}, location=HERE, data_items=items)


def _problems(entry: CatalogueEntry) -> list[tuple[str, str | None]]:
    with pytest.raises(MappingError) as caught:
        map_entry(entry, owner_org="sh-jtw", domains=domain_table())
    return [(p.code, p.field) for p in caught.value.problems]


@pytest.mark.parametrize("text", ["2016年12月02日", "2016年12月2日", "2016/12/2", "20161202", "2016-12-02",
                                  "２０１６－１２－０２", "2016-12-02 00:00:00", "2016.12.02"])
def test_dates_in_every_form_departments_write(text):
    assert parse_date(text) == dt.date(2016, 12, 2)


@pytest.mark.parametrize("text", ["2016-02-30", "2016年13月02日", "12/02/2016", "去年", "201612"])
def test_impossible_or_foreign_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_a_full_entry_becomes_a_dataset_of_our_schema():
    data = map_entry(_entry(), owner_org="sh-jtw", domains=domain_table())
    assert data["name"] == "cat-a0401-shjtw-10001"
    assert data["catalogue_code"] == "A0401-SHJTW-10001"
    assert (data["title"], data["notes"], data["owner_org"]) == ("公交线路基本信息", "全市公交线路。", "sh-jtw")
    assert (data["data_domain"], data["open_type"], data["share_type"]) == ("transport", "unconditional", "conditional")
    assert data["update_frequency"] == "monthly" and data["release_date"] == "2016-12-02"
    assert data["record_count"] == 1523 and data["private"] is False and data["license_id"] == "cc-by"
    assert data["app_scenarios"] == ["出行服务", "城市管理"]
    assert [t["name"] for t in data["tags"]] == ["公交", "线路"]
    resource = data["resources"][0]
    assert resource["format"] == "XLSX"
    schema = json.loads(resource["schema"])
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        ("线路编号", "string"), ("票价", "number"), ("开通日期", "date"), ("末班时间", "datetime"),
        ("站点数", "integer"), ("是否夜班", "boolean"), ("线路图", "string")]
    assert schema["fields"][0]["constraints"] == {"maxLength": 20}
    assert "base64" in schema["fields"][-1]["description"]
    assert table_schemas.check_descriptor(schema) == []


def test_non_open_entries_are_private():
    data = map_entry(_entry(open_type="非开放", share_type="不予共享"), owner_org="o", domains=domain_table())
    assert (data["open_type"], data["private"], data["share_type"]) == ("non_open", True, "none")
    assert data["license_id"] == "other-closed"


@pytest.mark.parametrize(("text", "code"), [("实时", "realtime"), ("每天", "daily"), ("每周", "weekly"),
                                            ("季度", "quarterly"), ("每半年", "semiannual"), ("每年", "annual"),
                                            ("不定期", "irregular"), ("monthly", "monthly")])
def test_update_cycles_are_normalised(text, code):
    assert map_entry(_entry(update_cycle=text), owner_org="o", domains=domain_table())["update_frequency"] == code


@pytest.mark.parametrize(("classification", "code", "domain"), [
    ("卫生健康", "X-1", "health"), ("医疗卫生/医疗机构", "X-1", "health"), (" 社会 信用 ", "", "credit"),
    ("A1201", "X-1", "credit"), ("", "A0301-SHJW-1", "education"), ("宇宙探索", "A0301-SHJW-1", None),
])
def test_classification_to_domain(classification, code, domain):
    assert domain_of(classification, code, domains=domain_table()) == domain


def test_every_problem_of_an_entry_is_reported_with_field_and_place():
    entry = _entry(name="", classification="宇宙探索", open_type="半开放", update_cycle="偶尔",
                   release_date="2016-02-30", record_count="很多")
    entry.data_items.append(DataItem("票价", "数值型"))
    entry.data_items.append(DataItem("备注", "大文本"))
    problems = _problems(entry)
    assert problems == [("missing_field", "name"), ("unknown_domain", "classification"),
                        ("unknown_open_type", "open_type"), ("unknown_update_cycle", "update_cycle"),
                        ("bad_date", "release_date"), ("bad_integer", "record_count"),
                        ("duplicate_item", "data_items"), ("unknown_data_type", "data_items")]
    with pytest.raises(MappingError) as caught:
        map_entry(entry, owner_org="o", domains=domain_table())
    message = str(caught.value)
    assert "sh-jtw.xlsx, sheet 目录, row 7, 字段 发布日期 (release_date) “2016-02-30”" in message
    assert "a date such as 2016-12-02" in message and "[bad_date]" in message


def test_required_fields_missing():
    assert _problems(_entry(code="", classification="", open_type="", update_cycle="")) == [
        ("missing_field", "code"), ("missing_field", "open_type"), ("missing_field", "update_cycle")]


def test_reader_problems_become_mapping_problems():
    entry = _entry()
    entry.problems.append(ReadProblem("undecodable_bytes", None, "坏字节", "bad bytes"))
    assert _problems(entry) == [("undecodable_bytes", None)]


def test_names_are_deterministic_and_do_not_collide():
    assert dataset_name("A0401-SHJTW-10001") == dataset_name(" A0401-SHJTW-10001 ") == "cat-a0401-shjtw-10001"
    assert dataset_name("交通-01") != dataset_name("教育-01")
    assert dataset_name("A0401/SHJTW/1") != dataset_name("A0401-SHJTW-1")
    assert dataset_name("a0401-shjtw-1") != dataset_name("A0401-SHJTW-1")
    assert len(dataset_name("A" * 300)) <= 100 and dataset_name("A" * 300) != dataset_name("A" * 299)


def test_entries_without_items_or_url_have_no_resource():
    entry = _entry()
    entry.data_items = []
    assert "resources" not in map_entry(entry, owner_org="o", domains=domain_table())
