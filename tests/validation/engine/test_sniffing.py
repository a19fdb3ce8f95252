"""Encoding, delimiter and header are found from the file's first bytes."""
from __future__ import annotations

from ckanext.shanghai.validation import engine
from tests.validation.samples import GOOD, HEADER, PARKS


def test_gbk_is_detected(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEADER + "\n" + GOOD + "\n").encode("gbk"))
    result = engine.validate(path, PARKS)
    assert result.encoding == "gb18030"
    assert result.valid and result.rows == 1


def test_semicolons_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "semicolons.csv"
    path.write_text(HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n",
                    encoding="utf-8-sig")
    result = engine.validate(path, PARKS)
    assert (result.encoding, result.engine) == ("utf-8-sig", "vectorised")
    assert result.valid and result.rows == 1
