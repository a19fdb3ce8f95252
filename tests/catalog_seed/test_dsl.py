"""The generator language: columns know their Table Schema field, rows agree on their
place, frames give one item per row."""
from __future__ import annotations

import datetime as dt
import random

from catalog_seed.dsl import ADDRESS, DISTRICT, LATITUDE, LONGITUDE, Period, RowContext, col, cross, ints, months
from catalog_seed.places import DISTRICT_BY_NAME, DISTRICT_NAMES, records

PERIOD = Period(dt.date(2016, 1, 1), dt.date(2016, 12, 31))


def context(seed: int) -> RowContext:
    return RowContext(random.Random(seed), 0, PERIOD, {}, DISTRICT_NAMES)


def test_a_column_is_a_table_schema_field_with_its_generator_constraints() -> None:
    column = col("beds", "床位数", ints(20, 3000), "核定床位")
    assert column.schema_field(required=True) == {
        "name": "beds", "title": "床位数", "type": "integer", "description": "核定床位",
        "constraints": {"minimum": 20, "maximum": 3000, "required": True}}
    assert "required" not in column.schema_field(required=False)["constraints"]


def test_a_row_describes_one_place() -> None:
    for seed in range(50):
        ctx = context(seed)
        district = DISTRICT(ctx)
        assert ADDRESS(ctx).startswith(f"上海市{district}")
        home = DISTRICT_BY_NAME[district]
        assert abs(LONGITUDE(ctx) - home.lon) <= home.spread[0] + 1e-9
        assert abs(LATITUDE(ctx) - home.lat) <= home.spread[1] + 1e-9


def test_cross_gives_one_item_per_combination_of_its_dimensions() -> None:
    frame = cross(("month", months(3)), ("place", records("district kind", "黄浦区:a 徐汇区:b")))
    items = frame(random.Random(1), PERIOD)
    assert len(items) == 6
    assert items[0] == {"month": "2016-10", "district": "黄浦区", "kind": "a"}
    assert {item["month"] for item in items} == {"2016-10", "2016-11", "2016-12"}
