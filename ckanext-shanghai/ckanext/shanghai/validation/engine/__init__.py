"""Validates tabular files against a Frictionless Table Schema (pure, no CKAN): the
same report as frictionless, from a vectorised engine for CSV or frictionless itself.

Modules: :mod:`.sniffing` (format, size, encoding, CSV dialect), :mod:`.shape` (header
and row width), :mod:`.columns` (types and constraints of a column),
:mod:`.duplicates` (unique and primary keys), :mod:`.vectorised` (the pandas path),
:mod:`.fallback` (frictionless) and :mod:`.validator` (which of the two reads a file).
"""
from __future__ import annotations

from .fallback import resource
from .result import BadInput, Result
from .sniffing import TABULAR_FORMATS
from .validator import validate

__all__ = ["TABULAR_FORMATS", "BadInput", "Result", "resource", "validate"]
