"""Validates tabular files against a Frictionless Table Schema (pure, no CKAN).

Two engines give the same report:

* **vectorised** (CSV only): pandas reads the file in chunks of raw strings; each column is
  checked with vectorised operations that only ever *accept* a cell when frictionless
  would accept it too (strict ASCII forms of numbers, ISO dates, exact enum/pattern
  matches, bounds with ties treated as suspicious). A row with any cell that is not
  accepted so is handed to frictionless' own ``Row``, which produces the exact errors
  and values. ``unique`` and ``primaryKey`` are checked over hashes spilled to bucket
  files on disk, so memory stays flat however long the file is.
* **frictionless** itself, for XLSX, JSON and any CSV the vectorised engine cannot read
  exactly (a header that does not match the schema, ragged or blank rows).

Bad input (empty, binary, wrong or mixed encoding, truncated, an endless line, too
big) raises :class:`BadInput` with a message that says what is wrong and where.
"""
from __future__ import annotations

import codecs
import csv
import gc
import io
import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frictionless
import numpy as np
import pandas as pd
from frictionless import errors as ferrors
from frictionless.table.row import Row, create_cell_handlers

from . import credit_code

#: Bytes read to detect encoding, dialect and header.
SAMPLE_BYTES = 1 << 20
#: A chunk of the CSV holds about this many bytes of text (rows = this ÷ mean line length).
CHUNK_BYTES = 16 << 20
#: Buckets that unique keys are spilled to (memory at the end ≈ 16 B × rows ÷ BUCKETS).
BUCKETS = 64

TABULAR_FORMATS = ("csv", "xlsx", "json")

# pandas warns of extra cells in the first row, which _ShapeCheckingReader catches anyway.
warnings.filterwarnings("ignore", message="Length of header or names does not match",
                        category=pd.errors.ParserWarning)


class BadInput(Exception):
    """The file cannot be validated at all; the message says why (English and Chinese)."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


@dataclass
class Result:
    """What a validation found: frictionless-shaped errors, in frictionless' order."""

    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    #: True when more errors were found than kept (the rest of the file was not read).
    truncated: bool = False
    engine: str = "vectorised"
    encoding: str | None = None
    format: str = "csv"

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "rows": self.rows, "error_count": len(self.errors),
                "truncated": self.truncated, "engine": self.engine,
                "encoding": self.encoding, "format": self.format, "errors": self.errors}


# ---------------------------------------------------------------------------------
# Input: size, encoding, format


def check_size(path: Path, max_bytes: int) -> int:
    """The file's size; BadInput if empty or over ``max_bytes``."""
    size = path.stat().st_size
    if size == 0:
        raise BadInput("The file is empty (0 bytes).", "文件为空（0 字节）。")
    if size > max_bytes:
        raise BadInput(
            f"The file is {size / 2**20:.1f} MB, over the validation limit of "
            f"{max_bytes / 2**20:.0f} MB.",
            f"文件大小 {size / 2**20:.1f} MB，超过校验上限 {max_bytes / 2**20:.0f} MB。")
    return size


def detect_encoding(sample: bytes, complete: bool) -> str:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK), from the first bytes.

    ``complete`` says the sample is the whole file, so a cut multi-byte character at its
    end means the file itself was truncated.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BadInput("The file is UTF-16 encoded; save it as UTF-8 or GBK.",
                       "文件为 UTF-16 编码，请另存为 UTF-8 或 GBK 编码。")
    if b"\x00" in sample:
        raise BadInput("The file is binary (it contains NUL bytes), not a text table.",
                       "文件为二进制内容（含 NUL 字节），不是文本表格。")
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        return encoding
    raise BadInput("The file is neither UTF-8 nor GBK/GB18030 text (binary or an unsupported "
                   "encoding).", "文件既不是 UTF-8 也不是 GBK/GB18030 文本（二进制内容或不支持的编码）。")


def sniff_format(path: Path, declared: str | None) -> str:
    """``csv``, ``xlsx`` or ``json``: the declared format if it is one, else the extension."""
    for candidate in ((declared or "").lower().lstrip("."), path.suffix.lower().lstrip(".")):
        if candidate in ("csv", "txt", "tsv"):
            return "csv"
        if candidate in ("xlsx", "json"):
            return candidate
    raise BadInput(f"Not a tabular format that can be validated: {declared or path.suffix!r} "
                   "(CSV, XLSX and JSON can).",
                   f"该格式不能校验：{declared or path.suffix}（支持 CSV、XLSX、JSON）。")


# ---------------------------------------------------------------------------------
# Entry point


def validate(path: Path | str, descriptor: dict[str, Any], *, format: str | None = None,
             max_bytes: int = 1 << 30, max_errors: int = 1000,
             max_line_bytes: int = 1 << 20) -> Result:
    """Validate the file at ``path`` against the Table Schema ``descriptor``.

    :raises BadInput: when the file cannot be read as a table at all.
    """
    path = Path(path)
    fmt = sniff_format(path, format)
    size = check_size(path, max_bytes)
    schema = frictionless.Schema.from_descriptor(descriptor)
    checks = credit_code.checks_for(descriptor)
    if fmt == "xlsx":
        if not zipfile.is_zipfile(path):
            raise BadInput("The XLSX file is damaged or truncated (not a readable zip archive).",
                           "XLSX 文件已损坏或不完整（无法作为 zip 读取）。")
        return _frictionless(path, schema, fmt, None, max_errors, checks)
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample, complete=size <= SAMPLE_BYTES)
    if fmt == "json":
        try:
            json.loads(path.read_bytes().decode(encoding))
        except ValueError as error:
            raise BadInput(f"The JSON file is not valid JSON (damaged or truncated): {error}",
                           f"JSON 文件格式错误（已损坏或不完整）：{error}") from None
        return _frictionless(path, schema, fmt, encoding, max_errors, checks)
    return _csv(path, schema, checks, encoding, sample, size, max_errors, max_line_bytes)


# ---------------------------------------------------------------------------------
# CSV


def _csv(path: Path, schema: frictionless.Schema, checks: list[frictionless.Check],
         encoding: str, sample: bytes, size: int, max_errors: int,
         max_line_bytes: int) -> Result:
    newline = sample.find(b"\n")
    if (newline < 0 and size > len(sample)) or newline > max_line_bytes:
        raise BadInput(
            f"The first line is over {max_line_bytes / 2**20:.0f} MB long without a line "
            "break: not a table of rows.",
            f"第一行超过 {max_line_bytes / 2**20:.0f} MB 且没有换行：不是按行组织的表格。")
    text = sample.decode(encoding, errors="ignore")
    # The header line decides the delimiter: the candidate it holds most often.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=lambda candidate: (first_line.count(candidate), candidate == ","))
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    truncated = _ends_without_newline(path)
    if header != schema.field_names or len(header) < 2:
        return _frictionless(path, schema, "csv", encoding, max_errors, checks, delimiter,
                             truncated)
    lines = max(1, text.count("\n"))
    chunk_rows = max(1000, CHUNK_BYTES * lines // max(1, len(sample)))
    try:
        return _Vectorised(schema, checks, max_errors).run(path, encoding, delimiter, chunk_rows,
                                                   truncated)
    except (_Irregular, pd.errors.ParserError):
        return _frictionless(path, schema, "csv", encoding, max_errors, checks, delimiter,
                             truncated)
    except UnicodeDecodeError as error:
        raise BadInput(
            f"The file is not valid {encoding} text after byte {error.start} of a chunk: it mixes "
            "encodings or was cut off; save it as UTF-8 or GBK.",
            f"文件在后部出现非 {encoding} 编码内容：混用了多种编码或文件不完整，请另存为 UTF-8 或 GBK。"
        ) from None


def _ends_without_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) not in (b"\n", b"\r")


class _ShapeCheckingReader(io.RawIOBase):
    """The file's bytes for pandas, counting on the way the delimiters of every line:
    a line with more or fewer than the schema's ``width - 1`` (a ragged row, a blank
    line) makes the table irregular. Quotes may hide delimiters and line breaks, so
    once one is seen the lines are left to :func:`_regular_by_csv` after the pass.
    UTF-8 and GB18030 never use these ASCII bytes inside a multi-byte character."""

    def __init__(self, path: Path, delimiter: str, width: int) -> None:
        self.handle = path.open("rb")
        self.delimiter = ord(delimiter)
        self.expected = width - 1
        self.pending = 0  # delimiters on the current, unfinished line
        self.irregular = False
        self.quoted = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.handle.readinto(buffer)
        if count and not self.quoted:
            self._inspect(np.frombuffer(buffer, np.uint8, count))
        elif not count and self.pending and self.pending != self.expected and not self.quoted:
            self.irregular = True  # the last line, without its line break
        return count or 0

    def _inspect(self, data: np.ndarray) -> None:
        if (data == 0x22).any():
            self.quoted = True
            return
        ends = np.flatnonzero(data == 0x0A)
        running = np.cumsum(data == self.delimiter, dtype=np.int64)
        if not len(ends):
            self.pending += int(running[-1])
            return
        per_line = np.diff(running[ends], prepend=0)
        per_line[0] += self.pending
        if (per_line != self.expected).any():
            self.irregular = True
        self.pending = int(running[-1] - running[ends[-1]])

    def close(self) -> None:
        self.handle.close()
        super().close()


def _regular_by_csv(path: Path, encoding: str, delimiter: str, width: int) -> bool:
    """Every row has ``width`` cells (the slow way, for files with quoted cells)."""
    with path.open(encoding=encoding, newline="") as handle:
        return all(len(row) == width for row in csv.reader(handle, delimiter=delimiter))


class _Irregular(Exception):
    """The chunk has ragged or blank rows: only frictionless reports those exactly."""


_INTEGER = r"[+-]?[0-9]{1,18}"
_DATETIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:?[0-9]{2})"
#: When a value is suspicious for a bound (see _Column._constraints).
_BOUNDS = {"minimum": np.less, "exclusiveMinimum": np.less,
           "maximum": np.greater, "exclusiveMaximum": np.greater}


class _Column:
    """The vectorised reading of one field: which present cells are surely valid, and
    the comparable key of each (for unique and primary keys)."""

    def __init__(self, field: frictionless.Field, missing: list[str],
                 checksum: bool = False) -> None:
        self.field = field
        self.checksum = checksum
        self.name = field.name
        self.missing = list(field.missing_values) if field.has_defined("missing_values") \
            else missing
        self.constraints = dict(field.constraints)
        self.read_value = field.create_value_reader()
        self.supported = self._supported()

    def _supported(self) -> bool:
        field, kind = self.field, self.field.type
        if field.format not in ("default", None):
            return False
        if kind in ("integer", "number") and (
                not getattr(field, "bare_number", True) or
                any(field.has_defined(p) for p in ("decimal_char", "group_char"))):
            return False
        if kind == "number" and getattr(field, "float_number", False):
            return False
        return kind in ("string", "integer", "number", "boolean", "date", "datetime", "year")

    def check(self, raw: pd.Series) -> tuple[np.ndarray, np.ndarray, Any]:
        """``(missing, accepted, keys)`` for the chunk's raw strings."""
        missing = raw.isin(self.missing).to_numpy()
        present = ~missing
        if not self.supported:
            return missing, np.zeros(len(raw), bool), None
        kind = self.field.type
        values: Any
        if kind == "string":
            ok = present.copy()
            if self.checksum:
                ok &= ~credit_code.checksum_fails(raw)
            values = raw
        elif kind == "boolean":
            true, false = self.field.true_values, self.field.false_values
            ok = present & raw.isin(list(true) + list(false)).to_numpy()
            values = raw.isin(list(true))
        elif kind in ("integer", "year"):
            # str.isdigit is several times faster than a regex; int() reads every digit it
            # accepts (also non-ASCII ones) exactly as frictionless does. Signed numbers
            # go to the regex, or to frictionless when many cells need it.
            ok = present & raw.str.isdigit().to_numpy(dtype=bool)
            if kind == "year":
                ok &= (raw.str.len() == 4).to_numpy()
            elif (present & ~ok).sum() > len(raw) // 100:
                ok = present & raw.str.fullmatch(_INTEGER).to_numpy(dtype=bool)
            values = pd.Series(np.zeros(len(raw), np.int64), index=raw.index)
            try:
                values[ok] = raw[ok].astype(np.int64)
            except (ValueError, OverflowError):
                ok &= raw.str.fullmatch(_INTEGER).to_numpy(dtype=bool)
                values[ok] = raw[ok].astype(np.int64)
        elif kind == "number":
            # Whatever pandas reads as a finite number, Decimal() reads too (after the
            # strip frictionless does); near a bound frictionless decides (see _constraints).
            parsed = pd.to_numeric(raw.where(present, "x"), errors="coerce")
            values = parsed.fillna(0.0).astype(np.float64)
            ok = present & np.isfinite(parsed.to_numpy(dtype=np.float64))
        elif kind == "date":
            # pandas' strptime accepts a subset of what datetime.strptime does, same dates.
            parsed = pd.to_datetime(raw.where(present), format="%Y-%m-%d", errors="coerce")
            ok = present & parsed.notna().to_numpy()
            values = pd.Series(parsed.to_numpy().view(np.int64), index=raw.index)
        else:  # datetime
            ok = present & raw.str.fullmatch(_DATETIME).to_numpy(dtype=bool)
            parsed = pd.to_datetime(raw.where(ok), format="%Y-%m-%dT%H:%M:%S%z",
                                    errors="coerce", utc=True)
            ok &= parsed.notna().to_numpy()
            values = pd.Series(parsed.dt.tz_localize(None).to_numpy().view(np.int64),
                               index=raw.index)
        ok &= self._constraints(raw, values, ok)
        return missing, ok, self._keys(values)

    def _constraints(self, raw: pd.Series, values: Any, ok: np.ndarray) -> np.ndarray:
        passed = np.ones(len(raw), bool)
        c = self.constraints
        kind = self.field.type
        comparable = kind in ("integer", "year", "number", "date")
        if "enum" in c:
            if not comparable and kind not in ("string", "boolean"):
                return np.zeros(len(raw), bool)
            enum = [self._comparable(self.read_value(v)) for v in c["enum"]]
            passed &= (raw if kind in ("string", "boolean") else values).isin(
                enum if kind != "boolean" else [str(v) for v in c["enum"]]).to_numpy()
        if "pattern" in c:
            passed &= raw.str.fullmatch(c["pattern"]).to_numpy(dtype=bool)
        if "minLength" in c:
            passed &= (raw.str.len() >= c["minLength"]).to_numpy()
        if "maxLength" in c:
            passed &= (raw.str.len() <= c["maxLength"]).to_numpy()
        for name, fails in _BOUNDS.items():
            if name not in c:
                continue
            if not comparable:
                return np.zeros(len(raw), bool)
            try:
                bound = float(self._comparable(self.read_value(c[name])))
            except (TypeError, ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
                return np.zeros(len(raw), bool)
            # Values at or within a hair of the bound are left to frictionless: exclusive
            # bounds, and decimals that round to the bound as binary floats.
            tolerance = max(abs(bound), 1.0) * 1e-12
            shifted = bound + tolerance if name.endswith("inimum") else bound - tolerance
            passed &= ~fails(values.to_numpy(dtype=np.float64), shifted)
        return passed

    def _comparable(self, value: Any) -> Any:
        """A constraint value as the vectorised column holds it (dates as ns)."""
        if self.field.type == "date" and value is not None:
            return pd.Timestamp(value).value
        return value

    def _keys(self, values: Any) -> Any:
        if self.field.type in ("integer", "year", "number", "date", "datetime"):
            return values.to_numpy(dtype=np.float64 if self.field.type == "number" else np.int64)
        if self.field.type == "boolean":
            return values.to_numpy(dtype=np.int64)
        return values.to_numpy(dtype=object)

    def key_of(self, value: Any) -> Any:
        """The key of a value frictionless read (for rows checked one by one)."""
        kind = self.field.type
        if value is None:
            return None
        if kind == "number":
            return float(value)
        if kind in ("integer", "year"):
            return int(value) if -2**63 <= int(value) < 2**63 else str(value)
        if kind == "boolean":
            return int(bool(value))
        if kind == "date":
            try:
                return pd.Timestamp(value).value
            except pd.errors.OutOfBoundsDatetime:
                return value.isoformat()
        if kind == "datetime":
            return pd.Timestamp(value).value
        return value


def _hash(keys: np.ndarray) -> np.ndarray:
    return pd.util.hash_array(keys, categorize=False)


class _Duplicates:
    """Finds repeated keys over the whole file with bounded memory: (hash, row) pairs go
    to bucket files by the hash's top bits, and each bucket is sorted alone at the end.
    A duplicate is reported at its later row, naming the previous row with that key, as
    frictionless does. Two different values with the same 64-bit hash would be reported
    as equal; for 10⁸ rows the chance is below 10⁻³."""

    def __init__(self, directory: Path, name: str) -> None:
        self.handles = [(directory / f"{name}.{b}").open("wb") for b in range(BUCKETS)]

    def add(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        if not len(hashes):
            return
        bucket = (hashes >> np.uint64(58)).astype(np.int64)
        order = np.argsort(bucket, kind="stable")
        pairs = np.empty((len(hashes), 2), np.uint64)
        pairs[:, 0] = hashes[order]
        pairs[:, 1] = rows[order].astype(np.uint64)
        bounds = np.searchsorted(bucket[order], np.arange(BUCKETS + 1))
        for b in range(BUCKETS):
            if bounds[b] < bounds[b + 1]:
                self.handles[b].write(pairs[bounds[b]:bounds[b + 1]].tobytes())

    def found(self) -> Iterator[tuple[int, int]]:
        """(row, previous row) of every repeated key."""
        for handle in self.handles:
            handle.close()
            pairs = np.fromfile(handle.name, dtype=np.uint64).reshape(-1, 2)
            os.unlink(handle.name)
            if not len(pairs):
                continue
            order = np.lexsort((pairs[:, 1], pairs[:, 0]))
            pairs = pairs[order]
            repeat = np.flatnonzero(pairs[1:, 0] == pairs[:-1, 0]) + 1
            for index in repeat:
                yield int(pairs[index, 1]), int(pairs[index - 1, 1])


class _Vectorised:
    def __init__(self, schema: frictionless.Schema, checks: list[credit_code.credit_code_checksum],
                 max_errors: int) -> None:
        self.schema = schema
        self.max_errors = max_errors
        missing = list(schema.missing_values)
        self.checks = checks
        checked = {check.field_name for check in checks}
        self.columns = [_Column(f, missing, f.name in checked) for f in schema.fields]
        self.handlers = create_cell_handlers(list(schema.fields))
        self.primary_key = list(schema.primary_key)
        self.unique = [c for c in self.columns if c.constraints.get("unique")]
        self.by_name = {c.name: c for c in self.columns}

    def run(self, path: Path, encoding: str, delimiter: str, chunk_rows: int,
            truncated_file: bool) -> Result:
        result = Result(encoding=encoding)
        cell_errors: list[tuple[int, int, int, dict[str, Any]]] = []
        #: cells of rows that may still get a unique or primary-key error
        row_cells: dict[int, list[str]] = {}
        pk_all_none: list[int] = []
        with tempfile.TemporaryDirectory(prefix="shanghai-validation-") as tmp:
            unique = {c.name: _Duplicates(Path(tmp), f"u{i}") for i, c in enumerate(self.unique)}
            primary = _Duplicates(Path(tmp), "pk") if self.primary_key else None
            raw = _ShapeCheckingReader(path, delimiter, len(self.schema.fields))
            reader = pd.read_csv(
                io.BufferedReader(raw, 1 << 20), encoding=encoding, sep=delimiter, dtype=str,
                keep_default_na=False, na_filter=False, skip_blank_lines=False,
                chunksize=chunk_rows, engine="c", header=0, names=self.schema.field_names,
                index_col=False)
            row_number = 2
            last_cells: list[str] = []
            for chunk in reader:
                # pandas pads short rows and blank lines with "" (indistinguishable from
                # empty cells); the reader counted the delimiters of every line.
                if raw.irregular:
                    raise _Irregular
                rows = np.arange(row_number, row_number + len(chunk), dtype=np.int64)
                row_number += len(chunk)
                self._chunk(chunk, rows, cell_errors, unique, primary, pk_all_none, row_cells)
                # Each ``Series.str`` accessor and its Series form a reference cycle that
                # only the collector frees; without this, memory grows with the file.
                gc.collect()
                if len(chunk):
                    last_cells = chunk.iloc[-1].tolist()
                if len(cell_errors) >= self.max_errors:
                    result.truncated = True
                    break
            if raw.quoted and not result.truncated and not _regular_by_csv(
                    path, encoding, delimiter, len(self.schema.fields)):
                raise _Irregular
            result.rows = row_number - 2
            if truncated_file and not result.truncated and last_cells:
                self._truncated_last_row(last_cells, result.rows + 1)
            found: list[tuple[int, int, int, dict[str, Any]]] = list(cell_errors)
            for position, (name, finder) in enumerate(unique.items()):
                for row, previous in finder.found():
                    found.append((row, 1, position, {"kind": "unique", "field": name,
                                                     "previous": previous}))
            if primary is not None:
                for row, previous in primary.found():
                    found.append((row, 2, 0, {"kind": "primary", "previous": previous}))
                for row in pk_all_none:
                    found.append((row, 2, 0, {"kind": "primary", "previous": None}))
        found.sort(key=lambda item: item[:3])
        result.errors = self._materialise(found[:self.max_errors], path, encoding, delimiter,
                                          row_cells)
        if len(found) > self.max_errors:
            result.truncated = True
        return result

    def _truncated_last_row(self, cells: list[str], row_number: int) -> None:
        # The last line lacks its line break: if its last cell is also empty or invalid,
        # the file was most likely cut off mid-row.
        row = Row(cells, handlers=self.handlers, row_number=row_number)
        if row.errors:
            raise BadInput(
                f"The file seems truncated: its last line (row {row_number}) ends without a "
                "line break and does not fit the schema.",
                f"文件似乎不完整：最后一行（第 {row_number} 行）没有换行且不符合数据结构。")

    def _chunk(self, chunk: pd.DataFrame, rows: np.ndarray,
               cell_errors: list[tuple[int, int, int, dict[str, Any]]],
               unique: dict[str, _Duplicates], primary: _Duplicates | None,
               pk_all_none: list[int], row_cells: dict[int, list[str]]) -> None:
        suspect = np.zeros(len(chunk), bool)
        keys: dict[str, Any] = {}
        present: dict[str, np.ndarray] = {}
        for column in self.columns:
            missing, ok, column_keys = column.check(chunk[column.name])
            required = column.constraints.get("required") or column.name in self.primary_key
            suspect |= ~missing & ~ok
            if required:
                suspect |= missing
            keys[column.name] = column_keys
            present[column.name] = ~missing
        clean = ~suspect
        for name, finder in unique.items():
            # Missing cells are None to frictionless, and None is never a duplicate.
            counted = clean & present[name]
            finder.add(_hash(keys[name][counted]), rows[counted])
        if primary is not None:
            composite = np.zeros(int(clean.sum()), np.uint64)
            for name in self.primary_key:
                # Combine per-field hashes; the multiplier keeps (a, b) apart from (b, a).
                composite = composite * np.uint64(1000003) ^ _hash(keys[name][clean])
            primary.add(composite, rows[clean])
        for index in np.flatnonzero(suspect):
            cells = chunk.iloc[index].tolist()
            row = Row(cells, handlers=self.handlers, row_number=int(rows[index]))
            for position, error in enumerate(row.errors):
                cell_errors.append((row.row_number, 0, position, error.to_dict()))
            # Our checks come after the row's own (and unique/primary-key) errors, as
            # frictionless' validator runs them.
            position = 0
            for check in self.checks:
                for error in check.validate_row(row):
                    cell_errors.append((row.row_number, 3, position, error.to_dict()))
                    position += 1
            row_cells[row.row_number] = cells
            for name, finder in unique.items():
                key = self.by_name[name].key_of(row[name])
                if key is not None:
                    finder.add(_hash(_as_key_array(key, keys[name])),
                               np.array([row.row_number]))
            if primary is not None:
                values = [row[name] for name in self.primary_key]
                if all(v is None for v in values):
                    pk_all_none.append(row.row_number)
                    continue
                composite = np.zeros(1, np.uint64)
                for name, value in zip(self.primary_key, values, strict=True):
                    key = self.by_name[name].key_of(value)
                    array = _as_key_array(key, keys[name]) if key is not None else \
                        np.array(["\x00none"], dtype=object)
                    composite = composite * np.uint64(1000003) ^ _hash(array)
                primary.add(composite, np.array([row.row_number]))

    def _materialise(self, found: list[tuple[int, int, int, dict[str, Any]]], path: Path,
                     encoding: str, delimiter: str,
                     row_cells: dict[int, list[str]]) -> list[dict[str, Any]]:
        """Frictionless error dicts; unique/primary-key errors need their row's cells,
        read again from the file for the (few) rows not kept."""
        wanted = {row for row, phase, _, _ in found if phase in (1, 2) and row not in row_cells}
        if wanted:
            row_cells.update(self._read_rows(path, encoding, delimiter, wanted))
        errors: list[dict[str, Any]] = []
        for row_number, phase, _, payload in found:
            if phase in (0, 3):  # already frictionless error dicts
                errors.append(payload)
                continue
            row = Row(row_cells[row_number], handlers=self.handlers, row_number=row_number)
            if payload["kind"] == "unique":
                error = ferrors.UniqueError.from_row(
                    row, note=f"the same as in the row at position {payload['previous']}",
                    field_name=payload["field"])
            elif payload["previous"] is None:
                error = ferrors.PrimaryKeyError.from_row(
                    row, note='cells composing the primary keys are all "None"')
            else:
                error = ferrors.PrimaryKeyError.from_row(
                    row, note=f"the same as in the row at position {payload['previous']}")
            errors.append(error.to_dict())
        return errors

    def _read_rows(self, path: Path, encoding: str, delimiter: str,
                   wanted: set[int]) -> dict[int, list[str]]:
        cells: dict[int, list[str]] = {}
        last = max(wanted)
        with path.open(encoding=encoding, newline="") as handle:
            # Plain lines are one row each, and splitting only the wanted ones is fast;
            # a quote may hide a line break inside a cell, so then the csv module counts.
            for row_number, line in enumerate(handle, 1):
                if '"' in line:
                    break
                if row_number in wanted:
                    cells[row_number] = line.rstrip("\r\n").split(delimiter)
                if row_number >= last:
                    return cells
            handle.seek(0)
            cells.clear()
            for row_number, record in enumerate(csv.reader(handle, delimiter=delimiter), 1):
                if row_number in wanted:
                    cells[row_number] = record
                if row_number >= last:
                    break
        return cells


def _as_key_array(key: Any, like: Any) -> np.ndarray:
    dtype = like.dtype if isinstance(like, np.ndarray) else object
    if isinstance(key, str) and dtype is not np.dtype(object):
        dtype = object
    return np.array([key], dtype=dtype)


# ---------------------------------------------------------------------------------
# Frictionless itself


def resource(path: Path, **options: Any) -> frictionless.Resource:
    """A frictionless resource of a local file (frictionless refuses absolute paths
    unless they are split into a base path and a relative one)."""
    return frictionless.Resource(path.name, basepath=str(path.parent), **options)


def _frictionless(path: Path, schema: frictionless.Schema, fmt: str, encoding: str | None,
                  max_errors: int, checks: list[frictionless.Check], delimiter: str = ",",
                  truncated_file: bool = False) -> Result:
    options: dict[str, Any] = {"schema": schema, "format": fmt}
    if encoding:
        options["encoding"] = encoding
    if fmt == "csv":
        options["dialect"] = frictionless.Dialect(
            controls=[frictionless.formats.CsvControl(delimiter=delimiter)])
    report = resource(path, **options).validate(
        frictionless.Checklist(checks=checks), limit_errors=max_errors)
    task = report.tasks[0] if report.tasks else None
    source_errors = [e for e in report.errors + (task.errors if task else [])
                     if e.type in ("source-error", "scheme-error", "format-error",
                                   "encoding-error", "file-error")]
    if source_errors:
        note = source_errors[0].note or source_errors[0].message
        raise BadInput(f"The file cannot be read as {fmt.upper()}: {note}",
                       f"文件无法按 {fmt.upper()} 读取：{note}")
    errors = [e.to_dict() for e in (task.errors if task else report.errors)]
    result = Result(rows=task.stats.get("rows") or 0 if task else 0, errors=errors,
                    engine="frictionless", encoding=encoding, format=fmt,
                    truncated=bool(task and task.warnings))
    if truncated_file and any(
            e.get("rowNumber") == result.rows + 1 and
            e["type"] in ("missing-cell", "type-error", "constraint-error") for e in errors):
        raise BadInput(
            f"The file seems truncated: its last line (row {result.rows + 1}) ends without a "
            "line break and does not fit the schema.",
            f"文件似乎不完整：最后一行（第 {result.rows + 1} 行）没有换行且不符合数据结构。")
    return result
