"""XLSX and JSON are validated by frictionless itself."""
from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest

from bench import validation as bench
from ckanext.shanghai.validation import engine
from tests.validation.samples import GOOD, PARKS


def test_xlsx_and_json(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(bench.HEADER)
    sheet.append(GOOD.split(","))
    sheet.append(GOOD.replace("P00000001", "X1").split(","))
    book.save(tmp_path / "parks.xlsx")
    result = engine.validate(tmp_path / "parks.xlsx", PARKS)
    assert result.format == "xlsx" and result.rows == 2
    assert [(e["rowNumber"], e["fieldName"]) for e in result.errors] == [(3, "park_id")]
    records = [dict(zip(bench.HEADER, GOOD.split(","), strict=True))]
    (tmp_path / "parks.json").write_text(json.dumps(records, ensure_ascii=False))
    assert engine.validate(tmp_path / "parks.json", PARKS).valid


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(engine.BadInput, match="cannot be read"):
        engine.validate(path, PARKS)
