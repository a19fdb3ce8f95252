"""Benchmarks that print ratios measured in one run (``make bench``)."""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence


def print_table(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print a benchmark's figures as a titled ``a | b | c`` table."""
    print(f"\n{title}")
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(row))


def percentile(samples: Sequence[float], p: int) -> float:
    """The ``p``-th percentile of ``samples`` (inclusive method; one sample is its own
    percentile, none gives NaN)."""
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]
