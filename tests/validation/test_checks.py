"""The validator itself (pure): same errors as frictionless, encodings, bad input."""
from __future__ import annotations

import json
import zipfile

import frictionless
import openpyxl
import pytest

from bench import validation as bench
from ckanext.shanghai.common import credit_code, table_schemas, tabular_checks

PARKS = table_schemas.load("car_parks")
HEADER = ",".join(bench.HEADER)
GOOD = "P00000001,人民广场停车场,黄浦区,人民大道200号,121.475,31.232,500,10.0,021-63181234,2001-05-01"


def _signatures(errors):
    return [(e.get("rowNumber"), e.get("fieldName") or "", e["type"], e.get("note"))
            for e in errors]


def test_same_error_list_as_frictionless(tmp_path):
    path = tmp_path / "car_parks.csv"
    planted = bench.write_csv(path, 40000)
    ours = tabular_checks.validate(path, PARKS, max_errors=10000)
    theirs = tabular_checks.resource(path, schema=frictionless.Schema.from_descriptor(
        PARKS)).validate(limit_errors=10000)
    assert ours.engine == "vectorised"
    assert planted > 5
    assert len(ours.errors) >= planted
    assert _signatures(ours.errors) == _signatures(theirs.tasks[0].to_dict()["errors"])
    assert {e["type"] for e in ours.errors} >= {
        "type-error", "constraint-error", "unique-error", "primary-key"}
    assert ours.rows == 40000


def test_tricky_cells_decided_like_frictionless(tmp_path):
    rows = [
        GOOD,
        GOOD.replace("P00000001", "P00000002").replace(",500,", ", 500 ,"),   # valid int
        GOOD.replace("P00000001", "P00000003").replace("121.475", "122.2"),  # on the bound
        GOOD.replace("P00000001", "P00000004").replace("121.475", "1.2e2"),  # exponent, low
        GOOD.replace("P00000001", "P00000005").replace("2001-05-01", "2001-5-1"),
        GOOD.replace("P00000001", "P00000006").replace(",10.0,", ",-,"),     # missing marker
        GOOD.replace("P00000001", "P00000007").replace(",500,", ",NULL,"),   # required
        GOOD.replace("P00000001", "P00000002").replace(",500,", ",+500,"),   # duplicate id
    ]
    path = tmp_path / "tricky.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ours = tabular_checks.validate(path, PARKS)
    theirs = tabular_checks.resource(path, schema=frictionless.Schema.from_descriptor(
        PARKS)).validate()
    assert _signatures(ours.errors) == _signatures(theirs.tasks[0].to_dict()["errors"])
    assert [e["rowNumber"] for e in ours.errors] == [5, 8, 9, 9]


def test_ragged_rows_fall_back_to_frictionless(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(HEADER + "\n" + GOOD + ",extra\n" + GOOD.rsplit(",", 2)[0] + "\n",
                    encoding="utf-8")
    ours = tabular_checks.validate(path, PARKS)
    assert ours.engine == "frictionless"
    assert [e["type"] for e in ours.errors][:1] == ["extra-cell"]
    assert "missing-cell" in {e["type"] for e in ours.errors}


def test_gbk_is_detected(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEADER + "\n" + GOOD + "\n").encode("gbk"))
    result = tabular_checks.validate(path, PARKS)
    assert result.encoding == "gb18030"
    assert result.valid and result.rows == 1


def test_xlsx_and_json(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(bench.HEADER)
    sheet.append(GOOD.split(","))
    sheet.append(GOOD.replace("P00000001", "X1").split(","))
    book.save(tmp_path / "parks.xlsx")
    result = tabular_checks.validate(tmp_path / "parks.xlsx", PARKS)
    assert result.format == "xlsx" and result.rows == 2
    assert [(e["rowNumber"], e["fieldName"]) for e in result.errors] == [(3, "park_id")]
    records = [dict(zip(bench.HEADER, GOOD.split(","), strict=True))]
    (tmp_path / "parks.json").write_text(json.dumps(records, ensure_ascii=False))
    assert tabular_checks.validate(tmp_path / "parks.json", PARKS).valid


@pytest.mark.parametrize("name,content,expected", [
    ("empty.csv", b"", "empty"),
    ("garbage.csv", bytes(range(256)) * 40, "binary"),
    ("utf16.csv", (HEADER + "\n").encode("utf-16"), "UTF-16"),
    ("truncated.csv", (HEADER + "\n" + GOOD + "\n" + GOOD[:30]).encode(), "truncated"),
    ("cut.csv", (HEADER + "\n" + GOOD).encode()[:-1] + "区".encode()[:2], "UTF-8 nor GBK"),
    ("line.csv", b"a" * (10 * 2**20), "without a line break"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "damaged or truncated"),
    ("broken.json", b'[{"park_id": "P1"', "not valid JSON"),
])
def test_bad_input_is_refused_with_a_clear_message(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(tabular_checks.BadInput) as caught:
        tabular_checks.validate(path, PARKS)
    assert expected in caught.value.message
    assert caught.value.message_zh


def test_mixed_encoding_after_the_sample(tmp_path):
    path = tmp_path / "mixed.csv"
    good = (GOOD + "\n").encode()
    path.write_bytes(HEADER.encode() + b"\n" + good * 20000 + GOOD.encode("gbk") + b"\n")
    with pytest.raises(tabular_checks.BadInput, match="mixes encodings"):
        tabular_checks.validate(path, PARKS)


def test_over_the_size_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + (GOOD + "\n") * 1000)
    with pytest.raises(tabular_checks.BadInput, match="over the validation limit"):
        tabular_checks.validate(path, PARKS, max_bytes=10_000)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(tabular_checks.BadInput, match="cannot be read"):
        tabular_checks.validate(path, PARKS)


def test_credit_code_check_digit_like_frictionless_with_our_check(tmp_path):
    descriptor = table_schemas.load("enterprise_registrations")
    header = [f["name"] for f in descriptor["fields"]]
    good = credit_code.check_digit("91310000MA1FL1234")
    wrong = "0" if good != "0" else "1"
    rows = [[f"91310000MA1FL{n:04d}" + credit_code.check_digit(f"91310000MA1FL{n:04d}"),
             f"上海某某科技有限公司{n}", "有限责任公司", "张三", "100", "2015-03-02",
             "浦东新区", "张江路1号", "存续"] for n in range(300)]
    rows[5][0] = "91310000MA1FL1234" + wrong        # a typo in the check digit
    rows[9][0] = "9131000MA1FL12345"                 # a wrong shape: the pattern's job
    path = tmp_path / "enterprises.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    ours = tabular_checks.validate(path, descriptor)
    theirs = tabular_checks.resource(
        path, schema=frictionless.Schema.from_descriptor(descriptor)).validate(
        frictionless.Checklist(checks=credit_code.checks_for(descriptor)))
    assert ours.engine == "vectorised"
    assert _signatures(ours.errors) == _signatures(theirs.tasks[0].to_dict()["errors"])
    assert [(e["rowNumber"], e["type"]) for e in ours.errors] == [
        (7, "credit-code-checksum"), (11, "constraint-error")]
    assert f'expected "{good}"' in ours.errors[0]["note"]
    assert credit_code.check_digit("91350100M000100Y4") == "3"  # a published example
