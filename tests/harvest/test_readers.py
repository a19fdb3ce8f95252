"""Readers: every format and layout, header variants, encodings, locations."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from catalog_seed.departments import load_departments
from ckanext.shanghai.harvest.readers import CatalogueReadError, read, read_csv, read_spreadsheet
from ckanext.shanghai.harvest.readers.delimited import detect_encoding, parse_items
from harvesters import catalogue_generator as gen

DEPARTMENT = load_departments()[0]


def _rows(count: int = 3) -> list[dict]:
    return list(gen.entries(DEPARTMENT, count))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    rows = _rows()
    path = tmp_path / "c.csv"
    gen.write_csv(path, rows, encoding)
    entries = list(read_csv(path))
    assert [e.fields["name"] for e in entries] == [r["name"] for r in rows]
    assert entries[0].fields["provider"] == DEPARTMENT["title"]
    assert [(i.name, i.data_type) for i in entries[1].data_items] == [(n, t) for n, t, _ in rows[1]["data_items"]]
    assert not any(e.problems for e in entries)


def test_gb18030_characters_outside_gbk_survive(tmp_path):
    rows = _rows(1)
    rows[0]["name"] = "䶮" + rows[0]["name"]
    path = tmp_path / "c.csv"
    gen.write_csv(path, rows, "gb18030")
    with pytest.raises(UnicodeEncodeError):
        rows[0]["name"].encode("gbk")
    assert next(read_csv(path)).fields["name"] == rows[0]["name"]


def test_an_undecodable_line_costs_one_entry_with_its_line(tmp_path):
    rows = _rows(5)
    path = tmp_path / "c.csv"
    gen.write_csv(path, rows, "gbk", bad_line=2)
    entries = list(read_csv(path))
    assert len(entries) == 5
    damaged = [e for e in entries if e.problems]
    assert len(damaged) == 1 and damaged[0].location.row == 4
    assert damaged[0].problems[0].code == "undecodable_bytes"
    assert entries[3].fields["name"] == rows[3]["name"]


def test_detection_prefers_the_encoding_most_lines_decode_in():
    text = "信息资源名称\n公交线路\n".encode("gbk")
    assert detect_encoding(text) == "gb18030"
    assert detect_encoding("信息资源名称\n公交\n".encode()) == "utf-8"
    with pytest.raises(ValueError):
        detect_encoding(b"\xff\xfe\xff\n\xff\xff\n\x80\x80\n")


def test_csv_rows_are_numbered_as_a_person_sees_them_even_with_multiline_cells(tmp_path):
    rows = _rows(3)
    rows[0]["abstract"] = "第一行\n第二行"
    path = tmp_path / "c.csv"
    gen.write_csv(path, rows, "utf-8")
    entries = list(read_csv(path))
    assert [e.location.row for e in entries] == [2, 4, 5]
    assert entries[0].fields["abstract"] == "第一行\n第二行"


def test_csv_without_a_catalogue_header_is_unreadable(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CatalogueReadError, match="信息资源代码"):
        list(read_csv(path))


def test_inline_data_items_accept_both_widths():
    items = parse_items("线路编号：字符型：20；票价:数值型; 照片|二进制")
    assert [(i.name, i.data_type, i.length) for i in items] == [
        ("线路编号", "字符型", "20"), ("票价", "数值型", ""), ("照片", "二进制", "")]


def test_xlsx_row_per_entry_with_merged_headers_joins_the_items_sheet(tmp_path):
    rows = _rows(4)
    path = tmp_path / "c.xlsx"
    gen.write_xlsx_rows(path, rows, merged_header=True)
    entries = list(read_spreadsheet(path))
    assert [e.code for e in entries] == [r["code"] for r in rows]  # 信息资源代码 merged over two rows
    assert entries[0].fields["share_type"] == rows[0]["share_type"]  # under the merged group header
    assert [e.location.row for e in entries] == [3, 4, 5, 6]
    assert entries[2].location.sheet == "目录"
    assert [i.name for i in entries[2].data_items] == [n for n, _, _ in rows[2]["data_items"]]


def test_xlsx_header_variants_are_recognised(tmp_path):
    rows = _rows(2)
    path = tmp_path / "c.xlsx"
    gen.write_xlsx_rows(path, rows, headers={"name": "目录名称", "code": "*资源代码", "update_cycle": "更新频率"})
    entries = list(read_spreadsheet(path))
    assert entries[1].fields["name"] == rows[1]["name"]
    assert entries[1].code == rows[1]["code"]
    assert entries[1].fields["update_cycle"] == rows[1]["update_cycle"]


def test_xlsx_sheet_per_entry(tmp_path):
    rows = _rows(3)
    path = tmp_path / "c.xlsx"
    gen.write_xlsx_sheets(path, rows)
    entries = list(read_spreadsheet(path))
    assert [e.fields["name"] for e in entries] == [r["name"] for r in rows]
    assert [e.location.sheet for e in entries] == ["目录1", "目录2", "目录3"]
    assert [(i.name, i.data_type, i.length) for i in entries[1].data_items] == list(rows[1]["data_items"])


def test_xlsx_date_cells_become_iso_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["信息资源代码", "信息资源名称", "发布日期", "开放属性"])
    sheet.append(["A0401-X-1", "公交", dt.datetime(2016, 12, 2), "无条件开放"])
    book.save(tmp_path / "d.xlsx")
    assert next(read_spreadsheet(tmp_path / "d.xlsx")).fields["release_date"] == "2016-12-02"


def test_a_file_that_is_not_a_workbook_is_unreadable(tmp_path):
    path = tmp_path / "c.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CatalogueReadError, match="xlsx"):
        list(read_spreadsheet(path))


def test_an_unknown_format_is_refused():
    with pytest.raises(CatalogueReadError, match="unknown catalogue format"):
        read("pdf", "x.pdf")


def test_readers_are_generators(tmp_path):
    path = tmp_path / "c.csv"
    gen.write_csv(path, _rows(3), "utf-8")
    stream = read_csv(path)
    assert next(stream).fields["name"]
    assert iter(stream) is stream
