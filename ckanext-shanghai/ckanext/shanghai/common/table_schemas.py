"""The registry of Frictionless Table Schemas that resources can name (pure).

Every ``*.json`` file under ``schemas/table_schemas/`` is a schema, named by its
file name without the extension.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import schemas

DIRECTORY = schemas.DIRECTORY / "table_schemas"


@functools.lru_cache(maxsize=1)
def _registry() -> dict[str, Path]:
    if not DIRECTORY.is_dir():
        return {}
    return {path.stem: path for path in sorted(DIRECTORY.glob("**/*.json"))}


def names() -> list[str]:
    """The registered schema names, sorted."""
    return sorted(_registry())


def load(name: str) -> dict[str, Any]:
    """The descriptor of a registered schema; KeyError if unknown."""
    return json.loads(_registry()[name].read_text(encoding="utf-8"))


def check_descriptor(descriptor: Any) -> list[str]:
    """What is wrong with a Table Schema descriptor (empty when it is valid)."""
    if not isinstance(descriptor, dict):
        return ["expected a JSON object with a 'fields' list"]
    if not isinstance(descriptor.get("fields"), list) or not descriptor["fields"]:
        return ["'fields' must be a non-empty list"]
    import frictionless  # noqa: PLC0415  (loaded at first use: start-up, see stack/warmup.py)

    try:
        report = frictionless.Schema.validate_descriptor(descriptor)
    except frictionless.FrictionlessException as e:
        return [str(e.error.message)]
    return [error.message for error in report.errors]

