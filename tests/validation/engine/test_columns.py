"""Cells the vectorised columns cannot surely accept are decided by frictionless."""
from __future__ import annotations

import frictionless
import frictionless.fields
import pandas as pd

from ckanext.shanghai.validation import engine
from ckanext.shanghai.validation.engine.columns import Column
from tests.validation.samples import GOOD, HEADER, PARKS, signatures


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
    ours = engine.validate(path, PARKS)
    theirs = engine.resource(path, schema=frictionless.Schema.from_descriptor(
        PARKS)).validate()
    assert signatures(ours.errors) == signatures(theirs.tasks[0].to_dict()["errors"])
    assert [e["rowNumber"] for e in ours.errors] == [5, 8, 9, 9]


def test_datetimes_with_and_without_a_zone_are_read_by_the_column():
    column = Column(frictionless.fields.DatetimeField(name="t"), [""])
    raw = pd.Series(["2015-04-01T05:00:00", "2015-04-01T05:00:00Z", "2015-04-01T13:00:00+08:00",
                     "2015-02-30T05:00:00", "2015-04-01 05:00:00", "2015-04-01T05:00:00.5", ""])
    missing, ok, keys = column.check(raw)
    assert ok.tolist() == [True, True, True, False, False, False, False]
    assert missing.tolist() == [False] * 6 + [True]
    # as frictionless' values would key them: a naive moment apart from the aware ones
    for index in range(3):
        assert keys[index] == column.key_of(column.read_value(raw[index]))
    assert keys[1] == keys[2] != keys[0]
