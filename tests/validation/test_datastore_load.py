"""Validated tables into the DataStore (validation/datastore.py): a CSV copied as it is
holds the rows and the full text that frictionless' values and the table's trigger
would give; anything PostgreSQL reads otherwise falls back to row-by-row loading; two
loads of one table never mix."""
from __future__ import annotations

import csv
import datetime
import io
import threading
from pathlib import Path
from typing import Any

import frictionless
import pytest
import sqlalchemy as sa
from ckan.tests import helpers
from ckanext.datastore.backend.postgres import get_write_engine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.shanghai.validation import datastore, engine
from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "code", "type": "string"},
        {"name": "名称", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "price", "type": "number"},
        {"name": "open", "type": "boolean"},
        {"name": "since", "type": "date"},
        {"name": "year", "type": "year"},
        {"name": "at", "type": "datetime"},
    ],
    "missingValues": ["", "-"],
    "primaryKey": ["code"],
}

text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\0"),
               max_size=12)
chinese = st.text(st.sampled_from("黄浦区人民广场停車場〇一二豈𠀀 ,\"\n-ａＢ"), max_size=10)
rows = st.lists(st.tuples(
    st.one_of(text, chinese),
    st.one_of(st.just("-"), st.just(""), st.integers(-10**12, 10**12).map(str)),
    st.one_of(st.just(""), st.decimals(allow_nan=False, allow_infinity=False, places=3)
              .map(str)),
    st.sampled_from(["true", "False", "1", "0", "TRUE", ""]),
    st.one_of(st.just(""), st.dates().map(lambda d: d.isoformat())),
    st.one_of(st.just(""), st.integers(1900, 2100).map(str)),
    st.one_of(st.just(""), st.builds(
        lambda moment, zone: moment.replace(tzinfo=zone).isoformat(),
        st.datetimes(min_value=datetime.datetime(1000, 1, 1)),
        st.sampled_from([None, datetime.timezone.utc, datetime.timezone(
            datetime.timedelta(hours=8)), datetime.timezone(-datetime.timedelta(hours=3,
                                                                                minutes=30))]))),
), max_size=25)


@pytest.fixture
def resource_id(sysadmin: dict[str, Any]) -> str:
    package = dataset(sysadmin, resources=[{"url": "http://example.gov.cn/t.csv",
                                            "format": "CSV"}])
    return package["resources"][0]["id"]


def _write(path: Path, table: list[tuple[str, ...]]) -> None:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow([f["name"] for f in SCHEMA["fields"]])
    for n, cells in enumerate(table):
        out.writerow([f"K{n}", *cells])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _loaded(resource_id: str) -> list[dict[str, Any]]:
    with get_write_engine().connect() as connection:
        return [dict(r) for r in connection.execute(sa.text(
            f'SELECT * FROM "{resource_id}" ORDER BY _id')).mappings()]


def _stale_full_text(resource_id: str) -> int:
    """Rows whose _full_text is not what the table's trigger computes for them."""
    with get_write_engine().connect() as connection:
        return connection.execute(sa.text(
            f'SELECT count(*) FROM "{resource_id}" t WHERE _full_text IS DISTINCT FROM '
            "shanghai_row_full_text(row_to_json(t.*))")).scalar_one()


def _expected(path: Path) -> list[dict[str, Any]]:
    """The rows as frictionless types them, a time with an offset in UTC (what
    row-by-row loading writes)."""
    schema = frictionless.Schema.from_descriptor(SCHEMA)
    with engine.resource(path, schema=schema, format="csv", encoding="utf-8") as table:
        return [{name: _utc(row[name]) for name in schema.field_names}
                for row in table.row_stream]


def _utc(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=rows)
def test_copied_rows_are_frictionless_values_with_the_triggers_full_text(
        table, resource_id, tmp_path_factory):
    path = tmp_path_factory.mktemp("load") / "t.csv"
    _write(path, table)
    result = engine.validate(path, SCHEMA, format="csv")
    assert result.valid, result.errors[:3]
    assert datastore.load(resource_id, path, "csv", SCHEMA, "utf-8", result.rows) == len(table)
    # the table made, the rows (again) by the COPY way
    schema = frictionless.Schema.from_descriptor(SCHEMA)
    assert datastore._copyable(path, "csv", schema, "utf-8") == ","
    assert datastore._copy(resource_id, path, "utf-8", ",", schema, result.rows) == len(table)
    loaded = _loaded(resource_id)
    expected = _expected(path)
    assert [{k: v for k, v in r.items() if not k.startswith("_")} for r in loaded] == expected
    assert _stale_full_text(resource_id) == 0


def test_a_count_not_the_validators_changes_nothing_and_loads_row_by_row(resource_id,
                                                                         tmp_path):
    schema = frictionless.Schema.from_descriptor(SCHEMA)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    _write(first, [("人民广场", "3", "1.5", "true", "2001-05-01", "2001")] * 2)
    _write(second, [("世纪大道", "-", "", "0", "", "", "2001-05-01T08:00:00+08:00")] * 3)
    datastore.load(resource_id, first, "csv", SCHEMA, "utf-8", 2)
    # told 4 rows where PostgreSQL reads 3: undone, the table as it was
    assert datastore._copy(resource_id, second, "utf-8", ",", schema, 4) is None
    assert [r["名称"] for r in _loaded(resource_id)] == ["人民广场"] * 2
    # and load() then takes the row-by-row way: the three rows, searchable
    assert datastore.load(resource_id, second, "csv", SCHEMA, "utf-8", 4) == 3
    assert [r["名称"] for r in _loaded(resource_id)] == ["世纪大道"] * 3
    assert _stale_full_text(resource_id) == 0
    found = helpers.call_action("datastore_search", resource_id=resource_id, q="大道")
    assert found["total"] == 3


def test_two_loads_of_one_table_take_turns(resource_id, tmp_path):
    schema = frictionless.Schema.from_descriptor(SCHEMA)
    files = []
    for n, size in enumerate((400, 300)):
        files.append(tmp_path / f"t{n}.csv")
        _write(files[-1], [(f"第{n}批", str(i), "", "1", "", "", "") for i in range(size)])
    datastore.load(resource_id, files[0], "csv", SCHEMA, "utf-8", 400)
    results: list[int | None | Exception] = []

    def load(path: Path, size: int) -> None:
        try:
            results.append(datastore._copy(resource_id, path, "utf-8", ",", schema, size))
        except Exception as error:  # noqa: BLE001 - shown by the assertion below
            results.append(error)

    threads = [threading.Thread(target=load, args=(path, size))
               for path, size in zip(files, (400, 300), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [300, 400]
    loaded = _loaded(resource_id)
    # one file's rows, whole: never both, never a duplicate key
    assert len(loaded) in (300, 400) and len({r["名称"] for r in loaded}) == 1


def test_a_time_with_more_than_six_digits_of_a_second_is_loaded_as_frictionless_reads_it(
        resource_id, tmp_path):
    path = tmp_path / "t.csv"
    _write(path, [("x", "1", "", "1", "", "", "2001-05-01T08:00:00.1234567+08:00")])
    assert datastore.load(resource_id, path, "csv", SCHEMA, "utf-8", 1) == 1
    schema = frictionless.Schema.from_descriptor(SCHEMA)
    assert datastore._copy(resource_id, path, "utf-8", ",", schema, 1) is None
    # frictionless keeps 123456 µs (PostgreSQL would round to 123457), in UTC
    assert _loaded(resource_id)[0]["at"] == datetime.datetime(2001, 5, 1, 0, 0, 0, 123456)


def test_a_row_of_missing_values_has_the_triggers_full_text(resource_id, tmp_path):
    # without a key a row may be missing everywhere: the trigger's full text is NULL then
    keyless = {**SCHEMA, "primaryKey": []}
    path = tmp_path / "t.csv"
    path.write_text("code,名称,count,price,open,since,year,at\n-,,,,,,,\n"
                    "黄浦区,-,1,2.5,TRUE,2001-05-01,2001,2001-05-01T08:00:00\n", encoding="utf-8")
    assert datastore.load(resource_id, path, "csv", keyless, "utf-8", 2) == 2
    schema = frictionless.Schema.from_descriptor(keyless)
    assert datastore._copy(resource_id, path, "utf-8", ",", schema, 2) == 2
    assert [r["_full_text"] is None for r in _loaded(resource_id)] == [True, False]
    assert _stale_full_text(resource_id) == 0
    # the full-text trigger, off while the rows were copied, is on again for later writes
    helpers.call_action("datastore_upsert", resource_id=resource_id, method="insert",
                        force=True, records=[{"code": "静安寺"}])
    assert _stale_full_text(resource_id) == 0
    found = helpers.call_action("datastore_search", resource_id=resource_id, q="静安")
    assert [r["code"] for r in found["records"]] == ["静安寺"]


def test_a_table_wider_than_a_functions_arguments_has_the_triggers_full_text(sysadmin,
                                                                             tmp_path):
    # PostgreSQL passes at most 100 arguments to a function: the row's text is joined
    # in groups
    wide = {"fields": [{"name": f"c{n}", "type": "string"} for n in range(1, 231)]}
    package = dataset(sysadmin, resources=[{"url": "http://example.gov.cn/w.csv",
                                            "format": "CSV"}])
    resource_id = package["resources"][0]["id"]
    path = tmp_path / "w.csv"
    cells = [[f"黄浦{n}" if n % 7 else "" for n in range(1, 231)], [""] * 229 + ["人民广场"]]
    path.write_text("\n".join(",".join(row) for row in
                              [[f["name"] for f in wide["fields"]], *cells]) + "\n",
                    encoding="utf-8")
    assert datastore.load(resource_id, path, "csv", wide, "utf-8", 2) == 2
    schema = frictionless.Schema.from_descriptor(wide)
    assert datastore._copy(resource_id, path, "utf-8", ",", schema, 2) == 2
    assert _stale_full_text(resource_id) == 0
    found = helpers.call_action("datastore_search", resource_id=resource_id, q="广场")
    assert found["total"] == 1


def test_a_file_of_several_segments_is_loaded_whole_in_order_or_not_at_all(
        resource_id, tmp_path, monkeypatch):
    monkeypatch.setattr(datastore, "BATCH", 2)
    monkeypatch.setattr(datastore, "SEGMENT", 3)  # a segment per two batches: 4 rows
    schema = frictionless.Schema.from_descriptor(SCHEMA)
    good, short = tmp_path / "good.csv", tmp_path / "short.csv"
    _write(good, [(f"第{i}站", str(i), "", "1", "", "", "") for i in range(11)])
    assert datastore.load(resource_id, good, "csv", SCHEMA, "utf-8", 11) == 11  # the table
    assert datastore._copy(resource_id, good, "utf-8", ",", schema, 11) == 11
    loaded = _loaded(resource_id)
    assert [r["count"] for r in loaded] == list(range(11))
    assert [r["_id"] for r in loaded] == sorted(r["_id"] for r in loaded)
    assert _stale_full_text(resource_id) == 0
    # a row too short in the third segment, read while the first two were inserted
    _write(short, [(f"新{i}站", str(i), "", "1", "", "", "") for i in range(11)])
    short.write_text(short.read_text(encoding="utf-8").replace(",9,,1,,,\n", ",9\n"),
                     encoding="utf-8")
    assert datastore._copy(resource_id, short, "utf-8", ",", schema, 11) is None
    assert [r["count"] for r in _loaded(resource_id)] == list(range(11))  # as it was
    assert "datastore-staging" not in {t.name for t in threading.enumerate()}
