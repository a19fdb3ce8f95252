"""The seed catalogue, generated once for the tests of this folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from catalog_seed.build import SeedDataset, iter_seed_datasets


@pytest.fixture(scope="session")
def seeds() -> list[SeedDataset]:
    return list(iter_seed_datasets())


@pytest.fixture(scope="session")
def by_name(seeds: list[SeedDataset]) -> dict[str, SeedDataset]:
    return {seed.dataset["name"]: seed for seed in seeds}


@pytest.fixture(scope="session")
def written(seeds: list[SeedDataset], tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("seed")
    for seed in seeds:
        for seed_file in seed.files:
            seed_file.write(directory)
    return directory
