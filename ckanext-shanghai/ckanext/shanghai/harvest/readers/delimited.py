"""CSV catalogues: one row per entry, the data items inline in one column.

Encoding is detected, not assumed. We try-decode in a fixed order — UTF-8 (a BOM
is dropped) and then GB18030 — instead of asking charset-normalizer: GB18030 is a
superset of GBK and GB2312, so those two cover everything departments export, and a
statistical detector misjudges short Chinese files (GBK read as Big5 or
windows-1252) while strict UTF-8 decoding of GBK text fails almost at once.
Detection looks at the first MiB; a line that does not decode in the detected
encoding is tried in the other one, and if neither fits the entry is still yielded
with an ``undecodable_bytes`` problem, so one damaged line costs one entry.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from .entry import CatalogueEntry, CatalogueReadError, DataItem, Location, ReadProblem
from .headers import canonical, clean

ENCODINGS = ("utf-8", "gb18030")
SAMPLE_BYTES = 1 << 20
BOM = b"\xef\xbb\xbf"

#: Inline data items: "名称:类型[:长度]" separated by semicolons (either width).
_ITEM_SEPARATOR = re.compile(r"[;；\n]")
_PART_SEPARATOR = re.compile(r"[:：|｜]")


def detect_encoding(sample: bytes) -> str:
    """``utf-8`` or ``gb18030``: the one in which most lines of ``sample`` decode
    strictly (UTF-8 first on a tie), so that one damaged line does not decide.

    The sample is cut at its last newline so that a multi-byte character split by
    the cut does not count against an encoding. ``ValueError`` when more than half
    the lines decode in neither (not a text file of ours).
    """
    if sample.startswith(BOM):
        return "utf-8"
    cut = sample.rfind(b"\n")
    if cut > 0:
        sample = sample[:cut]
    lines = sample.split(b"\n")
    failures = {}
    for encoding in ENCODINGS:
        failures[encoding] = 0
        for line in lines:
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                failures[encoding] += 1
    best = min(ENCODINGS, key=lambda e: failures[e])
    if failures[best] * 2 > len(lines):
        raise ValueError("neither UTF-8 nor GB18030")
    return best


def parse_items(text: str) -> list[DataItem]:
    """The inline data-items column: ``线路编号:字符型:20; 票价:数值型``."""
    items = []
    for chunk in _ITEM_SEPARATOR.split(text):
        parts = [p.strip() for p in _PART_SEPARATOR.split(chunk.strip())]
        if not parts or not parts[0]:
            continue
        parts += [""] * (3 - len(parts))
        items.append(DataItem(name=parts[0], data_type=parts[1], length=parts[2]))
    return items


def _decoded_lines(stream: io.BufferedIOBase, encoding: str,
                   bad_lines: dict[int, bytes]) -> Iterator[str]:
    """Lines of text; lines neither encoding decodes are replaced with U+FFFD and
    remembered by line number (1-based) in ``bad_lines``."""
    others = [e for e in ENCODINGS if e != encoding]
    for number, raw in enumerate(stream, 1):
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
        for candidate in (encoding, *others):
            try:
                yield raw.decode(candidate)
                break
            except UnicodeDecodeError:
                continue
        else:
            bad_lines[number] = raw
            yield raw.decode(encoding, errors="replace")


def read_csv(path: str | Path, *, source: str | None = None) -> Iterator[CatalogueEntry]:
    """Entries of a CSV catalogue, one at a time.

    Raises :class:`CatalogueReadError` when the file cannot be opened, is in an
    encoding we do not read, or has no 信息资源代码/名称 header.
    """
    path = Path(path)
    label = source or path.name
    try:
        stream = path.open("rb")
    except OSError as e:
        raise CatalogueReadError(label, f"无法打开文件：{e.strerror}", f"cannot open the file: {e.strerror}") from e
    with stream:
        try:
            encoding = detect_encoding(stream.read(SAMPLE_BYTES))
        except ValueError as e:
            raise CatalogueReadError(label, "文件编码不是 UTF-8、GBK 或 GB18030",
                                     "the file is not in UTF-8, GBK or GB18030") from e
        stream.seek(0)
        bad_lines: dict[int, bytes] = {}
        reader = csv.reader(_decoded_lines(stream, encoding, bad_lines))
        header = next(reader, None)
        columns = [canonical(h) for h in header or []]
        if "code" not in columns or "name" not in columns:
            raise CatalogueReadError(label, "未找到表头（需要“信息资源代码”和“信息资源名称”列）",
                                     "no header row (columns 信息资源代码 and 信息资源名称 are required)")
        first_line = 2
        for row in reader:
            last_line = reader.line_num
            if not any(cell.strip() for cell in row):
                first_line = last_line + 1
                continue
            entry = CatalogueEntry(fields={}, location=Location(label, None, first_line))
            for key, cell in zip(columns, row, strict=False):
                if key == "data_items":
                    entry.data_items = parse_items(cell)
                elif key:
                    entry.fields[key] = clean(cell)
            damaged = [n for n in range(first_line, last_line + 1) if n in bad_lines]
            if damaged:
                entry.problems.append(ReadProblem(
                    "undecodable_bytes", None,
                    f"第 {damaged[0]} 行含有无法按 UTF-8/GB18030 解码的字节",
                    f"line {damaged[0]} has bytes that decode as neither UTF-8 nor GB18030"))
                for n in damaged:
                    del bad_lines[n]
            yield entry
            first_line = last_line + 1
