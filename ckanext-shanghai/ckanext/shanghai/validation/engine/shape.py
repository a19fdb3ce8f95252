"""The shape of a CSV table: a header that is the schema's, and rows of the schema's
width (pure, no CKAN). The vectorised engine reads only tables of this shape; pandas
pads short rows and blank lines silently, so the bytes are checked on their way to it,
and a table of another shape goes to frictionless, which reports it exactly.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np


def header_fits(header: list[str], field_names: list[str]) -> bool:
    """The header names the schema's fields, in order, and at least two: a single
    column has no delimiter to count."""
    return header == field_names and len(header) >= 2


class ShapeCheckingReader(io.RawIOBase):
    """The file's bytes for pandas, counting on the way the delimiters of every line:
    a line with more or fewer than the schema's ``width - 1`` (a ragged row, a blank
    line) makes the table irregular. Quotes may hide delimiters and line breaks, so
    once one is seen the lines are left to :func:`regular_by_csv` after the pass.
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


def regular_by_csv(path: Path, encoding: str, delimiter: str, width: int) -> bool:
    """Every row has ``width`` cells (the slow way, for files with quoted cells)."""
    with path.open(encoding=encoding, newline="") as handle:
        return all(len(row) == width for row in csv.reader(handle, delimiter=delimiter))


class Irregular(Exception):
    """The chunk has ragged or blank rows: only frictionless reports those exactly."""
