"""Workbooks as grids of cell values, whatever the file format: .xlsx or legacy .xls.

:func:`open_workbook` decides the format by the file's first bytes, not its name
(departments rename files, and government systems save HTML pages as ``.xls``):
a zip (``PK``) is read with openpyxl's read-only mode, an OLE2 compound document
(``D0 CF 11 E0``, Excel 97–2003 BIFF8) with xlrd; anything else is a
:class:`CatalogueReadError` that says what the file looks like instead.

Both give each sheet as a :class:`Grid`: its title and rows of plain values, the
way openpyxl's ``values_only`` rows come (``None`` for an empty cell, ``str``,
``int``/``float``, ``bool``, ``datetime``/``time`` for date-formatted cells, the
error text such as ``#N/A``). A merged range holds its value in its top-left cell
only, in both formats, which is what the layout logic in :mod:`.spreadsheet`
expects; so xlrd needs no ``formatting_info`` (which would load every cell's
formatting as well).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .entry import CatalogueReadError

if TYPE_CHECKING:
    import xlrd

__all__ = ["Grid", "Row", "open_workbook", "sniff"]

Row = Sequence[Any]

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SNIFF_BYTES = 2048


@dataclass(frozen=True)
class Grid:
    """One worksheet: ``rows()`` starts a fresh pass over its rows, from row 1
    (empty rows included, so that a row's position is its number in the file)."""

    title: str
    rows: Callable[[], Iterator[Row]]


def sniff(head: bytes) -> str:
    """``xlsx``, ``xls``, or what the bytes are instead: ``empty``, ``html``,
    ``xml`` (e.g. "XML Spreadsheet 2003") or ``unknown``."""
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if not head.strip():
        return "empty"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1")
    text = text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    if text.startswith("<?xml") and "<html" not in text:
        return "xml"
    if text.startswith("<") and any(tag in text for tag in ("<html", "<!doctype html", "<table", "<meta", "<head")):
        return "html"
    return "unknown"


_NOT_A_WORKBOOK = {
    "empty": ("文件为空，不是所需的 Excel 工作簿（.xlsx 或 .xls）",
              "an empty file, not the Excel workbook (.xlsx or .xls) expected"),
    "html": ("是网页（HTML），不是所需的 Excel 工作簿（.xlsx 或 .xls）；业务系统导出的“xls”常是网页，"
             "请在 Excel 中打开后另存为 .xlsx",
             "an HTML page, not the Excel workbook (.xlsx or .xls) expected; systems often export "
             "HTML as “.xls”: open it in Excel and save it as .xlsx"),
    "xml": ("是 XML 文件（如“XML 电子表格 2003”），不是所需的 Excel 工作簿（.xlsx 或 .xls）；"
            "请在 Excel 中打开后另存为 .xlsx",
            "an XML file (such as XML Spreadsheet 2003), not the Excel workbook (.xlsx or .xls) "
            "expected: open it in Excel and save it as .xlsx"),
    "unknown": ("不是 Excel 工作簿（需要 .xlsx 的 zip 格式或 .xls 的 OLE2 格式）",
                "not an Excel workbook (expected .xlsx, a zip file, or .xls, an OLE2 file)"),
}


@contextmanager
def open_workbook(path: Path, label: str) -> Iterator[list[Grid]]:
    """The sheets of the workbook at ``path`` (named ``label`` in messages), in
    workbook order; the file is closed when the ``with`` block ends."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as e:
        raise CatalogueReadError(label, f"无法打开文件：{e.strerror}", f"cannot open the file: {e.strerror}") from e
    kind = sniff(head)
    if kind == "xlsx":
        with _xlsx(path, label) as grids:
            yield grids
    elif kind == "xls":
        with _xls(path, label) as grids:
            yield grids
    else:
        zh, en = _NOT_A_WORKBOOK[kind]
        raise CatalogueReadError(label, zh, en)


def _unopenable(label: str, kind: str, error: Exception) -> CatalogueReadError:
    return CatalogueReadError(label, f"无法作为 {kind} 工作簿打开：{error}",
                              f"cannot be opened as an {kind} workbook: {error}")


@contextmanager
def _xlsx(path: Path, label: str) -> Iterator[list[Grid]]:
    import openpyxl  # noqa: PLC0415  (loaded at first use: start-up, see stack/warmup.py)

    # A stream, not the path: openpyxl refuses names that do not end in .xlsx/.xlsm.
    with path.open("rb") as stream:
        try:
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises zipfile, KeyError, InvalidFileException …
            raise _unopenable(label, "xlsx", e) from e
        try:
            yield [Grid(sheet.title, partial(sheet.iter_rows, values_only=True)) for sheet in book.worksheets]
        finally:
            book.close()


@contextmanager
def _xls(path: Path, label: str) -> Iterator[list[Grid]]:
    import xlrd  # noqa: PLC0415  (loaded at first use: start-up, see stack/warmup.py)

    try:
        # on_demand: a sheet is parsed when it is read, not all of them at open time.
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as e:  # xlrd raises XLRDError, CompDocError, struct.error …
        raise _unopenable(label, "xls", e) from e
    try:
        yield [Grid(name, partial(_xls_rows, book, index)) for index, name in enumerate(book.sheet_names())]
    finally:
        book.release_resources()


def _xls_rows(book: xlrd.book.Book, index: int) -> Iterator[Row]:
    # One parsed sheet at a time (a pass already under way keeps its own sheet).
    for other in range(book.nsheets):
        if other != index and book.sheet_loaded(other):
            book.unload_sheet(other)
    sheet = book.sheet_by_index(index)
    convert = partial(_xls_value, datemode=book.datemode)
    for r in range(sheet.nrows):
        yield [convert(cell) for cell in sheet.row(r)]


def _xls_value(cell: xlrd.sheet.Cell, datemode: int) -> Any:
    """A cell's value as openpyxl gives it: dates (numbers in a date format,
    counted from the workbook's 1900 or 1904 epoch) become ``datetime``, or ``time``
    when there is no day part; booleans ``bool``; errors their text."""
    import xlrd  # noqa: PLC0415  (loaded at first use: start-up, see stack/warmup.py)

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError):
            return value  # out of any calendar: the number as written
        return moment.time() if 0 <= value < 1 else moment
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.biffh.error_text_from_code.get(value, "#ERROR!")
    return value

