"""What a file is before it is read as a table: its format, size, encoding and, for
CSV, its delimiter and header (pure, no CKAN).

Bad input (empty, binary, wrong encoding, an endless first line, too big) raises
:class:`~.result.BadInput` with a message that says what is wrong.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from .result import BadInput

#: Bytes read to detect encoding, dialect and header.
SAMPLE_BYTES = 1 << 20

TABULAR_FORMATS = ("csv", "xlsx", "json")


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


@dataclass
class Dialect:
    """How a CSV file is written, from its first bytes."""

    delimiter: str
    header: list[str]
    #: line breaks in the sample (at least 1), for the mean length of a line
    lines: int


def sniff_csv(sample: bytes, encoding: str, size: int, max_line_bytes: int) -> Dialect:
    """The delimiter and header of a CSV file of ``size`` bytes from its first bytes;
    BadInput if the first line is longer than ``max_line_bytes``."""
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
    return Dialect(delimiter, header, max(1, text.count("\n")))


def ends_without_newline(path: Path) -> bool:
    """The file's last byte is not a line break (it may have been cut off)."""
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) not in (b"\n", b"\r")
