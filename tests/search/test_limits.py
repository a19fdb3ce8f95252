"""package_search answers every input with a result or a 4xx, and within its cost limits."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.lib.search import SearchError
from ckan.logic import ValidationError
from ckan.tests import helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

URL = "/api/3/action/package_search"


def _search(**params: Any) -> dict[str, Any]:
    return helpers.call_action("package_search", context={"user": "", "ignore_auth": False},
                               **params)


def _error(response: Any) -> dict[str, Any]:
    assert response.json["success"] is False
    return response.json["error"]


class TestBadInputIsA4xx:
    @pytest.mark.parametrize("params", [
        {"q": "release_date:[2016-13-45 TO *]"},
        {"fq": "release_date:[NOW-99999999YEAR TO *]"},
        {"fq": "release_date:[NOW/FOO TO NOW]"},
        {"fq": "metadata_modified:[NOW+1000000000DAY TO *]"},
    ])
    def test_bad_dates_in_ranges_are_a_400(self, app, params):
        error = _error(app.get(URL, params=params, status=400))
        assert error["__type"] == "Search Query Error"
        assert "date" in error["message"] or "unit" in error["message"]

    @pytest.mark.parametrize("start", ["99999999999999999999", "9223372036854775808", "100001"])
    def test_a_huge_start_is_a_400_naming_the_limit(self, app, start):
        error = _error(app.get(URL, params={"start": start}, status=400))
        assert "ckanext.shanghai.search.max_start" in error["message"]

    def test_a_huge_float_start_is_a_400(self, app):
        error = _error(app.post(URL, json={"start": 1e308}, status=400))
        assert "max_start" in error["message"]

    def test_the_largest_start_is_answered(self, app):
        assert app.get(URL, params={"start": "100000"}).json["result"]["results"] == []

    def test_a_negative_start_is_a_409(self, app):
        assert "start" in _error(app.post(URL, json={"start": -1}, status=409))

    @pytest.mark.parametrize("body, key", [
        ({"fl": 5}, "fl"),
        ({"fl": [5]}, "fl"),
        ({"fq_list": [1, 2]}, "fq_list"),
        ({"fq_list": [["a"]]}, "fq_list"),
        ({"fq_list": "data_domain:transport"}, "fq_list"),
    ])
    def test_wrong_json_types_are_a_409_naming_the_parameter(self, app, body, key):
        error = _error(app.post(URL, json=body, status=409))
        assert error["__type"] == "Validation Error"
        assert error[key]

    @pytest.mark.parametrize("names", [["\u0000"], ["tags\u0000"]])
    def test_a_nul_in_facet_field_is_a_400(self, app, names):
        assert _error(app.post(URL, json={"facet.field": names}, status=400))["message"]

    def test_a_facet_field_that_is_no_field_name_is_a_400(self, app):
        error = _error(app.post(URL, json={"facet.field": ["a b"]}, status=400))
        assert "facet.field" in error["message"]

    def test_strings_and_lists_of_strings_still_work(self, app):
        dataset(name="ds-a", data_domain="transport")
        result = app.post(URL, json={"fl": ["name", "data_domain"],
                                     "fq_list": ["data_domain:transport"],
                                     "facet.field": ["data_domain"]}).json["result"]
        assert result["results"] == [{"name": "ds-a", "data_domain": "transport"}]
        assert result["facets"] == {"data_domain": {"transport": 1}}


class TestCostLimits:
    def test_a_thousand_wildcards_are_a_400_naming_the_limit(self, app):
        error = _error(app.post(URL, json={"q": "a* " * 1000}, status=400))
        assert "ckanext.shanghai.search.max_wildcards" in error["message"]

    def test_wildcards_are_counted_over_q_fq_and_fq_list(self, app):
        body = {"q": "a* b* c* d*", "fq": "name:e* tags:f* title_ngram:g",
                "fq_list": ["h* i*", "res_format:j*"]}
        assert app.post(URL, json=body).json["success"]
        body["fq_list"].append("l*")
        assert "max_wildcards" in _error(app.post(URL, json=body, status=400))["message"]

    def test_five_hundred_date_ranges_are_a_400_naming_a_limit(self, app):
        ranges = [f"release_date:[{2010 + i % 7}-01-01 TO *]" for i in range(500)]
        error = _error(app.post(URL, json={"fq_list": ranges}, status=400))
        assert "ckanext.shanghai.search.max_" in error["message"]

    def test_too_many_ranges_are_a_400_naming_the_limit(self, app):
        ranges = [f"release_date:[{2010 + i % 7}-01-01 TO *]" for i in range(21)]
        error = _error(app.post(URL, json={"fq_list": ranges}, status=400))
        assert "ckanext.shanghai.search.max_ranges" in error["message"]

    def test_a_long_query_text_is_a_400_before_it_is_parsed(self, app):
        error = _error(app.post(URL, json={"q": "x " * 2001}, status=400))
        assert "ckanext.shanghai.search.max_query_length" in error["message"]

    def test_too_many_terms_are_a_400_naming_the_limit(self, app):
        error = _error(app.post(URL, json={"q": " ".join(f"w{i}" for i in range(101))},
                                status=400))
        assert "ckanext.shanghai.search.max_terms" in error["message"]
        # Chinese text counts the lexemes it asks for (its words' character pairs).
        chinese = "".join(chr(0x4E00 + i) for i in range(120))
        assert "max_terms" in _error(app.post(URL, json={"q": chinese}, status=400))["message"]

    def test_searches_within_the_limits_are_answered(self):
        dataset(name="bus-lines", title="公交线路基本信息", release_date="2015-03-01")
        result = _search(q="公交 线路 " + " ".join(f"x{i} OR" for i in range(80)) + " 信息",
                         fq_list=[f"release_date:[{2010 + i % 5}-01-01 TO *]" for i in range(20)])
        assert [d["name"] for d in result["results"]] == ["bus-lines"]

    @pytest.mark.ckan_config("ckanext.shanghai.search.max_ranges", 1)
    def test_the_limits_are_configurable(self, app):
        body = {"fq": "release_date:[2015 TO *]", "fq_list": ["record_count:[1 TO 9]"]}
        assert "max_ranges" in _error(app.post(URL, json=body, status=400))["message"]

    @pytest.mark.ckan_config("ckanext.shanghai.search.statement_timeout", 200)
    def test_a_search_out_of_time_is_a_400_and_the_session_stays_usable(self, app):
        dataset(name="bus-lines", title="公交线路基本信息")
        timeout_before = model.Session.execute(sa.text("SHOW statement_timeout")).scalar()
        model.Session.commit()
        with model.meta.engine.connect() as locker, locker.begin():
            # Another transaction holds the index table: the search waits for it
            # until its time is up.
            locker.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
            locker.execute(sa.text("LOCK TABLE shanghai_search_index IN ACCESS EXCLUSIVE MODE"))
            with pytest.raises(SearchError, match="statement_timeout"):
                _search(q="公交")
            assert model.Session.execute(
                sa.text("SHOW statement_timeout")).scalar() == timeout_before
            model.Session.commit()
            error = _error(app.post(URL, json={"q": "公交"}, status=400))
            assert "ckanext.shanghai.search.statement_timeout" in error["message"]
        assert [d["name"] for d in _search(q="公交")["results"]] == ["bus-lines"]


# Anything a client may send: Lucene syntax, NUL, a lone surrogate, huge numbers and
# every JSON type.  Wrong types and blank values of rows/start/include_* reach CKAN's
# own validators (a 500 there), which the portal-wide input guard refuses
# (tests/portal); here rows and start are numbers or text that is not blank.
_SYNTAX = st.lists(st.sampled_from(list('ab公交 *?:[]{}()"\\^~!+-&|/\u0000\ud800') + [
    "TO", "AND", "OR", "NOT", "NOW", "-99999YEAR", "/DAY", "release_date:", "tags:",
    "2016-13-45", "*:*", "title_ngram:", "{!lucene}"]), max_size=16).map("".join)
_NUMBERS = st.one_of(st.integers(min_value=-2**70, max_value=2**70),
                     st.floats(allow_nan=False, allow_infinity=False), st.just(1e308))
_SCALARS = st.one_of(_SYNTAX, _NUMBERS, st.none(), st.booleans())
_ANY = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=2)),
    max_leaves=5)
# Mostly well-typed values, so that most examples reach the parser and the database.
_TEXT = st.one_of(_SYNTAX, _SYNTAX, _ANY)
_TEXTS = st.one_of(st.lists(_SYNTAX, max_size=3), st.lists(_SYNTAX, max_size=3), _ANY)
_PARAMS = st.fixed_dictionaries({}, optional={
    "q": _TEXT, "fq": _TEXT, "fq_list": _TEXTS, "sort": _TEXT, "fl": _TEXTS,
    "facet.field": _TEXTS, "facet.limit": _NUMBERS,
    "rows": st.one_of(_NUMBERS, _SYNTAX.filter(str.strip)),
    "start": st.one_of(_NUMBERS, _SYNTAX.filter(str.strip)),
})


@pytest.fixture
def catalogue(clean_db):
    dataset(name="bus-lines", title="公交线路基本信息", tags=[{"name": "公交"}])
    dataset(name="car-parks", title="公共停车场实时泊位状态", record_count=10)


@pytest.mark.usefixtures("catalogue")
@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(params=_PARAMS)
def test_any_input_is_answered_with_a_result_or_a_4xx(app, params):
    try:
        _search(**params)
    except ValidationError as e:
        assert e.error_dict
    except SearchError as e:  # SearchQueryError too
        assert str(e)
    body = json.loads(json.dumps(params))
    for response in (
        app.post(URL, json=body, expect_errors=True),
        # A query string carries only text, a lone surrogate as bytes that are no UTF-8.
        app.get(URL + "?" + urlencode(
            {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()},
            errors="surrogatepass"), expect_errors=True),
    ):
        assert response.status_code in (200, 400, 409), (response.status_code, response.body)
        if response.status_code != 200:
            error = _error(response)
            assert error.get("message") or set(error) - {"__type"}
