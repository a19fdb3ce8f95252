"""Validates tabular files against a Frictionless Table Schema (pure, no CKAN): the
same report as frictionless, from a vectorised engine for CSV or frictionless itself.

Modules: :mod:`.sniffing` (format, size, encoding, CSV dialect), :mod:`.shape` (header
and row width), :mod:`.columns` (types and constraints of a column),
:mod:`.duplicates` (unique and primary keys), :mod:`.vectorised` (the pandas path),
:mod:`.fallback` (frictionless) and :mod:`.validator` (which of the two reads a file).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .result import BadInput, Result
from .sniffing import TABULAR_FORMATS

if TYPE_CHECKING:
    from .fallback import resource
    from .validator import validate

__all__ = ["TABULAR_FORMATS", "BadInput", "Result", "resource", "validate"]


def __getattr__(name: str) -> Any:
    """``validate`` and ``resource`` bring pandas and frictionless (a second of CPU):
    loaded at first use, not by every process that loads the plugin (a web node
    warms them after it answers, see ``stack/warmup.py``)."""
    found: Any
    if name == "validate":
        from .validator import validate as found  # noqa: PLC0415
    elif name == "resource":
        from .fallback import resource as found  # noqa: PLC0415
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found  # asked once
    return found
