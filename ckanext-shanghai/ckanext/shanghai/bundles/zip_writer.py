"""A deterministic, seekable ZIP layout for frozen bundle versions (pure).

A bundle version is a fixed list of files whose sizes and CRC-32s are recorded when
the version is published. With that, every byte of the archive is known in advance:
entries are ``ZIP_STORED`` (no compression, so the data bytes are the file bytes),
headers carry a fixed timestamp and the known CRC and sizes (no data descriptors),
and the central directory follows. So the archive is byte-for-byte the same on every
request, its length is known before the first byte is sent, and any byte range can
be produced by reading only the files that overlap it: this is what lets a broken
download resume with HTTP ``Range`` and keeps memory flat whatever the bundle size.

Archives up to 4 GiB (and 65,535 entries) are written as classic ZIP; larger ones
would need ZIP64 records and are refused with a ``ValueError``.
"""
from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

__all__ = ["ArchiveEntry", "FileDigest", "Layout", "digest_stream", "iter_file", "parse_range"]

#: Bytes read from a file at a time while streaming; memory use is bounded by it.
CHUNK = 256 * 1024

_ZIP32_LIMIT = 0xFFFFFFFF
_UTF8_FLAG = 0x0800  # names are UTF-8 (Chinese file names must survive unzip)
_VERSION = 20  # 2.0: the minimum for stored entries with directories


@dataclass(frozen=True)
class FileDigest:
    """What publishing records about one file."""

    size: int
    sha256: str
    crc32: int


def digest_stream(source: BinaryIO, target: BinaryIO | None = None) -> FileDigest:
    """Read ``source`` to the end (copying it into ``target`` if given) and return its
    size, SHA-256 and CRC-32, in one pass and in constant memory."""
    sha = hashlib.sha256()
    crc = 0
    size = 0
    while chunk := source.read(CHUNK):
        sha.update(chunk)
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return FileDigest(size=size, sha256=sha.hexdigest(), crc32=crc)


@dataclass(frozen=True)
class ArchiveEntry:
    """One file of the archive: its name inside the zip, where its bytes are, and the
    size and CRC-32 recorded at publish time."""

    name: str
    path: Path
    size: int
    crc32: int


def _dos_datetime(year: int, month: int, day: int) -> tuple[int, int]:
    """(time, date) in MS-DOS format for midnight of the given day."""
    return 0, ((year - 1980) << 9) | (month << 5) | day


@dataclass(frozen=True)
class _Segment:
    offset: int
    length: int
    data: bytes | None = None   # header bytes …
    path: Path | None = None    # … or the bytes of a file


class Layout:
    """The byte layout of the archive of ``entries``, dated ``date`` (year, month, day).

    ``size`` is the archive's length; ``iter_bytes(start, end)`` streams any range.
    ``date`` is stored as every entry's modification time, so equal records give
    equal bytes.
    """

    def __init__(self, entries: Sequence[ArchiveEntry], date: tuple[int, int, int]) -> None:
        if len(entries) > 0xFFFF:
            raise ValueError(f"{len(entries)} files: a classic ZIP holds at most 65535")
        self.entries = tuple(entries)
        dos_time, dos_date = _dos_datetime(*date)
        segments: list[_Segment] = []
        central: list[bytes] = []
        offset = 0
        for entry in entries:
            name = entry.name.encode("utf-8")
            if entry.size > _ZIP32_LIMIT or offset > _ZIP32_LIMIT:
                raise ValueError(f"{entry.name}: the archive would exceed 4 GiB (needs ZIP64)")
            local = struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, _VERSION, _UTF8_FLAG, 0, dos_time, dos_date,
                entry.crc32, entry.size, entry.size, len(name), 0) + name
            segments.append(_Segment(offset, len(local), data=local))
            segments.append(_Segment(offset + len(local), entry.size, path=entry.path))
            central.append(struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | _VERSION, _VERSION,
                _UTF8_FLAG, 0, dos_time, dos_date, entry.crc32, entry.size, entry.size,
                len(name), 0, 0, 0, 0,
                0o100644 << 16,  # a regular file, rw-r--r-- (unzip on Unix keeps it)
                offset) + name)
            offset += len(local) + entry.size
        directory = b"".join(central)
        if offset + len(directory) > _ZIP32_LIMIT:
            raise ValueError("the archive would exceed 4 GiB (needs ZIP64)")
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                          len(directory), offset, 0)
        tail = directory + end
        segments.append(_Segment(offset, len(tail), data=tail))
        self._segments = [s for s in segments if s.length]
        self.size = offset + len(tail)

    def iter_bytes(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The archive's bytes ``start`` … ``end - 1`` (``end`` defaults to the size), in
        chunks of at most ``CHUNK`` bytes, reading only the files that overlap."""
        end = self.size if end is None else min(end, self.size)
        for segment in self._segments:
            low = max(start, segment.offset)
            high = min(end, segment.offset + segment.length)
            if low >= high:
                continue
            if segment.data is not None:
                yield segment.data[low - segment.offset:high - segment.offset]
                continue
            assert segment.path is not None
            yield from _read_file(segment.path, low - segment.offset, high - low)


def _read_file(path: Path, offset: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(offset)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                raise OSError(f"{path}: shorter than its recorded size (frozen copy damaged)")
            length -= len(chunk)
            yield chunk


def iter_file(path: Path, start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start`` … ``end - 1`` of one file, in chunks."""
    return _read_file(path, start, end - start)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | Literal[False]:
    """The single byte range asked for by an HTTP ``Range`` header, as ``(start, end)``
    with ``end`` exclusive.

    ``None`` when there is no (usable) header, so the whole body is sent — RFC 9110
    lets a server ignore multi-range and malformed requests; ``False`` when the range
    lies outside the body (answered with 416).
    """
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header[len("bytes="):].strip().partition("-")
    try:
        if not first:  # the last N bytes
            length = int(last)
            if length <= 0:
                return False
            return max(size - length, 0), size
        start = int(first)
        stop = int(last) + 1 if last else size
    except ValueError:
        return None
    if start < 0 or stop <= start:
        return None if start < size or last else False
    if start >= size:
        return False
    return start, min(stop, size)

