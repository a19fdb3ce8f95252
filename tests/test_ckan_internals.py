"""The internals of CKAN and its extensions that our code relies on, one test each.

Each is listed in ``docs/architecture.md`` ("CKAN internals we rely on"). A test here
fails when an upgrade of CKAN, ckanext-harvest, ckanext-dcat or rq changes what we use,
and its message names our file that must change with it.
"""
from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def _parameters(function: Callable[..., Any]) -> list[str]:
    return [name for name in inspect.signature(function).parameters if name != "self"]


def _source(obj: Any) -> str:
    return inspect.getsource(obj)


# --- search: ckanext/shanghai/search/backend.py (and bench/search.py) --------------------

def test_the_search_registry_is_two_module_dicts_that_index_for_and_query_for_read() -> None:
    import ckan.lib.search as search

    ours = "search/backend.py install() and bench/search.py"
    assert isinstance(search._INDICES, dict) and "package" in search._INDICES, ours
    assert isinstance(search._QUERIES, dict) and "package" in search._QUERIES, ours
    assert "_INDICES[" in _source(search.index_for), f"{ours}: index_for no longer reads _INDICES"
    assert "_QUERIES[" in _source(search.query_for), f"{ours}: query_for no longer reads _QUERIES"
    assert "index_for(" in _source(search.clear_all), f"{ours}: clear_all (clean_index) bypasses it"
    from ckan.lib.search.index import NoopSearchIndex

    assert issubclass(NoopSearchIndex, search.SearchIndex), "bench/search.py: NoopSearchIndex"


def test_ckan_builds_package_search_query_from_the_module_attribute() -> None:
    from ckan.lib.dictization import model_dictize

    assert "search.PackageSearchQuery()" in _source(model_dictize), (
        "search/backend.py _ATTRIBUTES: group and organisation counts no longer build "
        "ckan.lib.search.PackageSearchQuery() themselves; drop or move that replacement")


def test_start_up_calls_the_solr_schema_check_through_the_module() -> None:
    import ckan.config.environment as environment
    import ckan.lib.search as search

    assert "search.check_solr_schema_version()" in _source(environment), (
        "search/backend.py _ATTRIBUTES: CKAN's start-up no longer calls "
        "ckan.lib.search.check_solr_schema_version(); the replacement may not apply")
    assert _parameters(search.check_solr_schema_version) == ["schema_file"], (
        "search/backend.py _no_solr_schema_check: signature changed")


def _ckans(cls: type) -> Any:
    """CKAN's own class behind ours, once the backend has replaced the module attribute."""
    return next(c for c in cls.__mro__ if c.__module__.startswith("ckan.lib.search"))


def test_the_package_index_gets_the_validated_dict_under_with_custom_schema() -> None:
    import ckan.lib.navl.dictization_functions as df
    import ckan.lib.search.index as index

    ours = "search/backend.py PackageSearchIndex"
    PackageSearchIndex = _ckans(index.PackageSearchIndex)  # noqa: N806
    assert PackageSearchIndex.__name__ == "PackageSearchIndex", ours
    assert _parameters(PackageSearchIndex.index_package) == ["pkg_dict", "defer_commit"], ours
    assert "pkg_dict.pop('with_custom_schema')" in _source(PackageSearchIndex.index_package), (
        f"{ours}.index_package pops 'with_custom_schema' as CKAN's does")
    assert "MissingNullEncoder" in _source(PackageSearchIndex.index_package), ours
    assert issubclass(df.MissingNullEncoder, json.JSONEncoder), ours
    for method in ("delete_package", "commit", "clear"):
        assert callable(getattr(PackageSearchIndex, method)), f"{ours}.{method}"


def test_the_package_query_is_run_with_permission_labels_and_solr_parameters() -> None:
    from ckan.lib.search.query import VALID_SOLR_PARAMETERS, PackageSearchQuery

    ours = "search/backend.py PackageSearchQuery"
    assert _parameters(PackageSearchQuery.run) == ["query", "permission_labels", "kwargs"], ours
    assert _parameters(PackageSearchQuery.get_index) == ["reference"], ours
    assert _parameters(PackageSearchQuery.get_all_entity_ids) == ["max_results"], ours
    assert {"q", "fq", "fq_list", "facet.field", "rows", "start", "sort", "fl"} <= VALID_SOLR_PARAMETERS, ours


def test_ckans_query_guard_uses_two_module_regexes_and_the_local_params_parser() -> None:
    from ckan.lib.search import query

    ours = "search/backend.py _check_query_parser, _local_query"
    run = _source(_ckans(query.PackageSearchQuery).run)
    for name in ("MAGIC_FIELD_RE", "QUERY_PARSER_RE", "_get_local_query_parser(value)",
                 'config["ckan.search.solr_allowed_query_parsers"]'):
        assert name in run, f"{ours}: CKAN's guard no longer uses {name}"
    assert query._get_local_query_parser(" {!type=bool must=x}") == "bool", ours
    assert query._parse_local_params("{!lucene q.op=OR}") == ["lucene", ["q.op", "OR"]], ours


def test_the_index_class_is_also_imported_from_the_index_module() -> None:
    import ckan.lib.search as search
    import ckan.lib.search.index as index

    assert "PackageSearchIndex" in vars(index), (
        "search/backend.py _INDEX_ATTRIBUTES: ckan.lib.search.index.PackageSearchIndex is gone")
    assert search.PackageSearchIndex is index.PackageSearchIndex, (
        "search/backend.py: the backend replaces the class in both modules")


def test_rebuild_and_commit_reach_the_index_through_the_registry() -> None:
    import ckan.lib.search as search

    ours = "harvest/logic/action.py harvest_source_reindex/_clear, validation/runner.py"
    assert {"package_id", "defer_commit"} <= set(_parameters(search.rebuild)), ours
    assert "index_for(" in _source(search.rebuild), f"{ours}: rebuild bypasses the registry"
    assert _parameters(search.commit) == [], ours


def test_permission_labels_come_from_one_plugin_with_the_methods_we_override() -> None:
    from ckan.lib.plugins import DefaultPermissionLabels, get_permission_labels

    ours = "harvest/access.py PermissionLabels, portal/listings.py, search/backend.py"
    assert _parameters(DefaultPermissionLabels.get_dataset_labels) == ["dataset_obj"], ours
    assert _parameters(DefaultPermissionLabels.get_user_dataset_labels) == ["user_obj"], ours
    assert _parameters(get_permission_labels) == [], ours


# --- migrations: ckanext/shanghai/migration/<plugin>/ and tests/conftest.py -----------------

@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("plugin", ["shanghai_search", "shanghai_validation", "shanghai_bundles"])
def test_ckan_finds_each_plugins_migrations_under_the_first_folder_below_ckanext(plugin: str) -> None:
    from ckan.cli.db import _resolve_alembic_config

    import ckanext.shanghai

    expected = Path(ckanext.shanghai.__file__).parent / "migration" / plugin / "alembic.ini"
    assert Path(_resolve_alembic_config(plugin)) == expected, (
        "ckanext/shanghai/migration/<plugin>/: ckan/cli/db.py _resolve_alembic_config "
        "looks elsewhere now; move the migrations where it looks")
    assert expected.is_file()


def test_clean_db_asks_ckan_which_plugins_have_pending_migrations() -> None:
    from ckan.cli.db import _get_pending_plugins

    assert _parameters(_get_pending_plugins) == [], "tests/conftest.py clean_db"
    assert "ckan.plugins" in _source(_get_pending_plugins), "tests/conftest.py clean_db"


def test_only_a_reset_that_drops_tables_needs_the_plugins_migrations_again() -> None:
    from ckan.model import Repository

    rebuild = _source(Repository.rebuild_db)
    assert "tables_created_and_initialised" in rebuild, "tests/conftest.py clean_db"
    assert "delete_all" in rebuild and "clean_db" in rebuild, "tests/conftest.py clean_db"
    # delete_all empties the tables it knows and drops none: the plugins' alembic
    # version tables (and so their migrations) survive it
    delete_all = _source(Repository.delete_all)
    assert "sa.delete(table)" in delete_all and "drop_all" not in delete_all, (
        "tests/conftest.py clean_db")


def test_the_migration_functions_migrate_calls_exist() -> None:
    from ckan.cli import db
    from ckanext.datastore import cli as datastore_cli

    assert _parameters(db._run_migrations)[:1] == ["plugin"], "stack/roles.py migrate"
    assert _parameters(db._migrate_plugins) == ["apply"], "stack/roles.py migrate"
    assert _parameters(db._resolve_alembic_config) == ["plugin"], "stack/roles.py"
    assert _parameters(datastore_cli._parse_db_config) == ["config_key"], "stack/roles.py"
    assert _parameters(datastore_cli.permissions_sql) == [
        "maindb", "datastoredb", "mainuser", "writeuser", "readuser"], "stack/roles.py"


# --- ckanext-harvest: harvest/framework.py, consumers.py, operations.py, department.py -----

def test_ckanext_harvest_still_shares_one_dict_between_its_registries() -> None:
    from ckanext.harvest import plugin as harvest_plugin

    from ckanext.shanghai.harvest import framework

    original = framework._shared
    assert _parameters(original) == ["module_root", "logic_functions"], (
        "harvest/framework.py: ckanext-harvest's _get_logic_functions changed signature")
    default = inspect.signature(original).parameters["logic_functions"].default
    assert isinstance(default, dict), (
        "harvest/framework.py: ckanext-harvest no longer shares a mutable default "
        "between its action and auth registries; the correction can go")
    assert hasattr(harvest_plugin, "_get_logic_functions")
    assert "_get_logic_functions(" in _source(harvest_plugin.Harvest), (
        "harvest/framework.py: ckanext-harvest's plugin no longer builds its registries "
        "through the module's _get_logic_functions, so replacing it does nothing")


def test_the_queue_callbacks_and_consumers_we_wrap() -> None:
    from ckanext.harvest import queue

    ours = "harvest/consumers.py"
    for name in ("gather_callback", "fetch_callback"):
        assert _parameters(getattr(queue, name)) == ["channel", "method", "header", "body"], f"{ours}: {name}"
    for name in ("get_gather_consumer", "get_fetch_consumer", "get_gather_queue_name",
                 "get_fetch_queue_name"):
        assert _parameters(getattr(queue, name)) == [], f"{ours}: {name}"
    assert "harvest_job_id" in _source(queue.gather_callback), f"{ours}: the gather message's key"
    assert "harvest_object_id" in _source(queue.fetch_callback), f"{ours}: the fetch message's key"


def test_the_stages_run_in_process() -> None:
    from ckanext.harvest import queue

    ours = "harvest/operations.py run_source, harvest/logic/auth.py"
    assert _parameters(queue.get_harvester) == ["harvest_source_type"], ours
    assert _parameters(queue.gather_stage) == ["harvester", "job"], ours
    assert _parameters(queue.fetch_and_import_stages) == ["harvester", "obj"], ours


def test_harvest_objects_import_sets_force_import_on_the_harvester() -> None:
    from ckanext.harvest.harvesters.base import HarvesterBase
    from ckanext.harvest.logic.action.update import harvest_objects_import

    assert "harvester.force_import = True" in _source(harvest_objects_import), (
        "harvest/department.py and harvest/dcat.py: forced imports read force_import")
    assert _parameters(HarvesterBase._save_object_error)[:3] == ["message", "object", "stage"], (
        "harvest/department.py: HarvesterBase._save_object_error(message, object, stage)")


def test_a_new_sources_harvest_source_is_added_but_not_flushed_by_ckanext_harvest() -> None:
    from ckanext.harvest import plugin as harvest_plugin

    ours = "harvest/department.py after_dataset_create (flushes it)"
    assert "_create_harvest_source_object(" in _source(harvest_plugin.Harvest.after_dataset_create), ours
    creation = _source(harvest_plugin._create_harvest_source_object)
    assert "source.add()" in creation and "flush()" not in creation, ours


# --- ckanext-dcat: harvest/dcat.py DistrictDCATHarvester ---------------------------------

def test_the_dcat_harvester_finds_datasets_through_the_private_method_we_override() -> None:
    from ckanext.dcat.harvesters import DCATRDFHarvester
    from ckanext.dcat.interfaces import IDCATRDFHarvester

    ours = "harvest/dcat.py DistrictDCATHarvester"
    assert _parameters(DCATRDFHarvester._get_existing_dataset) == ["guid"], ours
    assert _parameters(DCATRDFHarvester._read_datasets_from_db) == ["guid"], ours
    assert _parameters(DCATRDFHarvester._get_user_name) == [], ours
    import_stage = _source(DCATRDFHarvester.import_stage)
    assert "self._get_existing_dataset(" in import_stage, f"{ours}: override no longer called"
    assert _parameters(IDCATRDFHarvester.before_update) == [
        "harvest_object", "dataset_dict", "temp_dict"], ours
    assert "return 'unchanged'" in import_stage and "if dataset:" in import_stage, (
        f"{ours}.before_update empties the dict to skip an update: 'unchanged' no longer follows")


# --- the worker: ckanext/shanghai/stack/worker.py -------------------------------------------

def test_ckans_worker_is_rqs_with_the_hooks_we_extend() -> None:
    import ckan.lib.jobs as jobs
    import rq

    ours = "stack/worker.py Worker"
    assert issubclass(jobs.Worker, rq.Worker), ours
    assert _parameters(jobs.Worker.main_work_horse) == ["job", "queue"], ours
    assert _parameters(jobs.Worker.run_maintenance_tasks) == [], ours
    assert _parameters(jobs.Worker.handle_job_failure)[:2] == ["job", "queue"], ours
    assert "with_scheduler" in _parameters(jobs.Worker.work), ours
    assert "self.main_work_horse(" in _source(rq.Worker.fork_work_horse), (
        f"{ours}: rq no longer runs main_work_horse in the forked horse")



# --- the web role's assets: ckanext/shanghai/stack/gunicorn_conf.py, warmup.py --------------

def test_ckans_pages_take_asset_urls_from_the_webassets_environment_we_freeze(app: Any) -> None:
    from ckan.lib import webassets_tools
    from webassets import Bundle, Environment

    ours = "stack/warmup.py freeze_assets"
    assert isinstance(webassets_tools.env, Environment), ours
    assert "bundle.urls()" in _source(webassets_tools.include_asset), (
        f"{ours}: CKAN no longer asks the bundle for its urls on each page")
    assert "if ctx.auto_build:" in _source(Bundle._urls), (
        f"{ours}: webassets builds regardless of auto_build")

# --- the Flask app: portal/inputs.py, security.py, views.py, downloads.py; bench -------------

@pytest.mark.usefixtures("with_plugins")
def test_our_input_check_runs_right_after_ckans_own_before_request_hook(app: Any) -> None:
    from ckan.config.middleware.flask_app import ckan_before_request

    from ckanext.shanghai.portal.inputs import refuse_bad_input

    hooks = app.flask_app.before_request_funcs[None]
    assert ckan_before_request in hooks, "portal/inputs.py install(): CKAN's hook is gone"
    assert hooks.index(refuse_bad_input) == hooks.index(ckan_before_request) + 1


@pytest.mark.usefixtures("with_plugins")
def test_the_views_we_wrap_or_guard_by_endpoint_exist(app: Any) -> None:
    from ckanext.shanghai.portal import downloads, inputs

    endpoints = set(app.flask_app.view_functions)
    needed = {*inputs._DATATABLES_VIEWS, *downloads.FILE_ENDPOINTS, "api.action",
              "dataset_resource.download", "dataset_resource.read", "resource.view"}
    missing = needed - endpoints
    assert not missing, f"portal/inputs.py, downloads.py, views.py: endpoints gone: {missing}"
    for suffix in inputs._VIEW_FAULTS:
        assert any(endpoint.endswith(suffix) for endpoint in endpoints), (
            f"portal/inputs.py _VIEW_FAULTS: no view {suffix}")
    arguments: dict[str, set[str]] = {}
    for rule in app.flask_app.url_map.iter_rules():
        arguments.setdefault(rule.endpoint, set()).update(rule.arguments)
    assert "logic_function" in arguments["api.action"], "portal/inputs.py: the action's name"
    assert "filename" in arguments["dataset_resource.download"], "portal/downloads.py _file_name"
    assert "resource_view_id" in arguments["datatablesview.ajax"], "portal/views.py guard_data"


def test_ckan_exempts_views_from_csrf_for_good_and_protect_checks_a_request() -> None:
    from ckan.config.middleware import flask_app

    ours = "portal/security.py require_csrf_token"
    assert "csrf.exempt(" in _source(flask_app.ckan_before_request), (
        f"{ours}: CKAN no longer exempts views for good; the guard may be unneeded")
    assert callable(flask_app.csrf.protect), ours


def test_bench_reaches_the_inner_flask_app_for_a_request_context() -> None:
    import ckan.config.middleware as middleware

    assert "._wsgi_app.test_request_context()" in _source(middleware.make_app), (
        "bench/__main__.py: CKAN's app no longer has _wsgi_app")


def test_i18n_js_translations_takes_the_language() -> None:
    from ckan.views.api import i18n_js_translations

    assert _parameters(i18n_js_translations)[0] == "lang", "portal/views.py js_translations"


def test_the_resource_uploaders_we_pick_between_and_munge_filename() -> None:
    import ckan.lib.files as files
    import ckan.lib.uploader as uploader
    from ckan.lib.munge import munge_filename

    ours = "portal/downloads.py resource_uploader"
    for name in ("ResourceUpload", "FKResourceUpload"):
        cls = getattr(uploader, name)
        assert _parameters(cls.__init__) == ["resource"], f"{ours}: {name}"
        init = _source(cls.__init__)
        assert "self.filename" in init and "self.mimetype" in init, f"{ours}: {name} attributes"
    assert _parameters(files.get_storage)[0] == "name", ours
    assert _parameters(uploader.get_resource_uploader) == ["data_dict"], ours
    assert _parameters(uploader.ResourceUpload.get_path) == ["id"], (
        "validation/runner.py and bundles/freeze.py read a local upload by get_path(id)")
    assert issubclass(files.exc.UnknownStorageError, Exception), ours
    assert munge_filename("公交线路.csv") == ".csv", (
        "portal/downloads.py readable_url: CKAN's munge_filename keeps Chinese names now; "
        "the uploader's renaming may be unneeded")


def test_ckan_reads_flags_with_exactly_the_words_we_accept() -> None:
    from ckan.common import asbool, falsy, truthy

    for word in truthy | falsy:
        asbool(word)
    with pytest.raises(ValueError):
        asbool("maybe")  # portal/inputs.py _is_flag refuses it first


# --- listings and auth: portal/listings.py, harvest/logic/auth.py ----------------------------

def test_activities_carry_permission_labels() -> None:
    from ckanext.activity.model import Activity

    assert "permission_labels" in Activity.__table__.c, (
        "portal/listings.py relabel_activities: Activity.permission_labels is gone")


def test_auth_functions_find_the_dataset_with_get_package_object() -> None:
    from ckan.logic.auth import get_package_object

    assert _parameters(get_package_object) == ["context", "data_dict"], "harvest/logic/auth.py"
