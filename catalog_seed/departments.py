"""The departments that publish the seed: ``departments.yaml``, read and validated."""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from catalog_seed.places import DISTRICT_BY_NAME

__all__ = [
    "CODE_PATTERN", "DEPARTMENT_KEYS", "DEPARTMENT_KINDS", "DEPARTMENTS_PATH", "district_of",
    "DISTRICT_TITLE_PATTERN", "load_departments", "NAME_PATTERN", "organization_dict",
]

DEPARTMENTS_PATH = Path(__file__).with_name("departments.yaml")


DEPARTMENT_KEYS = ("name", "code", "title", "title_en", "kind", "description", "description_en")
DEPARTMENT_KINDS = ("municipal", "district")
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,99}")
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9]{1,19}")
DISTRICT_TITLE_PATTERN = re.compile(r"上海市(.+区)人民政府")


def district_of(department: Mapping[str, Any]) -> str | None:
    """The district a district government stands for (None for municipal departments)."""
    if department["kind"] != "district":
        return None
    match = DISTRICT_TITLE_PATTERN.fullmatch(department["title"])
    return match.group(1) if match and match.group(1) in DISTRICT_BY_NAME else None


def _department_error(path: Path, index: int, entry: Any, message: str) -> ValueError:
    label = (entry.get("name") or entry.get("title") or "?") if isinstance(entry, Mapping) else "?"
    return ValueError(f"{path.name}: departments[{index}] ({label}): {message}")


def _check_department(path: Path, index: int, entry: Any) -> dict[str, str]:
    if not isinstance(entry, Mapping):
        raise _department_error(path, index, entry, "must be a mapping of department fields")
    for key in DEPARTMENT_KEYS:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _department_error(path, index, entry, f"field '{key}' is missing or not a non-empty string")
    checks = (
        ("name", NAME_PATTERN.fullmatch(entry["name"]), "lowercase ascii letters, digits and '-' (2–100 characters)"),
        ("code", CODE_PATTERN.fullmatch(entry["code"]), "upper-case ascii letters and digits, starting with a letter"),
        ("kind", entry["kind"] in DEPARTMENT_KINDS, f"one of {', '.join(DEPARTMENT_KINDS)}"),
    )
    for key, ok, expected in checks:
        if not ok:
            raise _department_error(path, index, entry, f"field '{key}' is {entry[key]!r}; expected {expected}")
    if entry["kind"] == "district" and district_of(entry) is None:
        raise _department_error(path, index, entry, f"field 'title' is {entry['title']!r}; expected 上海市<区>人民政府 "
                                                    "naming one of the 16 districts")
    return {key: str(entry[key]).strip() for key in DEPARTMENT_KEYS}


def load_departments(path: Path | None = None) -> list[dict[str, str]]:
    """Read and validate ``departments.yaml`` (or ``path``); one dict per department, file order.

    Raises ``ValueError`` naming the entry (index and name) and the field when an entry
    lacks a field, has a malformed name, code or kind, or repeats another entry's name,
    code or title.
    """
    path = path or DEPARTMENTS_PATH
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = document.get("departments") if isinstance(document, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path.name}: expected a mapping with a non-empty 'departments' list")
    departments: list[dict[str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        department = _check_department(path, index, entry)
        for key in ("name", "code", "title"):
            first = seen.setdefault((key, department[key]), index)
            if first != index:
                raise _department_error(path, index, entry, f"field '{key}' repeats {department[key]!r} "
                                                            f"of departments[{first}]")
        departments.append(department)
    return departments


def organization_dict(department: Mapping[str, str]) -> dict[str, Any]:
    """The ``organization_create`` dict of a department: its English name, description,
    code and kind go into extras, where the portal's pages read them."""
    return {
        "name": department["name"], "title": department["title"],
        "description": department.get("description", ""),
        "extras": [{"key": key, "value": str(department[key])}
                   for key in ("title_en", "description_en", "code", "kind") if department.get(key)],
    }
