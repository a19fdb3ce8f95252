"""Tables shared by the tests of the validation engine and checks (pure, no CKAN)."""
from __future__ import annotations

from typing import Any

from bench import validation as bench
from ckanext.shanghai.common import table_schemas

PARKS = table_schemas.load("car_parks")
HEADER = ",".join(bench.HEADER)
GOOD = "P00000001,人民广场停车场,黄浦区,人民大道200号,121.475,31.232,500,10.0,021-63181234,2001-05-01"


def signatures(errors: list[dict[str, Any]]) -> list[tuple[Any, str, str, Any]]:
    """What two error lists must agree on: row, field, type and note, in order."""
    return [(e.get("rowNumber"), e.get("fieldName") or "", e["type"], e.get("note"))
            for e in errors]
