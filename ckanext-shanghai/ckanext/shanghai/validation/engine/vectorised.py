"""The vectorised engine, for CSV (pure, no CKAN): pandas reads the file in chunks of
raw strings and each column is checked with vectorised operations (:mod:`.columns`). A
row with any cell not surely valid is handed to frictionless' own ``Row``, which
produces the exact errors and values, so the error list is frictionless', in its order.
Repeated keys are found over the whole file by :mod:`.duplicates`.
"""
from __future__ import annotations

import csv
import gc
import io
import tempfile
import warnings
from pathlib import Path
from typing import Any

import frictionless
import numpy as np
import pandas as pd
from frictionless import errors as ferrors
from frictionless.table.row import Row, create_cell_handlers

from ..checks import credit_code_checksum
from .columns import Column
from .duplicates import Duplicates, as_key_array, combine, hash_keys
from .result import BadInput, Result
from .shape import Irregular, ShapeCheckingReader, regular_by_csv

#: A chunk of the CSV holds about this many bytes of text (rows = this ÷ mean line length).
CHUNK_BYTES = 16 << 20

# pandas warns of extra cells in the first row, which ShapeCheckingReader catches anyway.
warnings.filterwarnings("ignore", message="Length of header or names does not match",
                        category=pd.errors.ParserWarning)


def _key_errors(unique: dict[str, Duplicates], primary: Duplicates | None,
                pk_all_none: list[int]) -> list[tuple[int, int, int, dict[str, Any]]]:
    """The repeated unique and primary keys the finders found over the whole file, in
    the sortable form of the cell errors (phase 1 unique, 2 primary key)."""
    found: list[tuple[int, int, int, dict[str, Any]]] = []
    for position, (name, finder) in enumerate(unique.items()):
        for row, previous in finder.found():
            found.append((row, 1, position, {"kind": "unique", "field": name,
                                             "previous": previous}))
    if primary is not None:
        for row, previous in primary.found():
            found.append((row, 2, 0, {"kind": "primary", "previous": previous}))
        for row in pk_all_none:
            found.append((row, 2, 0, {"kind": "primary", "previous": None}))
    return found


def rows_per_chunk(lines: int, sample_bytes: int) -> int:
    """Rows in a chunk of about :data:`CHUNK_BYTES`, from a sample of ``sample_bytes``
    holding ``lines`` line breaks."""
    return max(1000, CHUNK_BYTES * lines // max(1, sample_bytes))


class Vectorised:
    """Validates a CSV file whose header is the schema's; raises :class:`~.shape.Irregular`
    (or pandas' ``ParserError``) when its rows turn out not to be of the schema's width."""

    def __init__(self, schema: frictionless.Schema, checks: list[credit_code_checksum],
                 max_errors: int) -> None:
        self.schema = schema
        self.max_errors = max_errors
        missing = list(schema.missing_values)
        self.checks = checks
        checked = {check.field_name for check in checks}
        self.columns = [Column(f, missing, f.name in checked) for f in schema.fields]
        self.handlers = create_cell_handlers(list(schema.fields))
        self.primary_key = list(schema.primary_key)
        self.unique = [c for c in self.columns if c.constraints.get("unique")]
        self.field_names = list(schema.field_names)
        self.by_name = {c.name: c for c in self.columns}
        #: the fields of a unique or primary key, whose keys the finders hash
        self.key_columns = [c.name for c in self.unique] + self.primary_key

    def run(self, path: Path, encoding: str, delimiter: str, chunk_rows: int,
            truncated_file: bool) -> Result:
        result = Result(encoding=encoding)
        cell_errors: list[tuple[int, int, int, dict[str, Any]]] = []
        self.error_count = 0
        #: cells of rows that may still get a unique or primary-key error
        row_cells: dict[int, list[str]] = {}
        pk_all_none: list[int] = []
        with tempfile.TemporaryDirectory(prefix="shanghai-validation-") as tmp:
            unique = {c.name: Duplicates(Path(tmp), f"u{i}") for i, c in enumerate(self.unique)}
            primary = Duplicates(Path(tmp), "pk") if self.primary_key else None
            raw = ShapeCheckingReader(path, delimiter, len(self.schema.fields))
            reader = pd.read_csv(
                io.BufferedReader(raw, 1 << 20), encoding=encoding, sep=delimiter, dtype=str,
                keep_default_na=False, na_filter=False, skip_blank_lines=False,
                chunksize=chunk_rows, engine="c", header=0, names=self.schema.field_names,
                index_col=False)
            row_number = 2
            last_cells: list[str] = []
            for chunk in reader:
                if row_number > 2:
                    # Each ``Series.str`` accessor and its Series form a reference cycle
                    # that only the collector frees; without this, memory grows with the
                    # file. Only between chunks: in a warm worker's large heap a full
                    # collection costs more than checking a small file.
                    gc.collect()
                # pandas pads short rows and blank lines with "" (indistinguishable from
                # empty cells); the reader counted the delimiters of every line.
                if raw.irregular:
                    raise Irregular
                rows = np.arange(row_number, row_number + len(chunk), dtype=np.int64)
                row_number += len(chunk)
                self._chunk(chunk, rows, cell_errors, unique, primary, pk_all_none, row_cells)
                if len(chunk):
                    last_cells = chunk.iloc[-1].tolist()
                if self.error_count >= self.max_errors:
                    result.truncated = True
                    break
            if raw.quoted and not result.truncated and not regular_by_csv(
                    path, encoding, delimiter, len(self.schema.fields)):
                raise Irregular
            result.rows = row_number - 2
            if truncated_file and not result.truncated and last_cells:
                self._truncated_last_row(last_cells, result.rows + 1)
            found = cell_errors + _key_errors(unique, primary, pk_all_none)
        found.sort(key=lambda item: item[:3])
        kept, more = self._first_errors(found)
        result.errors = self._materialise(kept, path, encoding, delimiter,
                                          row_cells)[:self.max_errors]
        if more:
            result.truncated = True
        return result

    def _first_errors(self, found: list[tuple[int, int, int, dict[str, Any]]]
                      ) -> tuple[list[tuple[int, int, int, dict[str, Any]]], bool]:
        """The sorted entries that hold the first ``max_errors`` errors, and whether
        there are more errors than that."""
        total = 0
        for index, (_, phase, _, payload) in enumerate(found):
            total += sum(map(len, payload["fields"].values())) if phase == 0 else 1
            if total >= self.max_errors:
                return found[:index + 1], total > self.max_errors or index + 1 < len(found)
        return found, False

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
               unique: dict[str, Duplicates], primary: Duplicates | None,
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
        if present and not np.logical_or.reduce(list(present.values())).all():
            # A row of missing values only ("," say) is a blank row to frictionless,
            # reported alone for its row: only frictionless reports that exactly.
            raise Irregular
        for name in self.key_columns:
            # A type the vectorised engine does not read (yearmonth, time, ...) has no
            # keys: none of its present cells is accepted, so every row with one is
            # suspect and frictionless' Row reads its key; the clean rows have none.
            if keys[name] is None:
                keys[name] = np.full(len(chunk), None, dtype=object)
        clean = ~suspect
        for name, finder in unique.items():
            # Missing cells are None to frictionless, and None is never a duplicate.
            counted = clean & present[name]
            finder.add(hash_keys(keys[name][counted]), rows[counted])
        if primary is not None:
            composite = np.zeros(int(clean.sum()), np.uint64)
            for name in self.primary_key:
                composite = combine(composite, hash_keys(keys[name][clean]))
            primary.add(composite, rows[clean])
        for index in np.flatnonzero(suspect):
            cells = chunk.iloc[index].tolist()
            row = Row(cells, handlers=self.handlers, row_number=int(rows[index]))
            row_cells[row.row_number] = cells
            self._suspect_row(row, keys, cell_errors, unique, primary, pk_all_none)

    def _suspect_row(self, row: Row, keys: dict[str, Any],
                     cell_errors: list[tuple[int, int, int, dict[str, Any]]],
                     unique: dict[str, Duplicates], primary: Duplicates | None,
                     pk_all_none: list[int]) -> None:
        """A row the vectorised checks could not clear, checked by frictionless' own
        ``Row``: its errors by field (ordered once its key errors are known, see
        :meth:`_access_order`), then its keys for the unique and primary-key finders."""
        by_field: dict[str, list[dict[str, Any]]] = {}
        for error in row.errors:
            described = error.to_dict()
            by_field.setdefault(described.get("fieldName") or "", []).append(described)
        if by_field:
            cell_errors.append((row.row_number, 0, 0, {"fields": by_field}))
            self.error_count += len(row.errors)
        # Our checks come after the row's own (and unique/primary-key) errors, as
        # frictionless' validator runs them.
        position = 0
        for check in self.checks:
            for error in check.validate_row(row):
                cell_errors.append((row.row_number, 3, position, error.to_dict()))
                position += 1
        for name, finder in unique.items():
            key = self.by_name[name].key_of(row[name])
            if key is not None:
                finder.add(hash_keys(as_key_array(key, keys[name])),
                           np.array([row.row_number]))
        if primary is None:
            return
        values = [row[name] for name in self.primary_key]
        if all(v is None for v in values):
            pk_all_none.append(row.row_number)
            return
        composite = np.zeros(1, np.uint64)
        for name, value in zip(self.primary_key, values, strict=True):
            key = self.by_name[name].key_of(value)
            array = as_key_array(key, keys[name]) if key is not None else \
                np.array(["\x00none"], dtype=object)
            composite = combine(composite, hash_keys(array))
        primary.add(composite, np.array([row.row_number]))

    def _materialise(self, found: list[tuple[int, int, int, dict[str, Any]]], path: Path,
                     encoding: str, delimiter: str,
                     row_cells: dict[int, list[str]]) -> list[dict[str, Any]]:
        """Frictionless error dicts; unique/primary-key errors need their row's cells,
        read again from the file for the (few) rows not kept."""
        wanted = {row for row, phase, _, _ in found if phase in (1, 2) and row not in row_cells}
        if wanted:
            row_cells.update(self._read_rows(path, encoding, delimiter, wanted))
        repeated: dict[int, set[str]] = {}
        for row_number, phase, _, payload in found:
            if phase == 1:
                repeated.setdefault(row_number, set()).add(payload["field"])
        errors: list[dict[str, Any]] = []
        for row_number, phase, _, payload in found:
            if phase == 0:
                for name in self._access_order(repeated.get(row_number, set())):
                    errors.extend(payload["fields"].get(name, ()))
                continue
            if phase == 3:  # already a frictionless error dict
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

    def _access_order(self, repeated: set[str]) -> list[str]:
        """The order in which frictionless' row stream reads a row's fields, which is
        the order of their errors: each unique field (``row[name]``) until the first
        whose value repeats (its error asks for ``row.errors``, which reads all the
        rest), else the primary key's fields next; then the rest in schema order, and
        extra cells ("") last."""
        first: list[str] = []
        for column in self.unique:
            first.append(column.name)
            if column.name in repeated:
                break
        else:
            first += [name for name in self.primary_key if name not in first]
        return first + [name for name in self.field_names if name not in first] + [""]

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
