"""Fixtures shared by the whole suite, on top of CKAN's pytest plugin."""
from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from ckan.cli.db import _get_pending_plugins

from catalog_seed import build


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist each worker gets a lane of its own (``stack test`` makes one
    per worker: database, DataStore, Redis database and storage), named in
    ``$SHANGHAI_TEST_INIS``; CKAN's plugin loads the worker's ini at session start."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    lanes = os.environ.get("SHANGHAI_TEST_INIS")
    if worker and lanes:
        ini = lanes.split(os.pathsep)[int(worker.removeprefix("gw"))]
        config.option.ckan_ini = ini
        os.environ["CKAN_INI"] = ini  # for the tests that start CKAN commands themselves


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


@pytest.fixture
def http_files(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A local HTTP server over a temporary folder: (folder, base URL), for URL
    resources that harvesters, validation and bundles fetch over real HTTP."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
