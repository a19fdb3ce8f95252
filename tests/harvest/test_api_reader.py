"""The JSON API reader against the local catalogue server: pages, token, retries,
conditional requests."""
from __future__ import annotations

import pytest

from catalog_seed.departments import load_departments
from ckanext.shanghai.harvest.readers import ApiReader, CatalogueReadError
from harvesters import catalogue_generator as gen
from harvesters.testing_server import CatalogueServer

DEPARTMENT = load_departments()[3]


@pytest.fixture
def server():
    rows = list(gen.entries(DEPARTMENT, 7))
    with CatalogueServer({"dept": gen.api_payload(rows)}, token="t0k") as s:
        s.rows = rows
        yield s


def test_pages_are_followed_and_entries_keep_their_place(server):
    reader = ApiReader(server.url("dept"), token="t0k", page_size=3, backoff=0)
    entries = list(reader)
    assert [e.code for e in entries] == [r["code"] for r in server.rows]
    assert entries[4].location.sheet == "page 2" and entries[4].location.row == 2
    assert [i.name for i in entries[0].data_items] == [n for n, _, _ in server.rows[0]["data_items"]]
    assert len([p for p, _ in server.requests]) == 3


def test_a_wrong_token_fails_the_source(server):
    with pytest.raises(CatalogueReadError, match="401"):
        list(ApiReader(server.url("dept"), token="wrong", backoff=0))


def test_5xx_and_dropped_connections_are_retried(server):
    server.fail_next(2, 503)
    server.fail_next(1, 0)
    entries = list(ApiReader(server.url("dept"), token="t0k", page_size=50, backoff=0))
    assert len(entries) == 7
    assert len(server.requests) == 4


def test_giving_up_after_the_retries_is_a_clear_source_error(server):
    server.fail_next(10, 502)
    with pytest.raises(CatalogueReadError, match="502"):
        list(ApiReader(server.url("dept"), token="t0k", retries=2, backoff=0))


def test_an_unchanged_catalogue_answers_304_and_yields_nothing(server):
    first = ApiReader(server.url("dept"), token="t0k", backoff=0)
    assert len(list(first)) == 7
    assert first.validators["etag"]
    again = ApiReader(server.url("dept"), token="t0k", backoff=0, validators=first.validators)
    assert list(again) == [] and again.not_modified
    assert server.requests[-1][1]["If-None-Match"] == first.validators["etag"]
    server.set_catalogue("dept", gen.api_payload(server.rows[:5]))
    changed = ApiReader(server.url("dept"), token="t0k", backoff=0, validators=first.validators)
    assert len(list(changed)) == 5 and not changed.not_modified
    assert changed.validators["etag"] != first.validators["etag"]


def test_validators_move_on_only_after_a_complete_read(server):
    reader = ApiReader(server.url("dept"), token="t0k", page_size=3, backoff=0,
                       validators={"etag": '"old"'})
    stream = iter(reader)
    next(stream)
    assert reader.validators == {"etag": '"old"'}
