"""The fallback: frictionless itself, for XLSX, JSON and any CSV the vectorised engine
cannot read exactly (a header that does not match the schema, ragged or blank rows)
(pure, no CKAN).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import frictionless

from .result import BadInput, Result


def resource(path: Path, **options: Any) -> frictionless.Resource:
    """A frictionless resource of a local file (frictionless refuses absolute paths
    unless they are split into a base path and a relative one)."""
    # frictionless' types are wrong here: its Factory metaclass takes the source
    # positionally, mypy checks the call against Resource.__init__, which does not.
    return frictionless.Resource(path.name, basepath=str(path.parent), **options)  # type: ignore[misc]


def validate(path: Path, schema: frictionless.Schema, fmt: str, encoding: str | None,
             max_errors: int, checks: Sequence[frictionless.Check], delimiter: str = ",",
             truncated_file: bool = False) -> Result:
    """Frictionless' report as a :class:`~.result.Result`; BadInput when frictionless
    cannot read the file, or when ``truncated_file`` and its last row does not fit."""
    options: dict[str, Any] = {"schema": schema, "format": fmt}
    if encoding:
        options["encoding"] = encoding
    if fmt == "csv":
        options["dialect"] = frictionless.Dialect(
            controls=[frictionless.formats.CsvControl(delimiter=delimiter)])
    report = resource(path, **options).validate(
        frictionless.Checklist(checks=list(checks)), limit_errors=max_errors)
    task = report.tasks[0] if report.tasks else None
    source_errors = [e for e in report.errors + (task.errors if task else [])
                     if e.type in ("source-error", "scheme-error", "format-error",
                                   "encoding-error", "file-error")]
    if source_errors:
        note = source_errors[0].note or source_errors[0].message
        raise BadInput(f"The file cannot be read as {fmt.upper()}: {note}",
                       f"文件无法按 {fmt.upper()} 读取：{note}")
    errors = [e.to_dict() for e in (task.errors if task else report.errors)]
    result = Result(rows=task.stats.get("rows") or 0 if task else 0, errors=errors,
                    engine="frictionless", encoding=encoding, format=fmt,
                    truncated=bool(task and task.warnings))
    if truncated_file and any(
            e.get("rowNumber") == result.rows + 1 and
            e["type"] in ("missing-cell", "type-error", "constraint-error") for e in errors):
        raise BadInput(
            f"The file seems truncated: its last line (row {result.rows + 1}) ends without a "
            "line break and does not fit the schema.",
            f"文件似乎不完整：最后一行（第 {result.rows + 1} 行）没有换行且不符合数据结构。")
    return result
