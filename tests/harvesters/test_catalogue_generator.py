"""The catalogue generator: the full scale's numbers and the seed files' stability."""
from __future__ import annotations

import harvesters
from catalog_seed.departments import load_departments
from ckanext.shanghai.harvest.readers import read
from harvesters import catalogue_generator as gen


def test_full_scale_has_15000_entries_210000_items_in_45_departments():
    plan = gen.full_plan()
    assert len(plan) == 45
    assert len({d["code"] for d, _ in plan}) == 45
    assert sum(len(counts) for _, counts in plan) == 15_000
    assert sum(sum(counts) for _, counts in plan) == 210_000


def test_full_scale_files_read_back_exactly(tmp_path):
    files = gen.write_full(tmp_path, departments=3, total=60)
    entries = [e for path in files.values() for e in read("csv", path)]
    assert len(entries) == 60 and sum(len(e.data_items) for e in entries) == 60 * 14
    assert len({e.code for e in entries}) == 60


def test_seed_catalogues_are_reproducible(tmp_path):
    written = gen.write_seed(tmp_path)
    assert len(written) >= 10
    assert {p.suffix for p in written.values()} == {".xlsx", ".csv", ".json"}
    for path in written.values():
        if path.suffix != ".xlsx":  # xlsx files carry their creation time
            assert path.read_bytes() == (harvesters.CATALOGUES / path.name).read_bytes(), path.name
    names = {d["name"] for d in load_departments()}
    assert set(written) <= names


def test_entries_are_deterministic():
    department = load_departments()[5]
    assert list(gen.entries(department, 4)) == list(gen.entries(department, 4))


def test_the_seed_sources_list_every_seed_catalogue():
    sources = gen.seed_sources()
    files = {p.name for p in harvesters.CATALOGUES.iterdir()} - {harvesters.SEED_SOURCES.name}
    assert {s["file"] for s in sources.values()} == files
    assert {s["format"] for s in sources.values()} == {"xlsx", "csv", "api"}
    assert all(s["defect"] for s in sources.values())
