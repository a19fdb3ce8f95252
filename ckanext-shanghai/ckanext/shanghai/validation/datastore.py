"""Loading validated tables into CKAN's DataStore (only data that passed validation).

Loaded by the validation job itself, instead of running ckanext-xloader: xloader would
guess types again, load invalid files too, and need a second queue, worker and API
token. The table is made by CKAN's ``datastore_create``, with column types from the
Table Schema, and only when it is new or its columns or key changed. The rows:

* a CSV file whose header is the schema's, and whose fields PostgreSQL reads as
  frictionless does (strings, and numbers, booleans, dates and datetimes in their
  default forms), is read by Python's csv module and copied (``COPY``), then cast,
  a segment of rows at a time, replacing the rows in one transaction: readers see the old rows or
  the new, and two loads of one table wait for each other. Its indexes other than
  ``_id``'s are built again after the rows, which is cheaper than keeping them up to
  date row by row. If the count of rows is not the validator's, or PostgreSQL refuses
  a value, the transaction is undone and the rows take the way below;
* any other file's rows are typed by frictionless and written with ``datastore_upsert``
  in batches.
"""
from __future__ import annotations

import csv
import datetime
import decimal
import functools
import io
import itertools
import json
import logging
import queue
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import psycopg2
import sqlalchemy as sa
from psycopg2.sql import SQL, Composed, Identifier, Literal

from ckanext.datastore.backend.postgres import get_write_engine
from ckanext.shanghai.search import datastore as search_datastore

from . import engine
from .engine import sniffing

if TYPE_CHECKING:
    import frictionless

#: Table Schema type → DataStore (PostgreSQL) column type.
TYPES = {"string": "text", "integer": "int8", "number": "numeric", "boolean": "bool",
         "date": "date", "datetime": "timestamp", "time": "time", "year": "int4"}
BATCH = 5000

log = logging.getLogger(__name__)


def enabled() -> bool:
    """The DataStore plugin is on and loading is not switched off."""
    return p.plugin_loaded("datastore") and tk.config.get(
        "ckanext.shanghai.validation.datastore_load")


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            # timestamp columns hold UTC without a zone (PostgreSQL would drop the offset).
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def fields(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """DataStore field definitions, with the schema's titles as labels."""
    return [{"id": f["name"], "type": TYPES.get(f.get("type", "string"), "text"),
             "info": {"label": f.get("title", ""), "notes": f.get("description", "")}}
            for f in descriptor["fields"]]


def load(resource_id: str, path: Path, fmt: str, descriptor: dict[str, Any],
         encoding: str | None, rows: int | None = None) -> int:
    """Replace the resource's DataStore table with the file's rows (``rows`` of them,
    as the validator counted); return the count."""
    context = _context()
    wanted = fields(descriptor)
    key = list(descriptor.get("primaryKey") or [])
    with get_write_engine().connect() as connection:
        shape = _shape(connection, resource_id)
    if shape != ([(f["id"], f["type"]) for f in wanted], sorted(key)):
        if shape is not None:
            # Other columns or key: a new table (and a new revision of the resource).
            tk.get_action("datastore_delete")(dict(context), {"resource_id": resource_id,
                                                              "force": True})
        create: dict[str, Any] = {"resource_id": resource_id, "force": True, "fields": wanted}
        if key:
            create["primary_key"] = key
        if shape is None:
            _mark_active(resource_id)
        tk.get_action("datastore_create")(dict(context), create)
        _ensure_preview(context, resource_id)
    schema = _schema(json.dumps(descriptor, sort_keys=True))
    delimiter = _copyable(path, fmt, schema, encoding)
    count = None
    if delimiter is not None and encoding and rows is not None:
        count = _copy(resource_id, path, encoding, delimiter, schema, rows)
    if count is None:
        count = _upsert(context, resource_id, path, fmt, descriptor, encoding)
    return count


@functools.lru_cache(maxsize=64)
def _schema(descriptor: str) -> frictionless.Schema:
    """The Table Schema of a JSON descriptor, read once per worker (a schema is read
    by every job of its resources, and reading one costs more than copying a small
    file); only read, never handed to frictionless, which may change it."""
    import frictionless  # noqa: PLC0415  (loaded at first use: start-up, see stack/warmup.py)

    return frictionless.Schema.from_descriptor(json.loads(descriptor))


def _shape(connection: sa.Connection, resource_id: str
           ) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The table's columns (name, type) and unique key, or None if there is no table."""
    columns = connection.execute(sa.text(
        "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        " WHERE a.attrelid = to_regclass(quote_ident(:table)) AND a.attnum > 0"
        " AND NOT a.attisdropped AND a.attname NOT LIKE '\\_%' ORDER BY a.attnum"),
        {"table": resource_id}).all()
    if not columns:
        return None
    key = connection.execute(sa.text(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
        " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = to_regclass(quote_ident(:table)) AND i.indisunique"
        " AND NOT i.indisprimary ORDER BY a.attname"), {"table": resource_id}).scalars().all()
    return [(name, kind) for name, kind in columns], list(key)


def _reads_as_postgresql(field: frictionless.Field) -> bool:
    """PostgreSQL's cast of any cell frictionless accepts gives frictionless' value."""
    from frictionless import fields  # noqa: PLC0415  (loaded at first use, as in load)

    if isinstance(field, (fields.StringField, fields.YearField)):
        return True
    if isinstance(field, fields.IntegerField):
        return field.bare_number
    if isinstance(field, fields.NumberField):
        return field.bare_number and not field.group_char and field.decimal_char == "."
    if isinstance(field, fields.BooleanField):
        return (field.true_values == ["true", "True", "TRUE", "1"]
                and field.false_values == ["false", "False", "FALSE", "0"])
    if isinstance(field, (fields.DateField, fields.DatetimeField)):
        # ISO 8601; an offset is turned into UTC, as _json_value does (see _value)
        return field.format == "default"
    return False


def _value(cell: Identifier, field: frictionless.Field) -> SQL | Composed:
    """The SQL of a staged cell cast to its column's type."""
    if field.type == "datetime":  # the session's time zone is UTC (see _copy)
        return SQL("(CAST({} AS timestamptz) AT TIME ZONE 'UTC')").format(cell)
    return SQL("CAST({} AS {})").format(cell, SQL(TYPES.get(field.type, "text")))


def _copyable(path: Path, fmt: str, schema: frictionless.Schema,
              encoding: str | None) -> str | None:
    """The delimiter, if the file can be copied into PostgreSQL as it is: a CSV whose
    header is the schema's field names, in order, of fields PostgreSQL reads as
    frictionless does."""
    if fmt != "csv" or not encoding or not all(map(_reads_as_postgresql, schema.fields)):
        return None
    with path.open("rb") as handle:
        sample = handle.read(sniffing.SAMPLE_BYTES)
    try:
        dialect = sniffing.sniff_csv(sample, encoding, path.stat().st_size, 1 << 20)
    except engine.BadInput:
        return None
    return dialect.delimiter if dialect.header == schema.field_names else None


def _copy(resource_id: str, path: Path, encoding: str, delimiter: str,
          schema: frictionless.Schema, rows: int) -> int | None:
    """Replace the table's rows with the file's through ``COPY``, in one transaction;
    None (and nothing changed) if a row is not of the schema's width, the count of
    rows is not ``rows``, or PostgreSQL refuses a value. The cells are read by
    Python's csv module, as frictionless reads them; the statements are composed
    with ``psycopg2.sql``, since the schema's names and missing values are the
    publisher's."""
    table = Identifier(resource_id)
    width = len(schema.fields)
    staged = [Identifier(f"c{n}") for n in range(width)]
    # a field's own missing values, else the schema's (as frictionless reads a cell)
    missing = [field.missing_values if field.has_defined("missing_values")
               else schema.missing_values for field in schema.fields]
    casts = SQL(", ").join(
        SQL("CASE WHEN {cell} = ANY({missing}::text[]) THEN NULL ELSE {value} "
            "END AS {name}").format(cell=cell, missing=Literal(list(values)),
                                    value=_value(cell, field), name=Identifier(field.name))
        for cell, field, values in zip(staged, schema.fields, missing, strict=True))
    names = SQL(", ").join(map(Identifier, schema.field_names))
    # frictionless keeps 6 digits of a second's fraction, PostgreSQL rounds to 6
    moments = [n for n, field in enumerate(schema.fields) if field.type == "datetime"]
    full_text = _full_text_sql(schema)
    with get_write_engine().connect() as connection:
        transaction = connection.begin()
        cursor = connection.connection.driver_connection.cursor()
        try:
            # TRUNCATE locks the table until the end: a second load waits for this one
            # (before it reads the indexes, which this one makes anew).
            cursor.execute("SET LOCAL TimeZone = 'UTC'")
            cursor.execute(SQL("TRUNCATE {}").format(table))
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE i.indrelid = to_regclass(quote_ident(%s)) AND NOT i.indisprimary",
                (resource_id,))
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(SQL("DROP INDEX {}").format(Identifier(name)))
            # CKAN's full-text trigger (zfulltext) would only look at each row to keep
            # the _full_text computed here: off for this insert (undone with the rest).
            cursor.execute("SELECT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'zfulltext'"
                           " AND tgrelid = to_regclass(quote_ident(%s)))", (resource_id,))
            quiet = bool(full_text) and cursor.fetchone()[0]
            if quiet:
                cursor.execute(SQL("ALTER TABLE {} DISABLE TRIGGER zfulltext").format(table))
            cursor.execute(SQL("CREATE TEMPORARY TABLE shanghai_load (n bigserial, {}, "
                               "_grams text) ON COMMIT DROP").format(
                SQL(", ").join(SQL("{} text").format(cell) for cell in staged)))
            copy = SQL("COPY shanghai_load ({}, _grams) FROM STDIN WITH (FORMAT csv)").format(
                SQL(", ").join(staged))
            if full_text:
                insert = SQL("INSERT INTO {table} ({names}, _full_text) SELECT {names}, "
                             "{full_text} FROM (SELECT {casts}, _grams FROM shanghai_load "
                             "ORDER BY n OFFSET 0) AS typed").format(
                    table=table, names=names, casts=casts, full_text=full_text)
            else:  # the table's trigger fills _full_text
                insert = SQL("INSERT INTO {table} ({names}) SELECT {casts} FROM shanghai_load "
                             "ORDER BY n").format(table=table, names=names, casts=casts)
            staging = _Staging(path, encoding, delimiter, missing, moments, bool(full_text))
            loaded = 0
            with staging:
                # PostgreSQL casts and inserts a segment while the reader (a thread of
                # its own) prepares the next.
                for number, segment in enumerate(staging):
                    if number:
                        cursor.execute("TRUNCATE shanghai_load")
                    # one read of the segment: read by the chunk, each read would wait
                    # for the reader thread to let go of the interpreter
                    cursor.copy_expert(copy, segment, size=1 << 26)
                    cursor.execute(insert)
                    loaded += cursor.rowcount
            if loaded != rows:
                raise _Mismatch(f"{loaded} rows, the validator read {rows}")
            if quiet:
                cursor.execute(SQL("ALTER TABLE {} ENABLE TRIGGER zfulltext").format(table))
            for _, definition in indexes:
                cursor.execute(definition)
            transaction.commit()
        except (_Mismatch, psycopg2.DataError, psycopg2.IntegrityError,
                UnicodeDecodeError, csv.Error) as error:
            # Ours, or only the kind of PostgreSQL's: its message quotes the cell,
            # which may be a closed dataset's data.
            reason = error if isinstance(error, _Mismatch) else (
                getattr(error, "pgcode", None) or type(error).__name__)
            log.warning("DataStore load of %s: read otherwise than the validator did (%s); "
                        "loading it row by row", resource_id, reason)
            transaction.rollback()
            return None
    return rows


_LONG_FRACTION = re.compile(r"[.,][0-9]{7}")
#: Rows copied, cast and inserted at a time (a few MB of CSV text).
SEGMENT = 50_000


class _Staging:
    """The file's rows as CSV text for ``COPY``, each with its CJK grams, one segment
    of :data:`SEGMENT` rows at a time, read and written by a thread of its own (while
    PostgreSQL inserts the segment before: the two take about as long). A problem
    with the file (:class:`_Mismatch`, a decoding or CSV error) is raised where the
    segments are taken. Leaving the ``with`` block stops the thread."""

    def __init__(self, path: Path, encoding: str, delimiter: str,
                 missing: list[list[str]], moments: list[int], grams: bool) -> None:
        self.path, self.encoding, self.delimiter = path, encoding, delimiter
        self.missing, self.moments, self.grams = missing, moments, grams
        self.ready: queue.Queue[io.StringIO | BaseException | None] = queue.Queue(maxsize=2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._read, name="datastore-staging",
                                       daemon=True)

    def __enter__(self) -> _Staging:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self.thread.join()

    def __iter__(self) -> Iterator[io.StringIO]:
        while (item := self.ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item

    def _put(self, item: io.StringIO | BaseException | None) -> bool:
        while not self.stop.is_set():
            try:
                self.ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _read(self) -> None:
        try:
            for segment in self._segments():
                if not self._put(segment):
                    return
        except Exception as error:  # noqa: BLE001 - raised in the loading thread
            self._put(error)
            return
        self._put(None)

    def _segments(self) -> Iterator[io.StringIO]:
        width = len(self.missing)
        with self.path.open(encoding=self.encoding, newline="") as text:
            reader = csv.reader(text, delimiter=self.delimiter)
            next(reader)  # the header, which is the schema's
            buffer, count = io.StringIO(), 0
            out = csv.writer(buffer, quoting=csv.QUOTE_ALL)
            while batch := list(itertools.islice(reader, BATCH)):
                if any(len(cells) != width for cells in batch):
                    raise _Mismatch(f"a row is not {width} cells wide")
                if any(_LONG_FRACTION.search(cells[n]) for cells in batch
                       for n in self.moments):
                    raise _Mismatch("a time has more than 6 digits of a second")
                for cells in batch:
                    grams = search_datastore.cjk_grams(
                        c for c, m in zip(cells, self.missing, strict=True)
                        if c not in m) if self.grams else ""
                    out.writerow([*cells, grams])
                count += len(batch)
                if count >= SEGMENT:
                    buffer.seek(0)
                    yield buffer
                    buffer, count = io.StringIO(), 0
                    out = csv.writer(buffer, quoting=csv.QUOTE_ALL)
            if count:
                buffer.seek(0)
                yield buffer


class _Mismatch(Exception):
    """The file read for ``COPY`` is not the table the validator read."""


def _full_text_sql(schema: frictionless.Schema) -> Composed | None:
    """The SQL of a row's ``_full_text`` when the search plugin indexes the DataStore's
    Chinese (over the typed columns ``typed.<field>`` and their CJK grams
    ``typed._grams``), set-based, which costs a fraction of its trigger's row by row;
    else None: the trigger fills it."""
    if not p.plugin_loaded("shanghai_search"):
        return None
    content = search_datastore.content_sql(
        [(SQL("typed.{}").format(Identifier(field.name)), TYPES.get(field.type, "text"))
         for field in schema.fields])
    return search_datastore.full_text_sql(content, SQL("typed._grams"))


def _upsert(context: dict[str, Any], resource_id: str, path: Path, fmt: str,
            descriptor: dict[str, Any], encoding: str | None) -> int:
    """Replace the table's rows with the file's as frictionless types them, in batches."""
    import frictionless  # noqa: PLC0415  (as in _schema)

    schema = frictionless.Schema.from_descriptor(descriptor)
    tk.get_action("datastore_delete")(dict(context), {"resource_id": resource_id,
                                                      "force": True, "filters": {}})
    options: dict[str, Any] = {"schema": schema, "format": fmt}
    if encoding:
        options["encoding"] = encoding
    names = schema.field_names
    count = 0
    batch: list[dict[str, Any]] = []
    with engine.resource(path, **options) as table:
        for row in table.row_stream:
            batch.append({name: _json_value(row[name]) for name in names})
            if len(batch) == BATCH:
                count += _insert(context, resource_id, batch)
    return count + _insert(context, resource_id, batch)


def _insert(context: dict[str, Any], resource_id: str, batch: list[dict[str, Any]]) -> int:
    if not batch:
        return 0
    tk.get_action("datastore_upsert")(dict(context), {
        "resource_id": resource_id, "records": batch, "method": "insert", "force": True})
    loaded = len(batch)
    batch.clear()
    return loaded


def _mark_active(resource_id: str) -> None:
    """Flag the resource ``datastore_active`` in this session (committed with the
    job's next commit, the preview's or the report's; the job then indexes the dataset
    once): ``datastore_create`` would do it with ``resource_patch``, a whole
    ``package_update`` and a re-index of the dataset (more than half of a small file's
    job) before the rows are in."""
    resource = model.Resource.get(resource_id)
    if resource is not None and not resource.extras.get("datastore_active"):
        resource.extras = {**resource.extras, "datastore_active": True}


def _ensure_preview(context: dict[str, Any], resource_id: str) -> None:
    """A DataTables view on the resource page, once: when its table is made."""
    if not p.plugin_loaded("datatables_view"):
        return
    views = tk.get_action("resource_view_list")(dict(context), {"id": resource_id})
    if any(v["view_type"] == "datatables_view" for v in views):
        return
    tk.get_action("resource_view_create")(dict(context), {
        "resource_id": resource_id, "view_type": "datatables_view", "title": "数据预览"})
