"""``unique`` and ``primaryKey``, composite keys included, over files of any length
(pure, no CKAN): keys are 64-bit hashes, kept in memory up to :data:`MEMORY_PAIRS`
and beyond that spilled to bucket files on disk, so memory stays flat however long the
file is and a small file touches no disk.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: Buckets that unique keys are spilled to (memory at the end ≈ 16 B × rows ÷ BUCKETS).
BUCKETS = 64
#: (hash, row) pairs kept in memory (16 B each) before they go to the bucket files.
MEMORY_PAIRS = 1 << 20


def hash_keys(keys: np.ndarray) -> np.ndarray:
    """The 64-bit hash of each key."""
    return pd.util.hash_array(keys, categorize=False)


def combine(composite: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """``composite`` with one more field's hashes, for a key of several fields; the
    multiplier keeps (a, b) apart from (b, a)."""
    return composite * np.uint64(1000003) ^ hashes


def as_key_array(key: Any, like: Any) -> np.ndarray:
    """One key of a row checked alone, as an array hashed like its column's keys."""
    dtype = like.dtype if isinstance(like, np.ndarray) else object
    if isinstance(key, str) and dtype is not np.dtype(object):
        dtype = object
    # Filled by assignment: np.array([key]) would unpack a tuple key into a 2-D array.
    array = np.empty(1, dtype=dtype)
    array[0] = key
    return array


class Duplicates:
    """Finds repeated keys over the whole file with bounded memory: (hash, row) pairs are
    kept in memory, and past :data:`MEMORY_PAIRS` go to bucket files by the hash's top
    bits, each bucket sorted alone at the end. A duplicate is reported at its later
    row, naming the previous row with that key, as frictionless does. Two different
    values with the same 64-bit hash would be reported as equal; for 10⁸ rows the
    chance is below 10⁻³."""

    def __init__(self, directory: Path, name: str) -> None:
        self.directory, self.name = directory, name
        self.pending: list[np.ndarray] = []
        self.pending_pairs = 0
        self.handles: list[Any] = []

    def add(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        if not len(hashes):
            return
        pairs = np.empty((len(hashes), 2), np.uint64)
        pairs[:, 0] = hashes
        pairs[:, 1] = rows.astype(np.uint64)
        self.pending.append(pairs)
        self.pending_pairs += len(pairs)
        if self.pending_pairs > MEMORY_PAIRS:
            self._spill()

    def _spill(self) -> None:
        if not self.handles:
            self.handles = [(self.directory / f"{self.name}.{b}").open("wb")
                            for b in range(BUCKETS)]
        pairs = np.concatenate(self.pending) if self.pending else np.empty((0, 2), np.uint64)
        self.pending, self.pending_pairs = [], 0
        bucket = (pairs[:, 0] >> np.uint64(58)).astype(np.int64)
        order = np.argsort(bucket, kind="stable")
        pairs = pairs[order]
        bounds = np.searchsorted(bucket[order], np.arange(BUCKETS + 1))
        for b in range(BUCKETS):
            if bounds[b] < bounds[b + 1]:
                self.handles[b].write(pairs[bounds[b]:bounds[b + 1]].tobytes())

    def found(self) -> Iterator[tuple[int, int]]:
        """(row, previous row) of every repeated key."""
        if not self.handles:
            if self.pending:
                yield from _repeats(np.concatenate(self.pending))
            return
        self._spill()
        for handle in self.handles:
            handle.close()
            pairs = np.fromfile(handle.name, dtype=np.uint64).reshape(-1, 2)
            os.unlink(handle.name)
            yield from _repeats(pairs)


def _repeats(pairs: np.ndarray) -> Iterator[tuple[int, int]]:
    """(row, previous row) of each repeated hash among (hash, row) pairs."""
    if not len(pairs):
        return
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    for index in np.flatnonzero(pairs[1:, 0] == pairs[:-1, 0]) + 1:
        yield int(pairs[index, 1]), int(pairs[index - 1, 1])
