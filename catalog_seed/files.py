"""The seed's data files (CSV, XLSX), written byte-identically on every run."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

__all__ = ["SeedFile"]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    return str(value)


PINNED_ZIP_TIME = (2016, 12, 31, 0, 0, 0)
PINNED_DOC_TIME = dt.datetime(2016, 12, 31)


def _pin_xlsx(data: bytes) -> bytes:
    """Re-zip an openpyxl workbook with fixed timestamps so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2016-12-31T00:00:00Z", content)
            pinned = zipfile.ZipInfo(info.filename, date_time=PINNED_ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(pinned, content)
    return output.getvalue()


@dataclass(frozen=True)
class SeedFile:
    """One data file of a seed dataset and its CKAN resource dict (with its Table Schema)."""

    filename: str
    format: str  # "CSV" or "XLSX"
    resource: dict[str, Any]
    _rows: tuple[dict[str, Any], ...] = field(repr=False, compare=False)
    #: the validation outcome the file must have: status and error types (build.PLANTED)
    expected: dict[str, Any] = field(default_factory=lambda: {"status": "success", "errors": []})

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.resource["schema"]["fields"]]

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def rows(self) -> list[dict[str, Any]]:
        """The data rows as typed Python values (str, int, float, bool, date, datetime, None)."""
        return [dict(row) for row in self._rows]

    def write(self, directory: Path) -> Path:
        """Write the file into ``directory`` (created if needed); same bytes on every run."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / self.filename
        path.write_bytes(self._xlsx_bytes() if self.format == "XLSX" else self._csv_bytes())
        return path

    def _csv_bytes(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.field_names)
        writer.writerows([_cell_text(row[name]) for name in self.field_names] for row in self._rows)
        return buffer.getvalue().encode("utf-8")

    def _xlsx_bytes(self) -> bytes:
        workbook = openpyxl.Workbook()
        workbook.properties.created = PINNED_DOC_TIME
        sheet = workbook.active
        sheet.title = "data"
        sheet.append(self.field_names)
        for row in self._rows:
            sheet.append([row[name] for name in self.field_names])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return _pin_xlsx(buffer.getvalue())
