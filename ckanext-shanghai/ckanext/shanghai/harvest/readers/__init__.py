"""Readers of department catalogues: pure Python, no CKAN.

Each reader yields :class:`CatalogueEntry` objects one at a time with their
:class:`Location`; a source that cannot be read at all raises
:class:`CatalogueReadError`. :func:`read` picks the reader for a source config.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .api import ApiReader
from .delimited import read_csv
from .entry import CatalogueEntry, CatalogueReadError, DataItem, Location, ReadProblem
from .spreadsheet import read_spreadsheet

__all__ = ["ApiReader", "CatalogueEntry", "CatalogueReadError", "DataItem", "Location",
           "ReadProblem", "FORMATS", "read", "read_csv", "read_spreadsheet"]

#: ``xlsx`` and ``xls`` both mean "an Excel workbook": which of the two a file is
#: is told by its content (departments rename files), so either name reads both.
FORMATS = ("xlsx", "xls", "csv", "api")


def read(format: str, location: str | Path, *, token: str | None = None,
         validators: dict[str, str] | None = None) -> Iterable[CatalogueEntry]:
    """The entries of one source: ``format`` is ``xlsx`` or ``xls`` (a workbook of
    either kind), ``csv`` or ``api``; ``location`` a file path or the API's URL."""
    if format in ("xlsx", "xls"):
        return read_spreadsheet(location)
    if format == "csv":
        return read_csv(location)
    if format == "api":
        return ApiReader(str(location), token=token, validators=dict(validators or {}))
    raise CatalogueReadError(str(location), f"未知的目录格式“{format}”（可选：{', '.join(FORMATS)}）",
                             f"unknown catalogue format {format!r} (one of {', '.join(FORMATS)})")
