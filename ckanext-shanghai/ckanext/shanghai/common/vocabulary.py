"""The portal's controlled vocabularies (pure), read once from ``schemas/``.

One place for every list a dataset's fields draw from, so that the harvesters, the
validators, the quality score and the statistics cannot drift apart:

* open types, share types and update frequencies: the ``choices`` of
  ``schemas/dataset.yaml``, which scheming also shows and validates against;
* the licence of each open type, the period of each update frequency and the other
  spellings departments use: ``schemas/vocabulary.yaml``, checked against those choices;
* the data domains: ``common/domains.py`` (a configured file or the shipped one), with
  the classification (信息资源分类) → domain table of ``schemas/classification_domains.yaml``.

Everything returned is immutable; callers may keep it.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

import schemas
from ckanext.shanghai.common.domains import DEFAULT_FILE, Domain, load_domains

DATASET_SCHEMA = schemas.DIRECTORY / "dataset.yaml"
FACTS_FILE = schemas.DIRECTORY / "vocabulary.yaml"
CLASSIFICATION_FILE = schemas.DIRECTORY / "classification_domains.yaml"


@dataclass(frozen=True)
class Term:
    """One allowed value of a choice field: its code and its labels."""

    code: str
    title: str
    title_en: str

    def label(self, lang: str) -> str:
        """The label in ``lang`` (Chinese unless the language is English)."""
        return self.title_en if lang.startswith("en") else self.title


@dataclass(frozen=True)
class DomainTable:
    """The data domains and the classification → domain table restricted to them."""

    domains: tuple[Domain, ...]
    #: class code (A04, A0401…, upper case) → domain code
    by_class_code: Mapping[str, str]
    #: class name without blanks (道路交通) → domain code
    by_class_name: Mapping[str, str]

    @property
    def codes(self) -> frozenset[str]:
        """The domain codes."""
        return frozenset(d.code for d in self.domains)


def _read(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


@functools.cache
def _choice_fields() -> Mapping[str, tuple[Term, ...]]:
    fields: dict[str, tuple[Term, ...]] = {}
    for field in _read(DATASET_SCHEMA)["dataset_fields"]:
        if field.get("choices"):
            fields[field["field_name"]] = tuple(
                Term(str(c["value"]), c["label"]["zh_Hans_CN"], c["label"]["en"])
                for c in field["choices"])
    return MappingProxyType(fields)


def choices(field_name: str) -> tuple[Term, ...]:
    """The allowed values of a choice field of ``schemas/dataset.yaml``, in its order."""
    try:
        return _choice_fields()[field_name]
    except KeyError:
        raise ValueError(f"{DATASET_SCHEMA}: no choice field {field_name!r}") from None


def open_types() -> tuple[Term, ...]:
    """开放属性: unconditional, conditional, non_open."""
    return choices("open_type")


def share_types() -> tuple[Term, ...]:
    """共享属性: unconditional, conditional, none."""
    return choices("share_type")


def update_frequencies() -> tuple[Term, ...]:
    """更新周期: realtime … irregular."""
    return choices("update_frequency")


def _codes(field_name: str) -> frozenset[str]:
    return frozenset(t.code for t in choices(field_name))


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    table = data.get(key)
    if not isinstance(table, dict):
        raise ValueError(f"{FACTS_FILE}: '{key}' must be a mapping")
    return {str(k): v for k, v in table.items()}


def _check_codes(found: Any, field_name: str, where: str) -> None:
    unknown = sorted(set(map(str, found)) - _codes(field_name))
    if unknown:
        raise ValueError(f"{FACTS_FILE}: '{where}' names codes that {field_name} does not have: {unknown}")


@functools.cache
def _facts() -> tuple[Mapping[str, str], Mapping[str, int], Mapping[str, Mapping[str, str]]]:
    data = _read(FACTS_FILE)
    licences = _mapping(data, "licence_by_open_type")
    _check_codes(licences, "open_type", "licence_by_open_type")
    missing = sorted(_codes("open_type") - set(licences))
    if missing:
        raise ValueError(f"{FACTS_FILE}: 'licence_by_open_type' has no licence for {missing}")
    periods = _mapping(data, "update_period_days")
    _check_codes(periods, "update_frequency", "update_period_days")
    aliases: dict[str, Mapping[str, str]] = {}
    for field_name, table in _mapping(data, "aliases").items():
        choices(field_name)  # a field without choices has nothing to alias
        table = {str(k): str(v) for k, v in (table or {}).items()}
        _check_codes(table.values(), field_name, f"aliases.{field_name}")
        aliases[field_name] = MappingProxyType(table)
    return (MappingProxyType({k: str(v) for k, v in licences.items()}),
            MappingProxyType({k: int(v) for k, v in periods.items()}),
            MappingProxyType(aliases))


def licence_for(open_type: str) -> str | None:
    """The licence id a dataset of ``open_type`` gets by default; None for an unknown type."""
    return _facts()[0].get(open_type)


def update_period_days(frequency: str) -> int | None:
    """Days a dataset of ``frequency`` may go without an update; None when it promises
    none (irregular) or the frequency is unknown."""
    return _facts()[1].get(frequency)


@functools.cache
def spellings(field_name: str) -> Mapping[str, str]:
    """Every way a catalogue may write a value of a choice field (its code, its Chinese
    label, the aliases of ``schemas/vocabulary.yaml``) → the code."""
    found = {t.title: t.code for t in choices(field_name)}
    found.update(_facts()[2].get(field_name, {}))
    found.update({t.code: t.code for t in choices(field_name)})
    return MappingProxyType(found)


def domains(path: Path = DEFAULT_FILE) -> tuple[Domain, ...]:
    """The data domains of a domains file (``common/domains.py`` parses and checks it)."""
    return load_domains(path)


@functools.lru_cache(maxsize=8)
def domain_table(path: Path = DEFAULT_FILE) -> DomainTable:
    """The domains of ``path`` with the classification table. Classes that lead to a
    domain the file does not have are left out: their entries get no domain, rather
    than one the portal would refuse."""
    known = domains(path)
    codes = {d.code for d in known}
    table = _read(CLASSIFICATION_FILE)
    return DomainTable(
        known,
        MappingProxyType({str(k).upper(): str(v) for k, v in table["codes"].items() if v in codes}),
        MappingProxyType({re.sub(r"\s+", "", str(k)): str(v) for k, v in table["names"].items()
                          if v in codes}))
