"""The facet counts the database keeps (``shanghai_search_facet_count``, issue 15 item 6):
the triggers keep them equal to a count of the index under any history of writes,
and a search that matches everything under visibility filters is answered from them
with exactly the answer of counting its matches. The facet codes
(``shanghai_search_facet_code``) a trigger writes into every row stand for exactly
the row's ``field:value`` pairs under the same writes, and a pair keeps its code."""
from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.tests import factories, helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.shanghai.search import backend
from ckanext.shanghai.search.model import FACET_COUNT_DIMENSIONS as _DIMENSIONS
from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

FACETS = ["organization", "groups", "tags", "res_format", "license_id", "data_domain"]
_OPTION = "ckanext.shanghai.search.facet_totals"


def _search(user: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
    backend.clear_cache()  # every search computed: the cache would hide the path taken
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("package_search", context=context,
                               **{"q": "", "facet.field": FACETS, "rows": 5, **params})


@pytest.fixture
def portal() -> dict[str, Any]:
    """Two departments, a member of the first, open, conditional (private), non-open,
    draft and deleted datasets, tags, groups and several formats."""
    sysadmin, member = factories.Sysadmin(), factories.User()
    org = factories.Organization(users=[{"name": member["name"], "capacity": "member"}])
    other = factories.Organization()
    group = factories.Group()
    specs: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
        (org, "open-bus", {"tags": [{"name": "公交"}], "groups": [{"id": group["id"]}]}),
        (org, "open-metro", {"tags": [{"name": "地铁"}, {"name": "公交"}]}),
        (org, "card-trips", {"private": True, "open_type": "conditional",
                             "tags": [{"name": "公交"}]}),
        (other, "internal", {"open_type": "non_open", "tags": [{"name": "调度"}]}),
        (other, "parks", {"license_id": "cc-zero", "tags": [{"name": "绿地"}]}),
        (other, "draft-one", {"state": "draft", "tags": [{"name": "草稿"}]}),
        (other, "gone", {"tags": [{"name": "已删"}]}),
    ]
    for owner, name, extra in specs:
        dataset(sysadmin, owner_org=owner["id"], name=name, title=name,
                resources=[{"url": f"http://x/{name}.csv", "format": "CSV"},
                           {"url": f"http://x/{name}.json", "format": "JSON"}], **extra)
    helpers.call_action("package_delete", context={"user": sysadmin["name"]}, id="gone")
    return {"sysadmin": sysadmin, "member": member, "org": org, "other": other}


_SEARCHES = [
    {},
    {"include_private": True},
    {"fq": "organization:{org}"},
    {"fq": "-organization:{org}", "include_private": True},
    {"include_drafts": True, "include_private": True},
    {"facet.limit": 1, "facet.mincount": 2},
    {"facet": "false"},
    {"rows": 0, "start": 3},
    {"sort": "name asc", "start": 1},
]


@pytest.mark.parametrize("who", ["anonymous", "member", "sysadmin"])
@pytest.mark.parametrize("params", _SEARCHES)
def test_summed_counts_answer_as_counting_the_matches_does(portal, who, params,
                                                          ckan_config, monkeypatch):
    user = None if who == "anonymous" else portal[who]
    params = {k: v.format(org=portal["org"]["name"]) if isinstance(v, str) else v
              for k, v in params.items()}
    summed = _search(user, **params)
    monkeypatch.setitem(ckan_config, _OPTION, False)
    assert summed == _search(user, **params)


def test_the_landing_page_reads_the_kept_counts_not_its_matches(portal, statements):
    landing = _search()
    facet_reads = [s for s in statements
                   if "facet_codes" in s or "shanghai_search_facet_count" in s]
    assert len(facet_reads) == 1 and "shanghai_search_facet_count" in facet_reads[0]
    assert landing["count"] == 3  # open-bus, open-metro, parks
    assert landing["facets"]["tags"] == {"公交": 2, "地铁": 1, "绿地": 1}
    assert landing["facets"]["res_format"] == {"CSV": 3, "JSON": 3}


def test_the_member_sees_their_private_dataset_counted_and_no_one_else_does(portal):
    member = _search(portal["member"], include_private=True)
    assert member["count"] == 4 and member["facets"]["tags"]["公交"] == 3
    assert "调度" not in member["facets"]["tags"]
    for outsider in (None, factories.User()):
        seen = _search(outsider, include_private=True)
        assert seen["count"] == 3 and seen["facets"]["tags"]["公交"] == 2


def test_free_text_and_field_filters_are_counted_from_their_matches(portal, statements):
    """Only visibility filters can be summed: a word or a field of ``fields`` cannot."""
    for params in ({"q": "公交"}, {"fq": "tags:公交"}, {"fq": "res_format:CSV"}):
        statements.clear()
        _search(**params)
        assert not any("shanghai_search_facet_count" in s for s in statements), params


def test_writes_show_in_the_summed_counts_at_once(portal):
    admin = {"user": portal["sysadmin"]["name"]}
    before = _search()
    helpers.call_action("package_patch", context=admin, id="parks", private=True,
                        open_type="conditional")
    hidden = _search()
    assert hidden["count"] == before["count"] - 1 and "绿地" not in hidden["facets"]["tags"]
    helpers.call_action("package_patch", context=admin, id="open-bus",
                        tags=[{"name": "巴士"}])
    retagged = _search()
    assert retagged["facets"]["tags"] == {"巴士": 1, "地铁": 1, "公交": 1}
    helpers.call_action("package_delete", context=admin, id="open-metro")
    assert _search()["count"] == 1


# --- the triggers, driven by random writes straight to the index table ---

_ROW = st.fixed_dictionaries({
    "id": st.sampled_from([f"d{i}" for i in range(6)]),
    "state": st.sampled_from(["active", "draft", "deleted", None]),
    "private": st.booleans(),
    "dataset_type": st.sampled_from(["dataset", "harvest", None]),
    "organization": st.sampled_from(["a", "b", None]),
    "permission_labels": st.lists(st.sampled_from(["public", "member-a", "creator-x"]),
                                  max_size=2, unique=True),
    "facet_values": st.lists(st.sampled_from(["tags:公交", "tags:地铁", "res_format:CSV",
                                              "organization:a", "license_id:cc-by"]),
                             max_size=4, unique=True),
})
_WRITE = st.one_of(
    st.tuples(st.just("upsert"), st.lists(_ROW, min_size=1, max_size=3)),
    st.tuples(st.just("delete"), st.lists(st.sampled_from([f"d{i}" for i in range(6)]),
                                          max_size=3)),
    st.tuples(st.just("retag"), st.sampled_from(["tags:公交", "tags:新"])),
    st.tuples(st.just("compact"), st.none()),
    st.tuples(st.just("truncate"), st.none()),
)


def _write(connection: sa.Connection, kind: str, arg: Any) -> None:
    if kind == "upsert":
        # as the indexer writes: one INSERT … ON CONFLICT DO UPDATE per statement
        for row in {r["id"]: r for r in arg}.values():
            connection.execute(sa.text(
                "INSERT INTO shanghai_search_index (id, name, state, private, dataset_type, "
                "organization, permission_labels, facet_values) VALUES (:id, :id, :state, "
                ":private, :dataset_type, :organization, :permission_labels, :facet_values) "
                "ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
                "private = excluded.private, dataset_type = excluded.dataset_type, "
                "organization = excluded.organization, "
                "permission_labels = excluded.permission_labels, "
                "facet_values = excluded.facet_values"), row)
    elif kind == "delete":
        connection.execute(sa.text("DELETE FROM shanghai_search_index WHERE id = ANY(:ids)"),
                           {"ids": arg})
    elif kind == "retag":  # one statement changing many rows
        connection.execute(sa.text(
            "UPDATE shanghai_search_index SET facet_values = array_append("
            "array_remove(facet_values, :tag), :tag) WHERE private"), {"tag": arg})
    elif kind == "compact":
        connection.execute(sa.text("SELECT shanghai_search_compact_facet_counts()"))
    else:
        connection.execute(sa.text("TRUNCATE shanghai_search_index"))


def _decoded(connection: sa.Connection) -> dict[str, tuple[set[str], int]]:
    """Each row's pairs as its codes spell them, and how many codes it has."""
    pairs: dict[int, str] = {row.code: row.pair for row in connection.execute(sa.text(
        "SELECT code, pair FROM shanghai_search_facet_code"))}
    rows = connection.execute(sa.text("SELECT id, facet_codes FROM shanghai_search_index"))
    decoded = {}
    for row in rows:
        codes = [int.from_bytes(row.facet_codes[i:i + 4], "big")
                 for i in range(0, len(row.facet_codes), 4)]
        decoded[row.id] = ({pairs[code] for code in codes}, len(codes))
    return decoded


def _written(connection: sa.Connection) -> dict[str, tuple[set[str], int]]:
    rows = connection.execute(sa.text("SELECT id, facet_values FROM shanghai_search_index"))
    return {row.id: (set(row.facet_values), len(row.facet_values)) for row in rows}


def _kept(connection: sa.Connection) -> Counter[tuple[Any, ...]]:
    rows = connection.execute(sa.text(
        f"SELECT {', '.join(_DIMENSIONS)}, pair, sum(n) FROM shanghai_search_facet_count "
        f"GROUP BY {', '.join(_DIMENSIONS)}, pair HAVING sum(n) <> 0"))
    return Counter({(*r[:4], tuple(r[4]), r[5]): r[6] for r in rows})


def _rows(connection: sa.Connection) -> int:
    return connection.execute(sa.text(
        "SELECT count(*) FROM shanghai_search_facet_count")).scalar_one()


def _counted(connection: sa.Connection) -> Counter[tuple[Any, ...]]:
    counted: Counter[tuple[Any, ...]] = Counter()
    for r in connection.execute(sa.text(
            f"SELECT {', '.join(_DIMENSIONS)}, facet_values FROM shanghai_search_index")):
        for pair in ["", *r.facet_values]:
            counted[(*r[:4], tuple(r.permission_labels), pair)] += 1
    return counted


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(_WRITE, max_size=8))
def test_the_kept_counts_equal_a_count_of_the_index_after_any_writes(writes):
    with model.Session.get_bind().connect() as connection:
        transaction = connection.begin()
        try:
            connection.execute(sa.text("DELETE FROM shanghai_search_index"))
            for kind, arg in writes:
                _write(connection, kind, arg)
                assert _kept(connection) == _counted(connection), (kind, arg)
                assert _decoded(connection) == _written(connection), (kind, arg)
            before = _rows(connection)
            connection.execute(sa.text("SELECT shanghai_search_compact_facet_counts()"))
            assert _kept(connection) == _counted(connection)
            # folded: one row per combination and pair, none that sums to nothing
            after = _rows(connection)
            assert after == len(_counted(connection)) and after <= before
        finally:
            transaction.rollback()


def test_a_pair_keeps_its_code_when_its_datasets_go_and_come_back():
    insert = sa.text("INSERT INTO shanghai_search_index (id, name, facet_values) "
                     "VALUES (:id, :id, :pairs) RETURNING facet_codes")
    with model.Session.get_bind().connect() as connection:
        transaction = connection.begin()
        try:
            first = connection.execute(insert, {"id": "a", "pairs": ["tags:新", "tags:旧"]})
            codes = bytes(first.scalar_one())
            connection.execute(sa.text("DELETE FROM shanghai_search_index"))
            again = connection.execute(insert, {"id": "b", "pairs": ["tags:旧", "tags:新"]})
            assert bytes(again.scalar_one()) == codes and len(codes) == 8
            assert connection.execute(sa.text(
                "SELECT count(*) FROM shanghai_search_facet_code "
                "WHERE pair IN ('tags:新', 'tags:旧')")).scalar_one() == 2
        finally:
            transaction.rollback()


def test_top_facets_order_ties_by_code_point_and_keep_limit_and_mincount():
    request = backend._FacetRequest(("tags", "res_format"), limit=3, mincount=2)
    counted = [("tags:公交", 5), ("tags:b", 5), ("tags:B", 5), ("tags:a:b", 7),
               ("tags:rare", 1), ("res_format:CSV", 2), ("license_id:cc-by", 9), ("", 40)]
    facets = backend._top_facets(request, counted)
    assert facets == {"tags": {"a:b": 7, "B": 5, "b": 5}, "res_format": {"CSV": 2}}
    assert list(facets["tags"]) == ["a:b", "B", "b"]
    unlimited = backend._FacetRequest(("tags",), limit=-1, mincount=1)
    assert list(backend._top_facets(unlimited, counted)["tags"]) == [
        "a:b", "B", "b", "公交", "rare"]


def test_two_writers_bringing_the_same_new_pairs_both_land_with_one_code_each():
    """The second writer waits for the first's new pairs (in sorted order, so never
    the other way round: no deadlock) and then uses their codes."""
    engine = model.Session.get_bind()
    pairs = ["tags:并发甲", "tags:并发乙", "res_format:并发"]
    insert = sa.text("INSERT INTO shanghai_search_index (id, name, facet_values) "
                     "VALUES (:id, :id, :pairs)")
    errors: list[BaseException] = []
    with engine.connect() as first:
        first.execute(insert, {"id": "writer-1", "pairs": pairs})

        def second_writer() -> None:
            try:
                with engine.begin() as second:
                    second.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
                    second.execute(insert, {"id": "writer-2", "pairs": pairs[::-1]})
            except BaseException as e:  # noqa: BLE001  (reported below)
                errors.append(e)

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting on the first's uncommitted pairs
        first.commit()
        thread.join(15)
    assert not errors and not thread.is_alive()
    with engine.begin() as connection:
        decoded = _decoded(connection)
        assert decoded["writer-1"] == decoded["writer-2"] == (set(pairs), 3)
        assert connection.execute(sa.text(
            "SELECT count(*) FROM shanghai_search_facet_code WHERE pair = ANY(:pairs)"),
            {"pairs": pairs}).scalar_one() == 3
        connection.execute(sa.text("DELETE FROM shanghai_search_index "
                                   "WHERE id IN ('writer-1', 'writer-2')"))
