"""The seed's data files: pinned bytes, valid against their own Table Schemas."""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import frictionless
import openpyxl

from catalog_seed.build import SeedDataset
from catalog_seed.files import PINNED_ZIP_TIME

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")



def test_xlsx_files_carry_pinned_timestamps(seeds: list[SeedDataset], written: Path) -> None:
    xlsx = next(f for s in seeds for f in s.files if f.format == "XLSX")
    with zipfile.ZipFile(written / xlsx.filename) as archive:
        assert {info.date_time for info in archive.infolist()} == {PINNED_ZIP_TIME}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2016-12-31T00:00:00Z"] * 2


def test_about_a_third_of_the_files_are_xlsx(seeds: list[SeedDataset]) -> None:
    formats = Counter(f.format for s in seeds for f in s.files)
    assert set(formats) == {"CSV", "XLSX"}
    assert 0.25 <= formats["XLSX"] / sum(formats.values()) <= 0.45


def test_every_written_file_is_valid_or_fails_as_planted(seeds: list[SeedDataset], written: Path) -> None:
    failures = []
    for seed in seeds:
        for seed_file in seed.files:
            schema = frictionless.Schema.from_descriptor(seed_file.resource["schema"])
            report = frictionless.validate(seed_file.filename, basepath=str(written), schema=schema)
            # Valid, or failing with exactly the defects planted in it (build.PLANTED).
            outcome = {"status": "success" if report.valid else "failure",
                       "errors": sorted({error_type for error_type, in report.flatten(["type"])})}
            if outcome != {**seed_file.expected, "errors": sorted(seed_file.expected["errors"])}:
                failures.append((seed_file.filename, report.flatten(["rowNumber", "fieldName", "type", "note"])[:3]))
    assert failures == []


def test_file_headers_are_the_schema_field_names(seeds: list[SeedDataset], written: Path) -> None:
    for seed in seeds:
        for seed_file in seed.files:
            path = written / seed_file.filename
            if seed_file.format == "CSV":
                header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
            else:
                sheet = openpyxl.load_workbook(path, read_only=True).active
                header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
            assert header == seed_file.field_names, seed_file.filename


def test_resources_and_schemas_are_well_formed(seeds: list[SeedDataset]) -> None:
    for seed in seeds:
        for seed_file in seed.files:
            resource = seed_file.resource
            assert resource["name"] and resource["description"] and resource["format"] == seed_file.format
            assert seed_file.filename.endswith("." + seed_file.format.lower())
            for f in resource["schema"]["fields"]:
                assert SNAKE_CASE.fullmatch(f["name"]), (seed_file.filename, f["name"])
                assert f["title"] and re.search(r"[\u4e00-\u9fff]", f["title"]), (seed_file.filename, f["name"])
            assert 20 <= len(seed_file.rows()) <= 500, seed_file.filename


def test_the_whole_seed_stays_small(written: Path) -> None:
    assert sum(p.stat().st_size for p in written.iterdir()) < 8_000_000
