"""XLSX zip bombs and oversized JSON are refused before anything reads them
(``validation/limits.py``): the report says which limit, and the worker goes on."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import ckan.lib.jobs as jobs
import openpyxl
import pytest
from ckan.tests import factories, helpers

from ckanext.shanghai.validation import runner
from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")

SCHEMA = {"fields": [{"name": "line", "type": "string"},
                     {"name": "passengers", "type": "integer"}]}
ROW = b'<row><c t="inlineStr"><is><t>11</t></is></c><c><v>3200</v></c></row>'


def bomb(unpacked_mb: int, *, dimension: str = "A1:B2") -> bytes:
    """A small XLSX whose one sheet inflates to ``unpacked_mb`` MB of rows of XML."""
    book = openpyxl.Workbook()
    book.active.append(["line", "passengers"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    block = ROW * (2**20 // len(ROW))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item))
                continue
            with target.open(item.filename, "w") as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                            b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                            b'<dimension ref="' + dimension.encode() + b'"/><sheetData>')
                for _ in range(unpacked_mb):
                    sheet.write(block)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def work() -> None:
    jobs.Worker([runner.QUEUE]).work(burst=True)


def report_of(create_with_upload, content: bytes, name: str, fmt: str) -> dict:
    sysadmin = factories.Sysadmin()
    package = dataset(sysadmin)
    resource = create_with_upload(content, name, package_id=package["id"], url=name,
                                  format=fmt, schema=SCHEMA,
                                  context={"user": sysadmin["name"]})
    work()
    return helpers.call_action("shanghai_resource_validation_show", id=resource["id"])


def test_an_xlsx_zip_bomb_is_not_read(create_with_upload):
    content = bomb(120)   # 120 MB of sheet XML in well under 1 MB
    assert len(content) < 2**20
    report = report_of(create_with_upload, content, "bomb.xlsx", "XLSX")
    assert report["status"] == "error"
    assert report["message"] == ("The XLSX file unpacks to 120 MB, over the limit of 100 MB: "
                                 "it was not read.")
    assert "超过上限 100 MB" in report["message_zh"]


@pytest.mark.ckan_config("ckanext.shanghai.validation.max_xlsx_rows", "1000")
def test_an_xlsx_declaring_too_many_rows_is_not_read(create_with_upload):
    report = report_of(create_with_upload, bomb(0, dimension="A1:B1000001"), "rows.xlsx",
                       "XLSX")
    assert report["status"] == "error"
    assert "declares 1000001 rows, over the limit of 1000" in report["message"]


@pytest.mark.ckan_config("ckanext.shanghai.validation.max_json_mb", "1")
def test_json_over_its_limit_is_not_read(create_with_upload):
    rows = [["line", "passengers"]] + [["11路", 3200]] * 120000
    content = json.dumps(rows).encode()
    assert len(content) > 2**20
    report = report_of(create_with_upload, content, "big.json", "JSON")
    assert report["status"] == "error"
    assert "over the limit of 1 MB for validating JSON" in report["message"]


def test_an_xlsx_within_the_limits_is_validated(create_with_upload, tmp_path: Path):
    book = openpyxl.Workbook()
    book.active.append(["line", "passengers"])
    book.active.append(["11路", 3200])
    book.save(tmp_path / "ok.xlsx")
    report = report_of(create_with_upload, (tmp_path / "ok.xlsx").read_bytes(), "ok.xlsx",
                       "XLSX")
    assert report["status"] == "success", report["message"]
    assert report["rows"] == 1
