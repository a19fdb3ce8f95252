"""The data-domain vocabulary (pure): read from ``schemas/domains.yaml`` or another
file named in configuration."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

import schemas

DEFAULT_FILE = schemas.DIRECTORY / "domains.yaml"
_CODE = re.compile(r"^[a-z][a-z0-9_-]{1,99}$")
_REQUIRED = ("code", "title", "title_en", "description", "description_en", "icon")


@dataclass(frozen=True)
class Domain:
    """One data domain (数据领域); ``code`` is also its CKAN group name."""

    code: str
    title: str
    title_en: str
    description: str
    description_en: str
    icon: str

    def label(self, lang: str) -> str:
        """The title in ``lang`` (Chinese unless the language is English)."""
        return self.title_en if lang.startswith("en") else self.title


@functools.lru_cache(maxsize=8)
def load_domains(path: Path = DEFAULT_FILE) -> tuple[Domain, ...]:
    """Parse and check a domains file; a bad entry raises ValueError naming it."""
    with open(path, encoding="utf-8") as f:
        entries = (yaml.safe_load(f) or {}).get("domains")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: expected a non-empty list under 'domains'")
    domains: list[Domain] = []
    for number, entry in enumerate(entries, 1):
        where = f"{path}: domain {number}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a mapping with {', '.join(_REQUIRED)}")
        for key in _REQUIRED:
            if not str(entry.get(key) or "").strip():
                raise ValueError(f"{where}: field '{key}' is missing or empty")
        if not _CODE.match(entry["code"]):
            raise ValueError(f"{where}: field 'code' must be lowercase ascii "
                             f"(a-z, 0-9, '-', '_'), got {entry['code']!r}")
        domains.append(Domain(**{key: str(entry[key]).strip() for key in _REQUIRED}))
    codes = [d.code for d in domains]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"{path}: duplicate domain codes {duplicates}")
    return tuple(domains)
