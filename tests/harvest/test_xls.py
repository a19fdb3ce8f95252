"""Legacy .xls (BIFF8) catalogues read exactly like .xlsx ones.

The .xls files are made with xlwt from the very workbooks the generator writes as
.xlsx (values, merged ranges, date cells), so each test can ask for the same
entries from both files.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import xlwt

from catalog_seed.departments import load_departments
from ckanext.shanghai.common.vocabulary import domain_table
from ckanext.shanghai.harvest.mapping import MappingError, map_entry
from ckanext.shanghai.harvest.readers import FORMATS, CatalogueReadError, read, read_spreadsheet
from ckanext.shanghai.harvest.readers.workbook import sniff
from harvesters import catalogue_generator as gen

DEPARTMENT = load_departments()[0]
DATE = xlwt.easyxf(num_format_str="YYYY-MM-DD")
DATETIME = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")
PLAIN = xlwt.Style.default_style


def _rows(count: int = 3) -> list[dict]:
    return list(gen.entries(DEPARTMENT, count))


def _as_xls(xlsx: Path, xls: Path) -> Path:
    """Write the .xlsx workbook ``xlsx`` again as .xls: the same values, sheets and
    merged ranges (xlwt ``write_merge``), date cells as numbers in a date format."""
    source = openpyxl.load_workbook(xlsx)
    book = xlwt.Workbook(encoding="utf-8")
    for sheet in source.worksheets:
        out = book.add_sheet(sheet.title)
        merged = {(m.min_row, m.min_col): m for m in sheet.merged_cells.ranges}
        covered = {cell for m in merged.values() for cell in m.cells} - set(merged)
        for row in sheet.iter_rows():
            for cell in row:
                at = (cell.row, cell.column)
                if at in covered or (cell.value is None and at not in merged):
                    continue
                value = cell.value
                style = PLAIN
                if isinstance(value, dt.datetime):
                    style = DATE if value.time() == dt.time() else DATETIME
                if at in merged:
                    m = merged[at]
                    out.write_merge(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1, value, style)
                else:
                    out.write(cell.row - 1, cell.column - 1, value, style)
    book.save(str(xls))
    return xls


def _both(tmp_path: Path, write) -> tuple[list, list]:
    """Entries of the same content written as .xlsx and as .xls (one source label)."""
    xlsx = tmp_path / "c.xlsx"
    write(xlsx)
    xls = _as_xls(xlsx, tmp_path / "c.xls")
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    return list(read_spreadsheet(xlsx, source="c")), list(read_spreadsheet(xls, source="c"))


def test_row_per_entry_with_merged_headers_reads_as_the_xlsx(tmp_path):
    rows = _rows(4)
    from_xlsx, from_xls = _both(tmp_path, lambda p: gen.write_xlsx_rows(p, rows, merged_header=True))
    assert from_xls == from_xlsx
    assert [e.code for e in from_xls] == [r["code"] for r in rows]  # 信息资源代码 merged over two rows
    assert from_xls[0].fields["share_type"] == rows[0]["share_type"]  # under the merged group header
    assert [(e.location.sheet, e.location.row) for e in from_xls] == [("目录", n) for n in (3, 4, 5, 6)]
    assert [i.name for i in from_xls[2].data_items] == [n for n, _, _ in rows[2]["data_items"]]


def test_header_variants_read_as_the_xlsx(tmp_path):
    rows = _rows(2)
    headers = {"name": "目录名称", "code": "*资源代码", "update_cycle": "更新频率"}
    from_xlsx, from_xls = _both(tmp_path, lambda p: gen.write_xlsx_rows(p, rows, headers=headers))
    assert from_xls == from_xlsx
    assert from_xls[1].fields["name"] == rows[1]["name"]
    assert from_xls[1].fields["update_cycle"] == rows[1]["update_cycle"]


def test_sheet_per_entry_with_merged_value_cells_reads_as_the_xlsx(tmp_path):
    rows = _rows(3)
    from_xlsx, from_xls = _both(tmp_path, lambda p: gen.write_xlsx_sheets(p, rows))
    assert from_xls == from_xlsx
    assert [e.location.sheet for e in from_xls] == ["目录1", "目录2", "目录3"]
    assert [(i.name, i.data_type, i.length) for i in from_xls[1].data_items] == list(rows[1]["data_items"])


def _typed_cells(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "目录"
    sheet.append(["信息资源代码", "信息资源名称", "发布日期", "更新日期", "数据量", "开放属性"])
    sheet.append(["A0401-X-1", "公交线路", dt.datetime(2016, 12, 2), dt.datetime(2017, 1, 3, 8, 30), 1523, True])
    sheet.append(["A0401-X-2", "轨道交通站点", "2016年13月02日", None, 12.5, "#N/A"])
    book.save(path)


def test_date_cells_become_iso_dates_as_in_the_xlsx(tmp_path):
    from_xlsx, from_xls = _both(tmp_path, _typed_cells)
    assert from_xls == from_xlsx
    assert from_xls[0].fields["release_date"] == "2016-12-02"  # a float in the file, with the 1900 datemode
    assert from_xls[0].fields["last_updated"] == "2017-01-03T08:30:00"
    assert from_xls[0].fields["record_count"] == "1523"  # no spurious ".0"
    assert from_xls[1].fields["record_count"] == "12.5"


def test_dates_of_a_1904_workbook_are_the_same_days(tmp_path):
    path = tmp_path / "mac.xls"
    book = xlwt.Workbook()
    book.dates_1904 = True
    sheet = book.add_sheet("目录")
    for c, header in enumerate(["信息资源代码", "信息资源名称", "发布日期"]):
        sheet.write(0, c, header)
    sheet.write(1, 0, "A0401-X-1")
    sheet.write(1, 1, "公交线路")
    sheet.write(1, 2, dt.datetime(2016, 12, 2), DATE)
    book.save(str(path))
    assert next(read_spreadsheet(path)).fields["release_date"] == "2016-12-02"


def test_chinese_text_of_the_gbk_era_survives(tmp_path):
    rows = _rows(2)
    rows[0]["name"] = "䶮" + rows[0]["name"]  # U+4DAE: in GB18030, not in GBK
    rows[0]["abstract"] = "含生僻字“𠀀”和全角（括号）、　全角空格的" + rows[0]["abstract"]
    rows[1]["provider"] = "上海市交通委员会（市道路运输管理局）"
    from_xlsx, from_xls = _both(tmp_path, lambda p: gen.write_xlsx_rows(p, rows))
    assert from_xls == from_xlsx
    assert from_xls[0].fields["name"] == rows[0]["name"]
    assert from_xls[0].fields["abstract"] == rows[0]["abstract"]
    assert from_xls[1].fields["provider"] == rows[1]["provider"]


def test_a_missing_field_and_a_bad_date_are_errors_of_their_entry_naming_file_sheet_row_field(tmp_path):
    rows = _rows(4)
    rows[1]["name"] = ""
    rows[2]["release_date"] = "2016年13月02日"
    from_xlsx, from_xls = _both(tmp_path, lambda p: gen.write_xlsx_rows(p, rows))
    assert from_xls == from_xlsx
    xls_entries = list(read("xls", tmp_path / "c.xls"))
    problems = {}
    for entry in xls_entries:
        try:
            map_entry(entry, owner_org=DEPARTMENT["name"], domains=domain_table())
        except MappingError as e:
            problems[entry.location.row] = ({(p.code, p.field) for p in e.problems}, str(e))
    assert set(problems) == {3, 4}  # the other entries of the file map
    assert problems[3][0] == {("missing_field", "name")}
    assert "c.xls, sheet 目录, row 3, 字段 信息资源名称 (name)" in problems[3][1]
    assert problems[4][0] == {("bad_date", "release_date")}
    assert "c.xls, sheet 目录, row 4, 字段 发布日期 (release_date) “2016年13月02日”" in problems[4][1]


def test_the_format_is_told_by_content_not_by_name(tmp_path):
    rows = _rows(2)
    xlsx = tmp_path / "real.xlsx"
    gen.write_xlsx_rows(xlsx, rows)
    renamed_xls = tmp_path / "renamed.xlsx"
    _as_xls(xlsx, renamed_xls)
    renamed_xlsx = tmp_path / "renamed.xls"
    renamed_xlsx.write_bytes(xlsx.read_bytes())
    expected = [e.fields for e in read_spreadsheet(xlsx)]
    for fmt in ("xlsx", "xls"):
        assert fmt in FORMATS
        assert [e.fields for e in read(fmt, renamed_xls)] == expected
        assert [e.fields for e in read(fmt, renamed_xlsx)] == expected


@pytest.mark.parametrize(("content", "says"), [
    (b"<html><head><meta charset='gbk'></head><body><table><tr><td>\xd0\xc5\xcf\xa2</td></tr></table></body></html>",
     "an HTML page"),
    ("\ufeff<!DOCTYPE html>\r\n<html><table></table></html>".encode("utf-16"), "an HTML page"),
    (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', "an XML file"),
    (b"", "an empty file"),
    (b"\x00\x01garbage", "expected .xlsx, a zip file, or .xls, an OLE2 file"),
])
def test_a_file_disguised_as_xls_is_unreadable_with_what_it_is(tmp_path, content, says):
    path = tmp_path / "目录.xls"
    path.write_bytes(content)
    with pytest.raises(CatalogueReadError, match="Excel workbook") as caught:
        list(read("xls", path))
    assert caught.value.source == "目录.xls"
    assert says in caught.value.message_en
    assert "Excel" in caught.value.message_zh


def test_a_corrupt_xls_is_unreadable_naming_the_format(tmp_path):
    good = _as_xls(_typed_path(tmp_path), tmp_path / "good.xls")
    path = tmp_path / "broken.xls"
    path.write_bytes(good.read_bytes()[:700])  # the OLE2 signature, then cut short
    assert sniff(path.read_bytes()) == "xls"
    with pytest.raises(CatalogueReadError, match="cannot be opened as an xls workbook") as caught:
        list(read_spreadsheet(path))
    assert caught.value.source == "broken.xls"


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(CatalogueReadError, match="cannot open the file"):
        list(read("xls", tmp_path / "nowhere.xls"))


def _typed_path(tmp_path: Path) -> Path:
    path = tmp_path / "typed.xlsx"
    _typed_cells(path)
    return path


def test_xls_entries_come_one_at_a_time(tmp_path):
    xls = _as_xls(_typed_path(tmp_path), tmp_path / "c.xls")
    stream = read_spreadsheet(xls)
    assert iter(stream) is stream
    assert next(stream).code == "A0401-X-1"
