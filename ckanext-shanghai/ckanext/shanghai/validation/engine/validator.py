"""The entry point: which engine reads a file (pure, no CKAN).

A CSV whose header is the schema's goes to the vectorised engine; XLSX, JSON and any
other CSV, or one the vectorised engine finds irregular or fails on (a fault of ours,
logged), go to frictionless. Bad input (empty, binary, wrong or mixed encoding,
truncated, an endless line, too big) raises
:class:`~.result.BadInput` with a message that says what is wrong and where.
"""
from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import frictionless
import pandas as pd

from .. import checks as custom_checks
from . import fallback, shape, sniffing
from .result import BadInput, Result
from .vectorised import Vectorised, rows_per_chunk

log = logging.getLogger(__name__)


def validate(path: Path | str, descriptor: dict[str, Any], *, format: str | None = None,
             max_bytes: int = 1 << 30, max_errors: int = 1000,
             max_line_bytes: int = 1 << 20) -> Result:
    """Validate the file at ``path`` against the Table Schema ``descriptor``.

    :raises BadInput: when the file cannot be read as a table at all.
    """
    path = Path(path)
    fmt = sniffing.sniff_format(path, format)
    size = sniffing.check_size(path, max_bytes)
    schema = frictionless.Schema.from_descriptor(descriptor)
    checks = custom_checks.checks_for(descriptor)
    if fmt == "xlsx":
        if not zipfile.is_zipfile(path):
            raise BadInput("The XLSX file is damaged or truncated (not a readable zip archive).",
                           "XLSX 文件已损坏或不完整（无法作为 zip 读取）。")
        return fallback.validate(path, schema, fmt, None, max_errors, checks)
    with path.open("rb") as handle:
        sample = handle.read(sniffing.SAMPLE_BYTES)
    encoding = sniffing.detect_encoding(sample, complete=size <= sniffing.SAMPLE_BYTES)
    if fmt == "json":
        try:
            json.loads(path.read_bytes().decode(encoding))
        except ValueError as error:
            raise BadInput(f"The JSON file is not valid JSON (damaged or truncated): {error}",
                           f"JSON 文件格式错误（已损坏或不完整）：{error}") from None
        return fallback.validate(path, schema, fmt, encoding, max_errors, checks)
    return _csv(path, schema, checks, encoding, sample, size, max_errors, max_line_bytes)


def _csv(path: Path, schema: frictionless.Schema, checks: list[custom_checks.credit_code_checksum],
         encoding: str, sample: bytes, size: int, max_errors: int,
         max_line_bytes: int) -> Result:
    dialect = sniffing.sniff_csv(sample, encoding, size, max_line_bytes)
    delimiter = dialect.delimiter
    truncated = sniffing.ends_without_newline(path)
    if not shape.header_fits(dialect.header, schema.field_names):
        return fallback.validate(path, schema, "csv", encoding, max_errors, checks, delimiter,
                                 truncated)
    chunk_rows = rows_per_chunk(dialect.lines, len(sample))
    try:
        return Vectorised(schema, checks, max_errors).run(path, encoding, delimiter, chunk_rows,
                                                          truncated)
    except (shape.Irregular, pd.errors.ParserError):
        return fallback.validate(path, schema, "csv", encoding, max_errors, checks, delimiter,
                                 truncated)
    except UnicodeDecodeError as error:
        raise BadInput(
            f"The file is not valid {encoding} text after byte {error.start} of a chunk: it mixes "
            "encodings or was cut off; save it as UTF-8 or GBK.",
            f"文件在后部出现非 {encoding} 编码内容：混用了多种编码或文件不完整，请另存为 UTF-8 或 GBK。"
        ) from None
    except BadInput:
        raise
    except Exception as error:  # noqa: BLE001 - a fault of ours must not cost the user the report
        # frictionless reads the file itself and gives the same report, only slower.
        log.exception("the vectorised engine failed on %s; frictionless validates it", path)
        result = fallback.validate(path, schema, "csv", encoding, max_errors, checks, delimiter,
                                   truncated)
        result.fault = f"{type(error).__name__}: {error}"
        return result
