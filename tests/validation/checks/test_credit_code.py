"""The credit-code check digit: our frictionless check and the vectorised test agree
with each other and with frictionless running our check."""
from __future__ import annotations

import frictionless
import pandas as pd

from ckanext.shanghai.common import table_schemas
from ckanext.shanghai.validation import checks, engine
from ckanext.shanghai.validation.checks import credit_code
from tests.validation.samples import signatures


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
    ours = engine.validate(path, descriptor)
    theirs = engine.resource(
        path, schema=frictionless.Schema.from_descriptor(descriptor)).validate(
        frictionless.Checklist(checks=checks.checks_for(descriptor)))
    assert ours.engine == "vectorised"
    assert signatures(ours.errors) == signatures(theirs.tasks[0].to_dict()["errors"])
    assert [(e["rowNumber"], e["type"]) for e in ours.errors] == [
        (7, "credit-code-checksum"), (11, "constraint-error")]
    assert f'expected "{good}"' in ours.errors[0]["note"]
    assert credit_code.check_digit("91350100M000100Y4") == "3"  # a published example


def test_vectorised_test_agrees_with_the_check_digit():
    codes = [f"91310115MA1K{n:05d}" for n in range(200)]
    cells = [code + credit_code.check_digit(code) for code in codes]
    cells[3] = cells[3][:17] + ("0" if cells[3][17] != "0" else "1")   # a typo
    cells[7] = cells[7][:17] + "I"                                    # never a check digit
    cells[9] = cells[9][:16]                                          # the pattern's job
    fails = credit_code.checksum_fails(pd.Series(cells))
    assert fails.nonzero()[0].tolist() == [3]


def test_schemas_ask_for_the_check_with_a_field_property():
    descriptor = {"fields": [{"name": "credit_code", "type": "string", "checksum": "uscc"},
                             {"name": "name", "type": "string"}]}
    assert [c.field_name for c in checks.checks_for(descriptor)] == ["credit_code"]
    assert checks.checks_for(table_schemas.load("car_parks")) == []
