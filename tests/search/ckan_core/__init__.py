"""CKAN's shipped search tests, run against the PostgreSQL backend (a pytest plugin).

``python -m ckanext.shanghai.stack test --tier ckan`` runs
``ckan.tests.logic.action.test_get`` and ``ckan.tests.lib.search`` with this plugin
(``-p tests.search.ckan_core``) and ``ckan.ini`` next to it: CKAN's own tests are the
specification of what ``package_search`` and the index must do, so the backend is held
to them unchanged.
"""
from __future__ import annotations

import zlib
from collections.abc import Generator
from typing import Any

import ckan.plugins as plugins
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.cli.db import _run_migrations
from ckan.tests import factories

_PLUGIN = "shanghai_search"

#: CKAN tests that only make sense with Solr itself, and why.
SOLR_ONLY: dict[str, str] = {
    # They check Solr's schema.xml files; there is no Solr schema here (start-up's
    # check is replaced by one that says it does not apply).
    "test_search.py::test_check_valid_schema": "checks a Solr schema file",
    "test_search.py::test_check_invalid_schema": "checks a Solr schema file",
    "test_search.py::test_check_schema_with_wrong_version": "checks a Solr schema file",
    # It writes two documents into Solr over a direct connection (make_connection).
    "test_search.py::test_get_index_uses_site_id": "writes into Solr itself",
}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """CKAN's factories draw titles and descriptions from Faker's English words
    ("record" among them), unseeded: ``test_name_multiple_results`` expects
    ``q=record`` not to find a dataset named third-dataset, and failed whenever its
    random text held the word (Solr would find it too). Seeded by the test's id,
    before its fixtures, every test makes the same datasets in every run and order."""
    factories.fake.seed_instance(zlib.crc32(item.nodeid.encode()))


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Generator[None, None, None]:
    """After a database reset, create the index table again: the first reset of a
    session drops every table, ours with CKAN's (the project's own ``clean_db`` in
    ``tests/conftest.py`` does the same for every plugin)."""
    yield
    if fixturedef.argname in ("clean_db", "non_clean_db", "reset_db_once") and \
            not sa.inspect(model.Session.connection()).has_table("shanghai_search_index"):
        model.Session.commit()
        if plugins.plugin_loaded(_PLUGIN):
            _run_migrations(_PLUGIN)
        else:  # CKAN finds a plugin's migrations through the loaded plugin
            with plugins.use_plugin(_PLUGIN):
                _run_migrations(_PLUGIN)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    selected: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        (deselected if any(item.nodeid.endswith(t) for t in SOLR_ONLY) else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
