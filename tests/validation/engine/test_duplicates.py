"""Repeated keys are found alike in memory and spilled to bucket files (engine/duplicates.py)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckanext.shanghai.validation.engine import duplicates

# Hashes from a small pool, so that repeats are common; chunks as the engine adds them.
chunks = st.lists(st.lists(st.integers(0, 40), max_size=30), max_size=6)


def _naive(keys: list[list[int]]) -> list[tuple[int, int]]:
    seen: dict[int, int] = {}
    found = []
    for row, key in enumerate((k for chunk in keys for k in chunk), start=2):
        if key in seen:
            found.append((row, seen[key]))
        seen[key] = row
    return sorted(found)


def _found(keys: list[list[int]], folder: Path) -> list[tuple[int, int]]:
    finder = duplicates.Duplicates(folder, "k")
    row = 2
    for chunk in keys:
        # spread over the top bits, which choose the bucket
        hashes = np.array(chunk, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        finder.add(hashes, np.arange(row, row + len(chunk), dtype=np.int64))
        row += len(chunk)
    found = sorted(finder.found())
    assert not list(folder.iterdir()), "the bucket files are removed"
    return found


@settings(max_examples=60, deadline=None)
@given(keys=chunks, spill=st.booleans())
def test_repeats_are_those_of_a_naive_scan(keys, spill, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dup")
    with pytest.MonkeyPatch.context() as patch:
        if spill:  # every chunk past the first few pairs goes to disk
            patch.setattr(duplicates, "MEMORY_PAIRS", 3)
        assert _found(keys, folder) == _naive(keys)


def test_a_small_file_touches_no_disk(tmp_path):
    finder = duplicates.Duplicates(tmp_path, "k")
    finder.add(np.array([1, 2, 1], dtype=np.uint64), np.array([2, 3, 4]))
    assert not list(tmp_path.iterdir())
    assert list(finder.found()) == [(4, 2)]


@pytest.mark.parametrize("spill", [False, True])
def test_no_keys_no_repeats(tmp_path, monkeypatch, spill):
    monkeypatch.setattr(duplicates, "MEMORY_PAIRS", 0 if spill else 1 << 20)
    finder = duplicates.Duplicates(tmp_path, "k")
    finder.add(np.array([], dtype=np.uint64), np.array([], dtype=np.int64))
    assert list(finder.found()) == []
