"""How much an XLSX or JSON file may unpack to, checked before anything reads it.

An XLSX file is a zip archive: 1 MB of it can inflate to hundreds of MB of sheet XML,
which openpyxl would read for minutes with memory to match (a zip bomb). JSON is read
whole into memory. So, before validation reads a file:

* XLSX: the uncompressed size of all its parts, as the zip's directory declares them
  (Python's zipfile never inflates a member past its declared size), and the rows its
  sheets declare (``<dimension ref="A1:J5000"/>`` at the start of each sheet's XML);
* JSON: its size.

Over a limit, :func:`check` raises :class:`~ckanext.shanghai.validation.engine.BadInput`
naming the limit, which the report shows as its message.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import ckan.plugins.toolkit as tk

from .engine import BadInput

#: Bytes at the start of a sheet's XML that hold its ``<dimension>`` element.
_HEAD_BYTES = 4096
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*(\d*)(?::[A-Z]+(\d+))?"')


def check(path: Path, fmt: str) -> None:
    """Refuse (BadInput) an XLSX or JSON file over the configured limits."""
    if fmt == "xlsx" and zipfile.is_zipfile(path):
        _check_xlsx(path)
    elif fmt == "json":
        limit = tk.config.get("ckanext.shanghai.validation.max_json_mb")
        size = path.stat().st_size
        if size > limit * 2**20:
            raise BadInput(
                f"The JSON file is {size / 2**20:.1f} MB, over the limit of {limit} MB for "
                "validating JSON (it is read whole).",
                f"JSON 文件大小 {size / 2**20:.1f} MB，超过 JSON 校验上限 {limit} MB（需整体读入）。")


def _check_xlsx(path: Path) -> None:
    size_limit = tk.config.get("ckanext.shanghai.validation.max_xlsx_unpacked_mb")
    row_limit = tk.config.get("ckanext.shanghai.validation.max_xlsx_rows")
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        if unpacked > size_limit * 2**20:
            raise BadInput(
                f"The XLSX file unpacks to {unpacked / 2**20:.0f} MB, over the limit of "
                f"{size_limit} MB: it was not read.",
                f"XLSX 文件解压后为 {unpacked / 2**20:.0f} MB，超过上限 {size_limit} MB，未读取。")
        for member in members:
            if not (member.filename.startswith("xl/worksheets/")
                    and member.filename.endswith(".xml")):
                continue
            with archive.open(member) as sheet:
                found = _DIMENSION.search(sheet.read(_HEAD_BYTES))
            rows = int(found.group(2) or found.group(1) or 0) if found else 0
            if rows > row_limit:
                raise BadInput(
                    f"The XLSX sheet {member.filename} declares {rows} rows, over the limit "
                    f"of {row_limit}: it was not read.",
                    f"XLSX 工作表 {member.filename} 声明有 {rows} 行，超过上限 {row_limit} 行，未读取。")
