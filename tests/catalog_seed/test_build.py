"""The seed as a whole: deterministic, complete, consistent dataset dicts, written as
data (``manifest.json`` and ``files/``) for the portal."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from catalog_seed import build
from catalog_seed.build import DISCLAIMER_EN, DISCLAIMER_ZH, FREQUENCIES, SeedDataset, iter_seed_datasets
from catalog_seed.departments import load_departments, organization_dict
from catalog_seed.specs import DOMAINS

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

CATALOGUE_CODE = re.compile(r"A(\d{2})(\d{2})-([A-Z][A-Z0-9]+)-(\d{5})")

REQUIRED_KEYS = ("name", "title", "title_en", "notes", "notes_en", "owner_org", "data_domain", "open_type",
                 "share_type", "catalogue_code", "update_frequency", "release_date", "last_updated",
                 "temporal_start", "temporal_end", "record_count", "app_scenarios", "tags", "license_id",
                 "contact_name", "contact_email")



# --- determinism -------------------------------------------------------------------

def test_two_runs_give_identical_dataset_dicts_and_rows(seeds: list[SeedDataset]) -> None:
    again = list(iter_seed_datasets())
    assert [s.dataset for s in again] == [s.dataset for s in seeds]
    assert [[f.rows() for f in s.files] for s in again] == [[f.rows() for f in s.files] for s in seeds]



def test_two_builds_write_identical_bytes(tmp_path: Path) -> None:
    build.build(tmp_path / "first")
    build.build(tmp_path / "second")
    first, second = ({p.relative_to(tmp_path / run): p.read_bytes() for p in (tmp_path / run).rglob("*")
                      if p.is_file()} for run in ("first", "second"))
    assert sorted(first) == sorted(second)
    differing = [str(p) for p in first if first[p] != second[p]]
    assert differing == []
    assert {p.suffix for p in first} == {".csv", ".xlsx", ".json"}


# --- the built folder ----------------------------------------------------------------

def test_the_manifest_holds_every_dataset_its_resources_and_the_departments(
        seeds: list[SeedDataset], tmp_path: Path) -> None:
    manifest = build.build(tmp_path)
    assert json.loads((tmp_path / build.MANIFEST).read_text(encoding="utf-8")) == manifest
    assert manifest["format"] == build.MANIFEST_FORMAT and manifest["version"] == build.source_version()
    assert manifest["organizations"] == [organization_dict(d) for d in load_departments()]
    assert [d["package"] for d in manifest["datasets"]] == [s.dataset for s in seeds]
    for entry, seed in zip(manifest["datasets"], seeds, strict=True):
        assert [(r["file"], r["resource"]) for r in entry["resources"]] == [
            (f.filename, f.resource) for f in seed.files]
        assert all((tmp_path / "files" / r["file"]).is_file() for r in entry["resources"])
    assert not list(tmp_path.glob("*.partial"))


def test_a_build_replaces_the_files_of_an_earlier_one(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "gone.csv").write_text("a\n", encoding="utf-8")
    build.build(tmp_path)
    assert not (tmp_path / "files" / "gone.csv").exists()


def test_a_folder_is_current_only_with_a_manifest_of_this_version(tmp_path: Path) -> None:
    assert not build.is_current(tmp_path)
    (tmp_path / build.MANIFEST).write_text("{broken", encoding="utf-8")
    assert not build.is_current(tmp_path)
    manifest = {"format": build.MANIFEST_FORMAT, "version": "an older one"}
    (tmp_path / build.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert not build.is_current(tmp_path)
    manifest["version"] = build.source_version()
    (tmp_path / build.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert build.is_current(tmp_path)


def test_the_version_follows_the_sources(tmp_path: Path, monkeypatch) -> None:
    version = build.source_version()
    assert re.fullmatch(r"[0-9a-f]{64}", version) and build.source_version() == version
    copy = tmp_path / "catalog_seed"
    copy.mkdir()
    for path in build.PACKAGE.glob("*.py"):
        (copy / path.name).write_bytes(path.read_bytes())
    (copy / "specs").mkdir()
    for path in build.PACKAGE.glob("specs/*.py"):
        (copy / "specs" / path.name).write_bytes(path.read_bytes())
    (copy / "departments.yaml").write_bytes((build.PACKAGE / "departments.yaml").read_bytes())
    monkeypatch.setattr(build, "PACKAGE", copy)
    assert build.source_version() == version
    with (copy / "specs" / "credit.py").open("a", encoding="utf-8") as handle:
        handle.write("# changed\n")
    assert build.source_version() != version


# --- coverage of the catalogue -----------------------------------------------------

def test_at_least_130_datasets_over_all_12_domains(seeds: list[SeedDataset]) -> None:
    assert len(seeds) >= 130
    domains = Counter(s.dataset["data_domain"] for s in seeds)
    assert set(domains) == set(DOMAINS) and len(DOMAINS) == 12
    assert min(domains.values()) >= 8


def test_owners_exist_and_at_least_20_departments_publish(seeds: list[SeedDataset]) -> None:
    departments = {d["name"]: d for d in load_departments()}
    owners = Counter(s.dataset["owner_org"] for s in seeds)
    assert set(owners) <= set(departments)
    assert len(owners) >= 20
    assert any(departments[o]["kind"] == "district" for o in owners)


def test_names_titles_codes_and_filenames_are_unique(seeds: list[SeedDataset]) -> None:
    for key in ("name", "title", "title_en", "catalogue_code"):
        values = [s.dataset[key] for s in seeds]
        assert len(values) == len(set(values)), key
    filenames = [f.filename for s in seeds for f in s.files]
    assert len(filenames) == len(set(filenames))


def test_catalogue_codes_follow_the_documented_scheme(seeds: list[SeedDataset]) -> None:
    departments = {d["name"]: d for d in load_departments()}
    domain_numbers = {code: number for number, code in enumerate(DOMAINS, 1)}
    for seed in seeds:
        match = CATALOGUE_CODE.fullmatch(seed.dataset["catalogue_code"])
        assert match, seed.dataset["catalogue_code"]
        assert int(match.group(1)) == domain_numbers[seed.dataset["data_domain"]]
        assert match.group(3) == departments[seed.dataset["owner_org"]]["code"]



# --- dataset dicts -----------------------------------------------------------------

def test_every_dataset_dict_is_complete_and_consistent(seeds: list[SeedDataset]) -> None:
    for seed in seeds:
        d = seed.dataset
        label = d["name"]
        assert all(d.get(key) not in (None, "", []) for key in REQUIRED_KEYS), label
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]+", d["name"]), label
        assert d["notes"].endswith(DISCLAIMER_ZH), label
        assert 2 <= d["notes"].count("。") <= 4, label
        assert d["notes_en"].endswith(DISCLAIMER_EN), label
        assert d["open_type"] in ("unconditional", "conditional", "non_open"), label
        assert bool(d["open_conditions"]) == (d["open_type"] == "conditional"), label
        assert d["share_type"] in ("unconditional", "conditional", "none"), label
        assert d["license_id"] == ("cc-by" if d["open_type"] == "unconditional" else "other-closed"), label
        assert d["update_frequency"] in FREQUENCIES, label
        dates = [d[k] for k in ("release_date", "last_updated", "temporal_start", "temporal_end")]
        assert all(DATE.fullmatch(v) for v in dates), label
        assert "2014-01-01" <= d["release_date"] <= "2016-12-31", label
        assert d["release_date"] <= d["last_updated"], label
        assert d["temporal_start"] <= d["temporal_end"], label
        assert d["record_count"] == len(seed.files[0].rows()), label
        assert 1 <= len(d["app_scenarios"]) <= 3, label
        assert 2 <= len(d["tags"]) <= 5, label
        assert all("," not in t["name"] and "，" not in t["name"] and len(t["name"]) <= 100 for t in d["tags"]), label
        assert d["contact_email"].endswith(".example.gov.cn"), label
        assert "resources" not in d, label


def test_open_type_mix_is_about_60_30_10(seeds: list[SeedDataset]) -> None:
    shares = {k: v / len(seeds) for k, v in Counter(s.dataset["open_type"] for s in seeds).items()}
    assert set(shares) == {"unconditional", "conditional", "non_open"}
    assert 0.5 <= shares["unconditional"] <= 0.7
    assert 0.2 <= shares["conditional"] <= 0.4
    assert 0.05 <= shares["non_open"] <= 0.15
