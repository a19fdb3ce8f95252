"""Benchmarks that print ratios measured in one run (``make bench``)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence


def print_table(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print a benchmark's figures as a titled ``a | b | c`` table."""
    print(f"\n{title}")
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(row))
