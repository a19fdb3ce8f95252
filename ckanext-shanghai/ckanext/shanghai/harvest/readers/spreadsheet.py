"""Spreadsheet catalogues (.xlsx and legacy .xls), in the two layouts departments use.

*Row per entry*: a sheet whose header row names the entry fields (信息资源代码,
信息资源名称 …), one entry per row below it, and optionally a data-items sheet
(信息资源代码, 信息项名称, 数据类型, 长度) joined on the code.

*Sheet per entry*: label/value pairs at the top of the sheet (信息资源名称 | 公交线路
…), then a data-items table headed 信息项名称 | 数据类型 | 长度.

Headers may sit under merged group headers ("基本信息" over several columns) or in a
cell merged over two header rows; a merged cell's value is in its top-left cell only
(see :mod:`.workbook`), so each column takes the lowest header cell above the data
that names a known field. The layout logic sees sheets as :class:`~.workbook.Grid`
rows, the same for both file formats: .xlsx rows stream from openpyxl's read-only
mode, .xls sheets are parsed one at a time by xlrd. Only the data-items sheet of one
file is held in memory as entries (a department's, not the city's).
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from .entry import CatalogueEntry, CatalogueReadError, DataItem, Location
from .headers import canonical, canonical_item, clean
from .workbook import Grid, Row, open_workbook

__all__ = ["read_spreadsheet"]

HEADER_SCAN_ROWS = 10


def _header(rows: list[Row], lookup: Any, required: set[str]) -> tuple[int, list[str | None]] | None:
    """The header row (0-based index into ``rows``) and each column's field, or
    ``None`` when no row names all of ``required``.

    A header row names at least as many fields as ``required`` has, and most of its
    cells are known headers: a row of label/value pairs (the sheet-per-entry
    layout) is half values, so it is not taken for a table header.
    """
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows):
        hits = sum(1 for cell in row if lookup(cell))
        filled = sum(1 for cell in row if clean(cell))
        if hits >= max(3, len(required)) and hits * 3 >= filled * 2 and (best is None or hits > best[1]):
            best = (index, hits)
    if best is None:
        return None
    index = best[0]
    width = max(len(r) for r in rows[: index + 1])
    columns: list[str | None] = []
    for c in range(width):
        # Bottom-up: a cell merged over two header rows holds its text in the upper one.
        found = None
        for r in range(index, -1, -1):
            row = rows[r]
            if c < len(row) and lookup(row[c]):
                found = lookup(row[c])
                break
        columns.append(found)
    if not required <= set(columns):
        return None
    return index, columns


def _read_items_sheet(sheet: Grid) -> dict[str, list[DataItem]] | None:
    rows = sheet.rows()
    head = list(islice(rows, HEADER_SCAN_ROWS))
    found = _header(head, canonical_item, {"code", "name", "data_type"})
    if found is None:
        return None
    index, columns = found
    items: dict[str, list[DataItem]] = {}
    for row in [*head[index + 1:], *rows]:
        values = {key: clean(cell) for key, cell in zip(columns, row, strict=False) if key}
        if not values.get("code") or not values.get("name"):
            continue
        items.setdefault(values["code"], []).append(DataItem(
            values["name"], values.get("data_type", ""), values.get("length", ""),
            values.get("description", "")))
    return items


def _entries_of_table(label: str, sheet: Grid, items: dict[str, list[DataItem]]) -> Iterator[CatalogueEntry]:
    rows = sheet.rows()
    head = list(islice(rows, HEADER_SCAN_ROWS))
    found = _header(head, canonical, {"code", "name"})
    assert found is not None  # checked by the caller
    index, columns = found
    for number, row in enumerate([*head[index + 1:], *rows], index + 2):
        if not any(clean(cell) for cell in row):
            continue
        fields = {key: clean(cell) for key, cell in zip(columns, row, strict=False) if key}
        entry = CatalogueEntry(fields=fields, location=Location(label, sheet.title, number))
        entry.data_items = list(items.get(entry.code, ()))
        yield entry


def _entry_of_sheet(label: str, sheet: Grid) -> CatalogueEntry | None:
    """A sheet-per-entry sheet, or ``None`` if the sheet is not one."""
    fields: dict[str, str] = {}
    item_columns: list[str | None] | None = None
    data_items: list[DataItem] = []
    for row in sheet.rows():
        if item_columns is not None:
            values = {key: clean(cell) for key, cell in zip(item_columns, row, strict=False) if key}
            if not values.get("name"):
                if data_items:
                    break  # the table ends at its first empty row
                continue
            data_items.append(DataItem(values["name"], values.get("data_type", ""),
                                       values.get("length", ""), values.get("description", "")))
            continue
        item_header = [canonical_item(cell) for cell in row]
        if "name" in item_header and "data_type" in item_header:
            item_columns = item_header
            continue
        # Label cells and their values; a value merged over several cells sits in the first.
        label_key: str | None = None
        for cell in row:
            key = canonical(cell)
            if key:
                label_key = key
                fields.setdefault(key, "")
            elif label_key and clean(cell) and not fields[label_key]:
                fields[label_key] = clean(cell)
    if "name" not in fields and "code" not in fields:
        return None
    return CatalogueEntry(fields=fields, location=Location(label, sheet.title, None), data_items=data_items)


def read_spreadsheet(path: str | Path, *, source: str | None = None) -> Iterator[CatalogueEntry]:
    """Entries of an .xlsx or .xls catalogue in either layout, one at a time; the
    file's format is told by its content, not its name.

    Raises :class:`CatalogueReadError` when the file is not a workbook (an HTML page
    saved as ".xls", say), cannot be opened, or holds no sheet of either layout.
    """
    path = Path(path)
    label = source or path.name
    with open_workbook(path, label) as sheets:
        items: dict[str, list[DataItem]] = {}
        table_sheets = []
        other_sheets = []
        for sheet in sheets:
            found_items = _read_items_sheet(sheet)
            if found_items is not None:
                items.update(found_items)
                continue
            if _header(list(islice(sheet.rows(), HEADER_SCAN_ROWS)), canonical, {"code", "name"}) is not None:
                table_sheets.append(sheet)
            else:
                other_sheets.append(sheet)
        yielded = False
        for sheet in table_sheets:
            for entry in _entries_of_table(label, sheet, items):
                yielded = True
                yield entry
        if not table_sheets:
            for sheet in other_sheets:
                sheet_entry = _entry_of_sheet(label, sheet)
                if sheet_entry is not None:
                    yielded = True
                    yield sheet_entry
        if not yielded and not table_sheets:
            raise CatalogueReadError(label, "未找到目录表（表头需含“信息资源代码”“信息资源名称”）",
                                     "no catalogue sheet (a header with 信息资源代码 and 信息资源名称)")
