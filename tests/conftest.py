"""Fixtures shared by the whole suite, on top of CKAN's pytest plugin."""
from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
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


#: Modules whose tests pytest-xdist may spread over its workers one by one (they share
#: no module fixture); every other module's tests stay together on one worker.
SPREAD = ("tests/test_leaks.py",)
#: The longest modules (15 s and more on 2 cores, setup included), longest first: a worker that
#: takes one of them at the end of the run would keep the other one waiting.
LONGEST = (
    "tests/search/test_package_search.py",
    "tests/search/test_query_understanding.py",
    "tests/stack/test_multinode.py",
    "tests/stack/test_backup.py",
    "tests/validation/test_queue.py",
    "tests/search/test_limits.py",
    "tests/validation/test_validation.py",
    "tests/harvest/test_department.py",
    "tests/bundles/test_download.py",
    "tests/test_leaks.py",  # in parts of 12 to 22 s
    "tests/portal/test_access.py",
    "tests/validation/test_limits.py",
    "tests/portal/test_inputs.py",
    "tests/bundles/test_access.py",
    "tests/search/test_exact.py",
)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group the tests for ``--dist loadgroup``, which ``stack test`` passes with
    ``--no-loadscope-reorder``: the groups are handed out in collection order, so the
    longest modules go first."""
    modules = {item: item.nodeid.split("::")[0] for item in items}
    for item, module in modules.items():
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(
                item.nodeid if module in SPREAD else module))
    rank = {module: n for n, module in enumerate(LONGEST)}
    # stable: the order within a module, and of the rest, stays
    items.sort(key=lambda item: rank.get(modules[item], len(LONGEST)))


#: Plugins whose migrations ran since this process's tables were last dropped.
_migrated: set[str] = set()


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's clean_db, then the migrations of every enabled plugin that has them.

    Only a reset that drops the tables (a process's first) drops the plugins' tables
    with CKAN's; later resets delete rows and keep every table. So alembic, which costs
    a history walk per plugin, is asked only after a drop or when a plugin is enabled
    that was not since."""
    if not model.repo.tables_created_and_initialised:
        _migrated.clear()
    reset_db()
    plugins = set(tk.config.get("ckan.plugins"))
    if not plugins <= _migrated:
        for plugin in sorted(_get_pending_plugins()):
            migrate_db_for(plugin)
        _migrated.update(plugins)


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
