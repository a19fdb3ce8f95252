"""Fixtures shared by the whole suite, on top of CKAN's pytest plugin."""
from __future__ import annotations

import pytest
from ckan.cli.db import _get_pending_plugins

from catalog_seed import build


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's clean_db, then the migrations of every enabled plugin that has them
    (the first reset drops their tables along with CKAN's)."""
    reset_db()
    for plugin in sorted(_get_pending_plugins()):
        migrate_db_for(plugin)


@pytest.fixture(scope="session")
def seed_folder(tmp_path_factory):
    """The seed catalogue built as data (``python -m catalog_seed build``), once per run."""
    folder = tmp_path_factory.mktemp("seed")
    build.build(folder)
    return folder
