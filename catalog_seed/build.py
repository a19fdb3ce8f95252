"""The seed catalogue: dataset metadata and sample data files for the portal.

Pure Python, no CKAN. ``iter_seed_datasets()`` yields one ``SeedDataset`` per entry of
the spec tables (``specs/``, one module per data domain): a CKAN dataset dict for our
ckanext-scheming schema plus its data files, each with a Frictionless Table Schema.
``build(directory)`` writes all of it as data for the portal's loader (``ckan shanghai
setup --seed``), which imports nothing of this package: ``manifest.json`` (the
departments and, per dataset, the dataset dict and its resources with their file names)
and ``files/``.

Determinism
    Every random choice comes from a ``random.Random`` seeded with a string made of
    ``SEED`` and the dataset (and file) name. The standard library hashes string seeds
    with SHA-512, so the output depends neither on ``PYTHONHASHSEED`` nor on the clock
    nor on which datasets were generated before. CSV files are byte-identical between
    runs; XLSX files too (zip timestamps and document properties are pinned).

Catalogue codes (信息资源代码)
    ``A{domain:02d}{item:02d}-{provider code}-{sequence:05d}``: the class letter ``A``
    (open government data), the domain's number in ``DOMAINS`` (01 economy … 12 credit),
    the dataset's position within its domain table (the item), the owning department's
    provider code (提供方代码) and the dataset's running number within that department,
    e.g. ``A0401-SHJTW-00001`` for the first transport dataset.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import random
import shutil
import sys
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_seed.departments import NAME_PATTERN, district_of, load_departments, organization_dict
from catalog_seed.dsl import C, N, Period, RowContext, Spec, Table, U, random_day
from catalog_seed.files import SeedFile
from catalog_seed.specs import CATALOGUE, DOMAINS
from ckanext.shanghai.common import vocabulary

__all__ = ["MANIFEST", "SeedDataset", "build", "is_current", "iter_seed_datasets", "source_version"]

SEED = "shanghai-open-data-seed-v1"
#: what ``build`` writes next to ``files/``; the portal's loader reads only this
MANIFEST = "manifest.json"
#: the manifest's layout; the portal's loader refuses another
MANIFEST_FORMAT = 1
PACKAGE = Path(__file__).resolve().parent

DISCLAIMER_ZH = "本数据为平台演示用的示例数据，由程序生成，不代表真实情况。"
DISCLAIMER_EN = "Sample data generated for demonstration; not real."

# The seed's rule for the share type of each open type (codes of the vocabulary).
SHARE_TYPES = {U: "unconditional", C: "conditional", N: "none"}
OPEN_CONDITIONS = (
    "需签署数据使用协议，暂不向个人开放",
    "需提交数据利用申请，经数据提供部门审核同意后获取",
    "仅向经实名认证的法人用户开放，使用时须注明数据来源",
    "需说明数据用途并签署保密承诺，不得用于商业用途",
)

# update_frequency → (English phrase of the notes, max lag of temporal_end behind
# last_updated in days, (min, max) temporal span in days): the generator's own rules.
# Spans are long enough for the period frames below. The codes and Chinese labels are
# the vocabulary's.
_FREQUENCY_RULES: dict[str, tuple[str, int, tuple[int, int]]] = {
    "realtime": ("in real time", 0, (1, 1)),
    "daily": ("daily", 1, (60, 365)),
    "weekly": ("weekly", 7, (180, 730)),
    "monthly": ("monthly", 31, (800, 1460)),
    "quarterly": ("quarterly", 92, (1100, 1825)),
    "semiannual": ("every six months", 183, (1100, 1825)),
    "annual": ("yearly", 365, (1900, 2900)),
    "irregular": ("irregularly", 120, (365, 2190)),
}
FREQUENCIES: dict[str, tuple[str, str, int, tuple[int, int]]] = {
    term.code: (term.title, *_FREQUENCY_RULES[term.code]) for term in vocabulary.update_frequencies()}
if (set(SHARE_TYPES) != {t.code for t in vocabulary.open_types()}
        or set(SHARE_TYPES.values()) - {t.code for t in vocabulary.share_types()}
        or set(_FREQUENCY_RULES) != set(FREQUENCIES)):
    raise RuntimeError("catalog_seed/build.py names codes that schemas/dataset.yaml does not have")
RELEASE_FIRST = dt.date(2014, 1, 1)
RELEASE_LAST = dt.date(2016, 12, 31)
UPDATE_LAST = dt.date(2017, 6, 30)
MAX_UPDATE_DELAY_DAYS = 540


@dataclass(frozen=True)
class SeedDataset:
    """A CKAN dataset dict (without resources) and its data files, first file first."""

    dataset: dict[str, Any]
    files: tuple[SeedFile, ...]


def _dataset_period(rng: random.Random, frequency: str) -> tuple[dt.date, dt.date, Period]:
    """Release date, last update and temporal coverage, consistent with the update frequency."""
    _, _, lag, (shortest, longest) = FREQUENCIES[frequency]
    release = random_day(rng, RELEASE_FIRST, RELEASE_LAST)
    last_updated = release + dt.timedelta(days=rng.randint(0, min(MAX_UPDATE_DELAY_DAYS, (UPDATE_LAST - release).days)))
    end = last_updated - dt.timedelta(days=rng.randint(0, lag))
    start = end - dt.timedelta(days=rng.randint(shortest, longest))
    return release, last_updated, Period(start, end)


def _generate_rows(table: Table, rng: random.Random, period: Period, districts: Sequence[str]) -> list[dict[str, Any]]:
    frame = table.frame(rng, period) if table.frame else [{}] * table.rows
    rows = []
    for index, frame_item in enumerate(frame):
        ctx = RowContext(rng, index, period, frame_item, districts)
        for column in table.columns:
            ctx.values[column.name] = column.gen(ctx)
        rows.append(ctx.values)
    return rows


#: Defects planted in a few files, so that the portal shows failure reports too:
#: file → (row index, column, how the cell is spoilt, error types frictionless reports).
#: ``"<previous>"`` repeats the previous row's cell (a duplicate key).
PLANTED: dict[str, tuple[int, str, str, tuple[str, ...]]] = {
    "enterprise-registrations.csv": (7, "credit_code", "91310115MA1OOOOOO0", ("constraint-error",)),
    "patent-grants.csv": (3, "grant_date", "2015/06/18", ("type-error",)),
    "eia-approvals.csv": (5, "approval_no", "<previous>", ("primary-key",)),
    "road-works.csv": (2, "permit_no", "", ("constraint-error", "primary-key")),
    "public-bicycle-stations.csv": (4, "longitude", "116.397", ("constraint-error",)),
}


def _plant(filename: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Spoil the planted cell of ``filename`` (if any); the outcome its validation must have."""
    if filename not in PLANTED:
        return {"status": "success", "errors": []}
    index, column, value, errors = PLANTED[filename]
    rows[index][column] = rows[index - 1][column] if value == "<previous>" else value
    return {"status": "failure", "errors": list(errors)}


def _table_schema(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [c.schema_field(c.name in table.key) for c in table.columns]}
    if table.key:
        schema["primaryKey"] = list(table.key)
    return schema


def _build_file(spec: Spec, table: Table, period: Period, home: str | None) -> SeedFile:
    filename = "-".join(filter(None, (spec.name, table.part))) + (".xlsx" if table.xlsx else ".csv")
    rng = random.Random(f"{SEED}:{filename}")
    rows = _generate_rows(table, rng, period, (home,) if home else table.districts)
    expected = _plant(filename, rows)
    file_format = "XLSX" if table.xlsx else "CSV"
    name = f"{spec.title}（{table.part_title}）" if table.part_title else spec.title
    resource = {
        "name": name,
        "description": f"{name}，{file_format}格式，{len(rows)}行{len(table.columns)}列，"
                       "列名为英文字段名，字段含义见表结构（Table Schema）。",
        "format": file_format,
        "schema": _table_schema(table),
    }
    return SeedFile(filename, file_format, resource, tuple(rows), expected)


def _zh_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _notes(spec: Spec, department: Mapping[str, str], home: str | None, count: int, period: Period) -> tuple[str, str]:
    """Chinese and English descriptions: what, which fields and how many rows, coverage, disclaimer."""
    columns = spec.tables[0].columns
    area_zh = f"，范围为{home}" if home else ""
    frequency_zh, frequency_en, _, _ = FREQUENCIES[spec.frequency]
    zh = "".join((
        spec.about or f"{department['title']}发布的{spec.title}。",
        f"主要字段包括{'、'.join(c.title for c in columns[:6])}等，共{count}条记录{area_zh}。",
        f"数据时间范围为{_zh_date(period.start)}至{_zh_date(period.end)}，{frequency_zh}更新。",
        DISCLAIMER_ZH,
    ))
    district_en = department["title_en"].removesuffix(" People's Government")
    area_en = f" for {district_en}" if home else ""
    en = " ".join((
        f"{spec.title_en}, published by the {department['title_en']}.",
        f"{count} records{area_en} with fields such as {', '.join(c.name for c in columns[:6])}.",
        f"Covers {period.start.isoformat()} to {period.end.isoformat()}; updated {frequency_en}.",
        DISCLAIMER_EN,
    ))
    return zh, en


def _build_dataset(spec: Spec, domain: str, catalogue_code: str, department: Mapping[str, str]) -> SeedDataset:
    rng = random.Random(f"{SEED}:{spec.name}")
    release, last_updated, period = _dataset_period(rng, spec.frequency)
    home = district_of(department)
    files = tuple(_build_file(spec, table, period, home) for table in spec.tables)
    count = files[0].row_count
    notes, notes_en = _notes(spec, department, home, count, period)
    conditions = (spec.conditions or rng.choice(OPEN_CONDITIONS)) if spec.open_type == C else ""
    tags = list(dict.fromkeys((*spec.tags, DOMAINS[domain][0])))[:5]
    host = spec.org.removeprefix("sh-")
    dataset = {
        "name": spec.name,
        "title": spec.title,
        "title_en": spec.title_en,
        "notes": notes,
        "notes_en": notes_en,
        "owner_org": spec.org,
        "data_domain": domain,
        "open_type": spec.open_type,
        "open_conditions": conditions,
        "share_type": SHARE_TYPES[spec.open_type],
        "catalogue_code": catalogue_code,
        "update_frequency": spec.frequency,
        "release_date": release.isoformat(),
        "last_updated": last_updated.isoformat(),
        "temporal_start": period.start.isoformat(),
        "temporal_end": period.end.isoformat(),
        "record_count": count,
        "app_scenarios": list(spec.scenarios),
        "tags": [{"name": tag} for tag in tags],
        "license_id": vocabulary.licence_for(spec.open_type),
        "contact_name": f"{department['title']}数据开放联络人",
        "contact_email": f"data@{host}.example.gov.cn",
    }
    return SeedDataset(dataset, files)


def _check_spec(spec: Spec, departments: Mapping[str, Mapping[str, str]]) -> None:
    """Fail early, naming the dataset, on a spec the portal's schema would reject."""
    problems = [
        (spec.org not in departments, f"owner_org {spec.org!r} is not in departments.yaml"),
        (spec.open_type not in SHARE_TYPES, f"open_type {spec.open_type!r} is unknown"),
        (spec.frequency not in FREQUENCIES, f"update_frequency {spec.frequency!r} is unknown"),
        (not NAME_PATTERN.fullmatch(spec.name), "name must be a lowercase ascii slug"),
        (not 1 <= len(spec.scenarios) <= 3, "needs 1–3 application scenarios"),
        (not 1 <= len(spec.tags) <= 4, "needs 1–4 tags (the domain is added)"),
        (not spec.tables, "needs at least one table"),
        (bool(spec.about) and not spec.about.endswith("。"), "about must be a sentence ending in 。"),
    ]
    for failed, message in problems:
        if failed:
            raise ValueError(f"seed dataset {spec.name!r}: {message}")


def iter_seed_datasets() -> Iterator[SeedDataset]:
    """The whole seed catalogue in a fixed order: domain by domain, as in the spec tables."""
    departments = {d["name"]: d for d in load_departments()}
    sequence: Counter[str] = Counter()
    for domain_number, (domain, specs) in enumerate(CATALOGUE.items(), 1):
        for item_number, spec in enumerate(specs, 1):
            _check_spec(spec, departments)
            department = departments[spec.org]
            sequence[spec.org] += 1
            code = f"A{domain_number:02d}{item_number:02d}-{department['code']}-{sequence[spec.org]:05d}"
            yield _build_dataset(spec, domain, code, department)


def source_version() -> str:
    """A digest of everything the seed's bytes depend on: this package's modules and
    ``departments.yaml``, and the versions of Python, openpyxl and zlib (XLSX files are
    deflated). Equal digests give equal seeds, so a built folder of this version can
    be kept."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.glob("*.py"), *PACKAGE.glob("specs/*.py"), PACKAGE / "departments.yaml"]):
        digest.update(f"{path.relative_to(PACKAGE)}\0".encode())
        digest.update(path.read_bytes())
    tools = (f"python {sys.version_info[0]}.{sys.version_info[1]}",
             f"openpyxl {importlib.metadata.version('openpyxl')}", f"zlib {zlib.ZLIB_RUNTIME_VERSION}")
    digest.update("\0".join(tools).encode())
    return digest.hexdigest()


def is_current(directory: Path) -> bool:
    """Whether ``directory`` holds a complete seed of this ``source_version()``."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(manifest, dict) and manifest.get("format") == MANIFEST_FORMAT
            and manifest.get("version") == source_version())


def build(directory: Path) -> dict[str, Any]:
    """Write the whole seed into ``directory`` as data: ``files/`` (every data file) and
    ``manifest.json``; returns the manifest.

    The manifest holds the departments as ``organization_create`` dicts and, per dataset,
    its ``package_create`` dict and its resources (``resource_create`` dicts without the
    upload) with the file each uploads, relative to ``files/``, and the validation outcome
    it must have (``expected``: planted defects, :data:`PLANTED`). It is written last and
    atomically, so a folder with a manifest is complete; files of an earlier build are
    removed first.
    """
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MANIFEST).unlink(missing_ok=True)
    files_dir = directory / "files"
    shutil.rmtree(files_dir, ignore_errors=True)
    datasets = []
    for seed in iter_seed_datasets():
        for seed_file in seed.files:
            seed_file.write(files_dir)
        datasets.append({"package": seed.dataset,
                         "resources": [{"file": f.filename, "resource": f.resource,
                                        "expected": f.expected} for f in seed.files]})
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": source_version(),
        "organizations": [organization_dict(d) for d in load_departments()],
        "datasets": datasets,
    }
    partial = directory / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, directory / MANIFEST)
    return manifest
