"""Never crash, always agree: for generated tables (the 24 domain schemas and random
schemas, CSV/XLSX/JSON, the encodings we read, planted defects) our report is
frictionless' own, error for error, in its order. An exception of ours fails the test;
an example frictionless itself cannot validate (it raises) says nothing and is dropped.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

import frictionless
import openpyxl
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ckanext.shanghai.common import table_schemas
from ckanext.shanghai.validation import checks as custom_checks
from ckanext.shanghai.validation import engine
from tests.validation.samples import signatures

#: derandomized, so a run is repeatable; about a minute in all on this machine
DIFFERENTIAL = settings(max_examples=int(os.environ.get("DIFFERENTIAL_EXAMPLES", "60")), deadline=None,
                        database=None, derandomize=not os.environ.get("DIFFERENTIAL_EXAMPLES"),
                        suppress_health_check=list(HealthCheck))

TEXT = st.text(st.sampled_from("aZ09 -_.,:+/\"'\t区路号上海元é"), max_size=8)
#: valid and near-valid cells of each type (frictionless decides which are which)
CELLS: dict[str, st.SearchStrategy[str]] = {
    "string": TEXT,
    "any": TEXT,
    "integer": st.integers(-10**20, 10**20).map(str) | st.sampled_from(
        ["+5", "05", " 7", "1.0", "1e3", "１２", "-0", "9223372036854775808"]),
    "number": st.floats(allow_nan=True, allow_infinity=True).map(str) | st.integers(
        -1000, 1000).map(str) | st.sampled_from(["1,000", "NaN", "-0", "1e400", ".5", "5.",
                                                 "0.1", "10.0000000000001"]),
    "boolean": st.sampled_from(["true", "false", "True", "FALSE", "1", "0", "yes", "t"]),
    "date": st.dates().map(dt.date.isoformat) | st.sampled_from(
        ["2020-1-1", "2020/01/01", "20200101", "2020-02-30", "0001-01-01"]),
    "datetime": st.datetimes(timezones=st.sampled_from(
        [dt.timezone.utc, dt.timezone(dt.timedelta(hours=8))])).map(
        lambda d: d.replace(microsecond=0).isoformat().replace("+00:00", "Z")) | st.sampled_from(
        ["2020-01-01 00:00:00", "2020-01-01T00:00:00", "2020-01-01T24:00:00Z"]),
    "year": st.integers(0, 10000).map(str) | st.sampled_from(["0999", "+2020"]),
    "yearmonth": st.sampled_from(["2020-01", "2020-13", "202001", "2020-1", "1999-12"]),
    "time": st.sampled_from(["12:00:00", "25:00:00", "12:00", "00:00:00Z"]),
    "duration": st.sampled_from(["P1Y", "PT1H", "1h", "P1Y2M"]),
    "geopoint": st.sampled_from(["121.47,31.23", "a,b", "200,100", "121.5, 31.2"]),
    "array": st.sampled_from(["[1,2]", "[", "{}", "[]"]),
    "object": st.sampled_from(['{"a":1}', '{"a": 1}', "[]", "x"]),
}
NUMERIC = {"integer": st.integers(-100, 100), "number": st.integers(-100, 100) | st.sampled_from(
    [0.5, -2.25]), "year": st.integers(1900, 2100),
    "date": st.sampled_from(["2000-01-01", "2020-06-30"])}


@st.composite
def random_field(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(CELLS)))
    field: dict[str, Any] = {"name": f"f{index}", "type": kind}
    constraints: dict[str, Any] = {}
    if draw(st.booleans()):
        constraints["required"] = True
    if draw(st.integers(0, 3)) == 0:
        constraints["unique"] = True
    if kind == "string":
        choice = draw(st.sampled_from(["", "enum", "pattern", "length"]))
        if choice == "enum":
            constraints["enum"] = draw(st.lists(TEXT, min_size=1, max_size=3, unique=True))
        elif choice == "pattern":
            constraints["pattern"] = draw(st.sampled_from([r"[A-Z]{2}\d{2}", r"\d+", "[a-z ]*"]))
        elif choice == "length":
            constraints["minLength"], constraints["maxLength"] = 1, draw(st.integers(1, 6))
    elif kind in NUMERIC:
        for bound in draw(st.sets(st.sampled_from(
                ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]), max_size=2)):
            constraints[bound] = draw(NUMERIC[kind])
        if kind != "date" and draw(st.integers(0, 4)) == 0:
            constraints["enum"] = draw(st.lists(NUMERIC[kind], min_size=1, max_size=3,
                                                unique=True))
    if constraints:
        field["constraints"] = constraints
    return field


@st.composite
def random_schema(draw: st.DrawFn) -> dict[str, Any]:
    fields = [draw(random_field(i)) for i in range(draw(st.integers(1, 5)))]
    descriptor: dict[str, Any] = {"fields": fields}
    names = [f["name"] for f in fields]
    key = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
    if key:
        descriptor["primaryKey"] = key
    descriptor["missingValues"] = draw(st.sampled_from([[""], ["", "-", "无", "NULL"], ["NA"]]))
    return descriptor


def _valid_cell(field: dict[str, Any]) -> st.SearchStrategy[str]:
    """Cells of a domain schema's field that mostly pass, so defects stand out."""
    constraints = field.get("constraints", {})
    kind = field["type"]
    if "enum" in constraints:
        return st.sampled_from([str(v) for v in constraints["enum"]])
    if "pattern" in constraints:
        return st.from_regex(constraints["pattern"], fullmatch=True).filter(
            lambda s: "\n" not in s and "\r" not in s)
    if kind in ("integer", "number"):
        low, high = constraints.get("minimum", 0), constraints.get("maximum", 10**6)
        return st.integers(int(low) + 1, max(int(low) + 1, int(high) - 1)).map(str)
    if kind == "string":
        return TEXT.filter(lambda s: s.strip() == s)
    return CELLS[kind]


@st.composite
def domain_table(draw: st.DrawFn) -> tuple[dict[str, Any], list[list[str]]]:
    descriptor = table_schemas.load(draw(st.sampled_from(table_schemas.names())))
    strategies = [_valid_cell(f) for f in descriptor["fields"]]
    rows = [[draw(s) for s in strategies] for _ in range(draw(st.integers(0, 6)))]
    return descriptor, rows


@st.composite
def random_table(draw: st.DrawFn) -> tuple[dict[str, Any], list[list[str]]]:
    descriptor = draw(random_schema())
    assume(frictionless.Schema.validate_descriptor(descriptor).valid)
    strategies = [CELLS[f["type"]] | st.sampled_from(descriptor["missingValues"])
                  for f in descriptor["fields"]]
    rows = [[draw(s) for s in strategies] for _ in range(draw(st.integers(0, 8)))]
    return descriptor, rows


@st.composite
def with_defects(draw: st.DrawFn, table: st.SearchStrategy[Any]) -> tuple[Any, ...]:
    descriptor, rows = draw(table)
    width = len(descriptor["fields"])
    for _ in range(draw(st.integers(0, 3)) if rows else 0):
        row = draw(st.integers(0, len(rows) - 1))
        defect = draw(st.sampled_from(["cell", "missing", "duplicate", "short", "long"]))
        # an earlier "short" defect may have left the row narrower than the schema
        if defect == "cell" and rows[row]:
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(TEXT)
        elif defect == "missing" and rows[row]:
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = ""
        elif defect == "duplicate":
            rows.append(list(rows[row]))
        elif defect == "short" and width > 1:
            rows[row] = rows[row][:-1]
        elif defect == "long":
            rows[row] = [*rows[row], "extra"]
    fmt = draw(st.sampled_from(["csv"] * 6 + ["xlsx", "json"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"])) if fmt == "csv" else "utf-8"
    return descriptor, rows, fmt, encoding


def _write(path: Path, header: list[str], rows: list[list[str]], fmt: str,
           encoding: str) -> None:
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([header, *rows])
        path.write_bytes(text.getvalue().encode(encoding))
    elif fmt == "json":
        path.write_text(json.dumps([header, *rows], ensure_ascii=False), encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [header, *rows]:
            sheet.append(row)
        book.save(path)


def _agree(tmp_path: Path, case: tuple[Any, ...]) -> None:
    descriptor, rows, fmt, encoding = case
    path = tmp_path / f"table.{fmt}"
    path.unlink(missing_ok=True)
    _write(path, [f["name"] for f in descriptor["fields"]], rows, fmt, encoding)
    try:
        theirs = engine.resource(
            path, schema=frictionless.Schema.from_descriptor(descriptor), format=fmt,
            **({"encoding": encoding} if fmt == "csv" else {})).validate(
            frictionless.Checklist(checks=list[frictionless.Check](
                custom_checks.checks_for(descriptor))))
    except Exception:  # noqa: BLE001 (frictionless' own fault, e.g. fields/array.py on '')
        assume(False)
    task = theirs.tasks[0].to_dict()
    try:
        ours = engine.validate(path, descriptor, format=fmt)
    except engine.BadInput:
        # Only what frictionless cannot read either may be refused.
        assert not theirs.valid and not task["errors"] or any(
            e.type.endswith(("source-error", "encoding-error", "format-error"))
            for e in theirs.errors + theirs.tasks[0].errors), task["errors"][:3]
        return
    # production falls back to frictionless on a fault of ours: the test must not
    assert ours.fault is None, ours.fault
    assert signatures(ours.errors) == signatures(task["errors"])
    assert ours.valid == theirs.valid


def _case(fields: list[dict[str, Any]], rows: list[list[str]],
          primary_key: list[str] | None = None) -> tuple[Any, ...]:
    descriptor: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if primary_key:
        descriptor["primaryKey"] = primary_key
    return descriptor, rows, "csv", "utf-8"


def _field(name: str, kind: str, **constraints: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, **({"constraints": constraints} if constraints else {})}


@DIFFERENTIAL
@given(case=with_defects(random_table()))
# frictionless reads a row's unique fields first, then its primary key, then the rest
@example(case=_case([_field("f0", "any", required=True),
                     _field("f1", "year", unique=True, enum=[1900])], [["", "0"]]))
@example(case=_case([_field("f0", "string", enum=["x"]), _field("f1", "array")], [["y", "["]],
                    primary_key=["f1"]))
# ... but a repeated unique value makes it read the whole row before its unique-error
@example(case=_case([_field("f0", "integer", unique=True), _field("f1", "string", enum=["x"]),
                     _field("f2", "integer", unique=True)],
                    [["1", "x", "5"], ["1", "y", "z"], ["2", "y", "z"]]))
# dates out of pandas' nanosecond range; a naive datetime never equals an aware one
@example(case=_case([_field("f0", "any"), _field("f1", "date", unique=True)],
                    [["a", "0193-01-22"], ["b", "0193-01-22"], ["c", "1970-01-01"]]))
# -0 equals 0.0, a NaN equals nothing
@example(case=_case([_field("f0", "number"), _field("f1", "number")],
                    [["0", "-0"], ["0", "0.0"], ["1", "NaN"], ["1", "NaN"]], primary_key=["f0", "f1"]))
@example(case=_case([_field("f0", "any"), _field("f1", "datetime", unique=True)],
                    [["a", "2020-01-01T00:00:00"], ["b", "2020-01-01T00:00:00Z"],
                     ["c", "2020-01-01T08:00:00+08:00"], ["d", "2020-01-01T00:00:00"]]))
def test_random_schemas_agree_with_frictionless(tmp_path_factory: pytest.TempPathFactory,
                                                case: tuple[Any, ...]) -> None:
    _agree(tmp_path_factory.mktemp("random"), case)


@DIFFERENTIAL
@given(case=with_defects(domain_table()))
def test_domain_schemas_agree_with_frictionless(tmp_path_factory: pytest.TempPathFactory,
                                                case: tuple[Any, ...]) -> None:
    _agree(tmp_path_factory.mktemp("domain"), case)
