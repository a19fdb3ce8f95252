"""A fuzzer over the Action API and the pages that take ids: no input gets a 5xx.

Through the real test app over HTTP, as an anonymous caller and as a logged-in user, it
calls every action our plugins register (``shanghai_*``), every DataStore action and
CKAN's ``package_search``, ``package_show``, ``resource_show``, ``organization_show``,
``group_show`` and ``member_list``, by GET (query string) and POST (JSON body), with
payloads hypothesis generates: NUL characters, wrong JSON types, huge numbers, bad dates
and booleans, long strings, and the ids of real contests, bundles, datasets and
resources so that calls get past the lookups. Pages that take ids in their path are
fuzzed the same way. It fails on any 5xx (or an exception out of a page), listing them
all; it never asserts on time. The counts of requests and statuses are printed.
"""
from __future__ import annotations

import collections
import json
import os
import urllib.parse
from typing import Any

import ckan.lib.jobs as jobs
import ckan.logic
import pytest
from ckan.tests import factories, helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.shanghai.validation import runner
from tests.bundles.conftest import contest  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")

#: CKAN core's actions the portal exposes that read ids and search parameters.
CORE_ACTIONS = ("package_search", "package_show", "resource_show", "organization_show",
                "group_show", "member_list")
#: Examples per action (each one is sent four ways) and per page; raise it for a longer hunt.
EXAMPLES = int(os.environ.get("SHANGHAI_FUZZ_EXAMPLES", "12"))

NASTY = ["\x00", "a\x00b", "", " ", "abc", "null", "[]", "{}", "[1]", "true", "yes", "-1",
         "0", "99999999999999999999", "9223372036854775808", "1e308", "-1e308", "NaN",
         "2016-13-45", "NOW-99999999YEAR", "NOW/FOO", "NOW+1000000000DAY",
         "release_date:[2016-13-45 TO *]", '["\\u0000"]', '{"a": 1}', '{"line": "11路"}',
         "*:*", "a* " * 50, "上海", "%00", "../../etc/passwd", "<script>", "'; --"]
KEYS = ["id", "name", "resource_id", "package_id", "contest", "bundle", "team", "version",
        "q", "fq", "fq_list", "fl", "rows", "start", "sort", "facet.field", "facet.limit",
        "facet.mincount", "include_private", "include_drafts", "include_deleted",
        "use_default_schema", "all_fields", "include_datasets", "filters", "limit",
        "offset", "fields", "records", "plain", "distinct", "language", "include_total",
        "object_type", "capacity", "accept", "verified", "note", "title", "access_tier",
        "datasets", "terms", "start_date", "end_date", "edition", "members", "method",
        "force", "total_estimation_threshold", "records_format"]


def _values(known: list[str]) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.sampled_from(known), st.sampled_from(NASTY), st.text(max_size=30),
        st.integers(1000, 20000).map(lambda n: "长" * n),
        st.integers(-2**70, 2**70), st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(), st.none())
    return st.one_of(scalars, st.lists(scalars, max_size=3),
                     st.dictionaries(st.sampled_from(["line", "a", "\x00", ""]), scalars,
                                     max_size=2))


def _payloads(known: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=8))
    return st.dictionaries(keys, _values(known), max_size=5)


def _query(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """A payload as a query string: lists repeat the key, objects are JSON."""
    pairs = []
    for key, value in payload.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, item if isinstance(item, str) else json.dumps(item)))
    return pairs


class Fuzzer:
    """Sends requests, counts them by target and status, and keeps every 5xx."""

    def __init__(self, app: Any, callers: dict[str, dict[str, str]]) -> None:
        self.app = app
        self.callers = callers
        self.counts: collections.Counter[tuple[str, int]] = collections.Counter()
        self.failures: list[str] = []

    def send(self, target: str, method: str, url: str, **kwargs: Any) -> None:
        for caller, headers in self.callers.items():
            try:
                response = getattr(self.app, method)(url, headers=headers, status=None,
                                                     **kwargs)
                status = response.status_code
                excerpt = response.get_data()[:200].decode("utf-8", "replace")
            except Exception as error:  # noqa: BLE001 - a page's exception is a 500
                status, excerpt = 500, repr(error)[:200]
            self.counts[(target, status)] += 1
            if status >= 500:
                self.failures.append(f"{status} {caller} {method.upper()} {url} "
                                     f"{kwargs!r:.300} → {excerpt}")

    def report(self) -> str:
        by_status: collections.Counter[int] = collections.Counter()
        targets = set()
        for (target, status), n in self.counts.items():
            by_status[status] += n
            targets.add(target)
        lines = [f"fuzzer: {sum(by_status.values())} requests to {len(targets)} actions and "
                 f"pages; by status: {dict(sorted(by_status.items()))}"]
        for target in sorted(targets):
            statuses = {s: n for (t, s), n in sorted(self.counts.items()) if t == target}
            lines.append(f"  {target}: {statuses}")
        return "\n".join(lines)


def _actions() -> list[str]:
    ckan.logic.get_action("package_show")  # fills the registry of every plugin's actions
    ours = sorted(name for name in ckan.logic._actions
                  if name.startswith(("shanghai_", "datastore_")))
    return ours + list(CORE_ACTIONS)


#: Pages that take ids in their path.
PAGES = {"dataset": "/dataset/{}", "resource": "/dataset/bus-lines/resource/{}",
         "contest": "/contest/{}", "bundle": "/contest/soda-2015/bundle/{}/download",
         "bundle file": "/contest/soda-2015/bundle/open/resource/{}",
         "dump": "/datastore/dump/{}"}
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


def _fuzz_action(fuzzer: Fuzzer, action: str, known: list[str]) -> None:
    @FUZZ
    @given(payload=_payloads(known))
    def call(payload: dict[str, Any]) -> None:
        url = f"/api/3/action/{action}"
        fuzzer.send(action, "get", url, query_string=_query(payload))
        fuzzer.send(action, "post", url, json=payload)
    call()


def _fuzz_page(fuzzer: Fuzzer, page: str, pattern: str, segments: st.SearchStrategy[str],
               known: list[str]) -> None:
    @FUZZ
    @given(segment=segments, payload=_payloads(known))
    def get(segment: str, payload: dict[str, Any]) -> None:
        url = pattern.format(urllib.parse.quote(segment, safe=""))
        fuzzer.send(page, "get", url, query_string=_query(payload))
    get()


def test_no_input_gets_a_5xx(app, contest, capsys, record_property):  # noqa: F811
    jobs.Worker([runner.QUEUE]).work(burst=True)  # the CSV data into the DataStore
    organiser = contest["organiser"]
    bus = contest["resources"]["bus"]
    view = helpers.call_action("resource_view_create", context={"user": organiser["name"]},
                               resource_id=bus["id"], view_type="datatables_view",
                               title="表格")
    user = factories.User()
    callers = {"anonymous": {},
               "user": {"Authorization": factories.APIToken(user=user["name"])["token"]}}
    known = ["soda-2015", "open", "cards", "flows", "bus-lines", "card-taps", bus["id"],
             contest["resources"]["cards"]["id"], view["id"], bus["package_id"],
             contest["bundles"]["open"]["id"], user["name"]]
    fuzzer = Fuzzer(app, callers)
    actions = _actions()
    assert {"shanghai_contest_show", "shanghai_bundle_show", "datastore_search",
            "shanghai_resource_validation_show"} <= set(actions)

    for action in actions:
        _fuzz_action(fuzzer, action, known)
    segments = st.one_of(st.sampled_from(known + NASTY), st.text(min_size=1, max_size=40))
    for page, pattern in PAGES.items():
        _fuzz_page(fuzzer, page, pattern, segments, known)

    form_keys = st.sampled_from(["draw", "start", "length", "search[value]",
                                 "order[0][column]", "order[0][dir]", "filters"])
    @FUZZ
    @given(segment=st.one_of(st.just(view["id"]), segments),
           form=st.dictionaries(form_keys, st.one_of(st.sampled_from(NASTY),
                                                     st.integers(-5, 99).map(str)),
                                max_size=6))
    def datatables(segment: str, form: dict[str, str]) -> None:
        url = f"/datatables/ajax/{urllib.parse.quote(segment, safe='')}"
        fuzzer.send("datatables ajax", "post", url,
                    data={"draw": "1", "search[value]": "", "start": "0", "length": "10",
                          **form})
    datatables()

    summary = fuzzer.report()
    record_property("fuzz_counts", summary)
    with capsys.disabled():
        print("\n" + summary)
    assert not fuzzer.failures, f"{len(fuzzer.failures)} requests got a 5xx:\n" + "\n".join(
        fuzzer.failures[:60])
