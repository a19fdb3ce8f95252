"""The deterministic, seekable ZIP layout (pure: no CKAN)."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from ckanext.shanghai.bundles.zip_writer import ArchiveEntry, Layout, digest_stream, parse_range


def _layout(tmp_path: Path) -> Layout:
    files = {"README.md": b"# read me\n", "data/公交线路.csv": b"a,b\n1,2\n" * 5000,
             "data/random.bin": os.urandom(300_000), "data/empty.csv": b""}
    entries = []
    for index, (name, data) in enumerate(files.items()):
        path = tmp_path / f"f{index}"
        path.write_bytes(data)
        with path.open("rb") as handle:
            digest = digest_stream(handle)
        entries.append(ArchiveEntry(name, path, digest.size, digest.crc32))
    return Layout(entries, (2015, 5, 20))


def test_archive_reads_back_with_zipfile(tmp_path):
    layout = _layout(tmp_path)
    data = b"".join(layout.iter_bytes())
    assert len(data) == layout.size
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert archive.namelist() == ["README.md", "data/公交线路.csv", "data/random.bin",
                                  "data/empty.csv"]
    assert archive.read("data/公交线路.csv") == b"a,b\n1,2\n" * 5000
    assert all(i.date_time == (2015, 5, 20, 0, 0, 0) for i in archive.infolist())
    assert all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip is not installed")
def test_unzip_accepts_it(tmp_path):
    target = tmp_path / "bundle.zip"
    target.write_bytes(b"".join(_layout(tmp_path).iter_bytes()))
    result = subprocess.run(["unzip", "-t", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_same_records_give_the_same_bytes(tmp_path):
    layout = _layout(tmp_path)
    rebuilt = Layout([ArchiveEntry(e.name, e.path, e.size, e.crc32) for e in layout.entries],
                     (2015, 5, 20))
    assert b"".join(rebuilt.iter_bytes()) == b"".join(layout.iter_bytes())
    assert Layout([], (2015, 5, 20)).size == 22  # an empty archive is its end record


def test_any_range_is_the_slice_of_the_whole(tmp_path):
    layout = _layout(tmp_path)
    whole = b"".join(layout.iter_bytes())
    for start, end in ((0, 1), (0, 30), (25, 90_000), (40_000, layout.size),
                       (layout.size - 1, layout.size), (1234, 1235)):
        assert b"".join(layout.iter_bytes(start, end)) == whole[start:end]


def test_archives_over_4_gib_are_refused(tmp_path):
    with pytest.raises(ValueError, match="4 GiB"):
        Layout([ArchiveEntry("huge.bin", tmp_path / "huge", 5 * 2**30, 0)], (2016, 1, 1))


def test_a_shrunken_frozen_copy_is_an_error_not_a_short_zip(tmp_path):
    layout = _layout(tmp_path)
    (tmp_path / "f2").write_bytes(b"short")
    with pytest.raises(OSError, match="shorter than its recorded size"):
        b"".join(layout.iter_bytes())


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("bytes=0-9", (0, 10)), ("bytes=5-", (5, 100)), ("bytes=-10", (90, 100)),
    ("bytes=90-200", (90, 100)), ("bytes=100-", False), ("bytes=150-160", False),
    ("bytes=-0", False), ("bytes=9-5", None), ("bytes=0-1,5-6", None), ("items=0-5", None),
    ("bytes=a-b", None),
])
def test_parse_range(header, expected):
    assert parse_range(header, 100) == expected
