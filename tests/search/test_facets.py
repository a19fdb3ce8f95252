"""Facet counts equal a naive count over what the user may read (issue 15, items 2 and 6).

A random catalogue (departments, groups, tags, formats, licences, domains, open types,
private, draft and deleted datasets) is made through CKAN's actions; hypothesis then
draws queries, filters and users. The oracle counts, in Python, the ``package_show``
dicts of the datasets that match, where "the user may read it" is asked of
``package_show`` itself as that user: the facets must never count anything else.
"""
from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from ckan.tests import factories, helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

FACETS = ["organization", "groups", "tags", "res_format", "license_id", "data_domain"]
#: With a field that is not in the narrow ``facet_values``: counted from ``fields``.
WIDE_FACETS = [*FACETS, "res_name"]
#: Two-character words with no character in common with each other or with any
#: other text of the datasets (titles, notes, resource names), and no synonyms or
#: pinyin among themselves: a free-text search for one finds exactly its tag.
TAGS = ["公交", "地铁", "学校", "养老", "景区", "菜场"]
FORMATS = ["CSV", "XLSX", "JSON"]
LICENSES = ["cc-by", "cc-zero", "odc-by"]
DOMAINS = ["transport", "environment", "health"]
USERS = ["anonymous", "sysadmin", "member", "stranger"]


class _Catalogue(dict[str, Any]):
    """A catalogue that hypothesis names by its seed rather than printing in full."""

    def __repr__(self) -> str:
        return f"<catalogue of seed {self['seed']}>"


def _catalogue(seed: int) -> _Catalogue:
    """``seed``'s random catalogue; returns the users and, per dataset that is still
    active, its ``package_show`` dict and who may read it (asked of package_show)."""
    rng = random.Random(seed)
    sysadmin, member, stranger = factories.Sysadmin(), factories.User(), factories.User()
    orgs = [factories.Organization(name=f"dept-{seed}-{i}",
                                   users=[{"name": member["name"], "capacity": "member"}]
                                   if i == 0 else [])
            for i in range(3)]
    groups = [factories.Group(name=f"group-{seed}-{i}")["name"] for i in range(2)]
    names = []
    for i in range(24):
        open_type = rng.choice(["unconditional", "unconditional", "conditional", "non_open"])
        private = open_type == "non_open" or (open_type == "conditional" and rng.random() < .5)
        pkg = dataset(
            sysadmin, name=f"ds-{seed}-{i}", title=f"目录{i}", notes="说明。",
            owner_org=rng.choice(orgs)["id"], open_type=open_type, private=private,
            license_id=rng.choice(LICENSES), data_domain=rng.choice(DOMAINS),
            tags=[{"name": t} for t in rng.sample(TAGS, rng.randint(0, 3))],
            groups=[{"name": g} for g in rng.sample(groups, rng.randint(0, 2))],
            # Formats may repeat: a facet counts datasets, not resources.
            resources=[{"url": f"http://example.gov.cn/{i}-{n}", "name": "file",
                        "format": rng.choice(FORMATS)} for n in range(rng.randint(0, 3))],
            **({"state": "draft"} if rng.random() < .1 else {}))
        names.append(pkg["name"])
    for name in rng.sample(names, 3):
        helpers.call_action("package_delete", context={"user": sysadmin["name"]}, id=name)
    users: dict[str, dict[str, Any] | None] = {
        "anonymous": None, "sysadmin": sysadmin, "member": member, "stranger": stranger}
    datasets = []
    for name in names:
        shown = helpers.call_action("package_show", context={"user": sysadmin["name"]}, id=name)
        if shown["state"] != "active":
            continue
        readers = {who for who, user in users.items() if _may_read(user, name)}
        datasets.append({"dict": shown, "readers": readers})
    return _Catalogue(users=users, datasets=datasets, seed=seed)


def _may_read(user: dict[str, Any] | None, name: str) -> bool:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    try:
        helpers.call_action("package_show", context=context, id=name)
    except (helpers.logic.NotAuthorized, helpers.logic.NotFound):
        return False
    return True


def _values(pkg: dict[str, Any], facet: str) -> set[str]:
    """The values a dataset adds one to, per facet (each counted once per dataset)."""
    if facet == "organization":
        return {pkg["organization"]["name"]} if pkg.get("organization") else set()
    if facet == "groups":
        return {g["name"] for g in pkg.get("groups") or []}
    if facet == "tags":
        return {t["name"] for t in pkg.get("tags") or []}
    if facet in ("res_format", "res_name"):
        key = facet.removeprefix("res_")
        return {r[key] for r in pkg.get("resources") or [] if r.get(key)}
    return {pkg[facet]} if pkg.get(facet) else set()


#: A filter clause and the test of a dataset dict that says whether it matches it.
Clause = tuple[str, Any]


def _clauses(seed: int) -> st.SearchStrategy[Clause]:
    def field(facet: str, values: list[str]) -> st.SearchStrategy[Clause]:
        return st.sampled_from(values).map(
            lambda v: (f"{facet}:{v}", lambda pkg, v=v: v in _values(pkg, facet)))

    single = st.one_of(
        field("tags", TAGS), field("res_format", FORMATS), field("license_id", LICENSES),
        field("data_domain", DOMAINS),
        field("organization", [f"dept-{seed}-{i}" for i in range(3)]),
        field("groups", [f"group-{seed}-{i}" for i in range(2)]))
    negated = single.map(lambda c: (f"-{c[0]}", lambda pkg, m=c[1]: not m(pkg)))
    either = st.tuples(single, single).map(lambda cs: (
        f"({cs[0][0]} OR {cs[1][0]})", lambda pkg, a=cs[0][1], b=cs[1][1]: a(pkg) or b(pkg)))
    return st.one_of(single, negated, either)


def _check(catalogue: dict[str, Any], who: str, words: list[str], clauses: list[Clause],
           include_private: bool, facets: list[str]) -> None:
    user = catalogue["users"][who]
    visible = [d["dict"] for d in catalogue["datasets"]
               if who in d["readers"] and (include_private or not d["dict"]["private"])
               and all(match(d["dict"]) for _, match in clauses)]
    expected = [p for p in visible if all(w in _values(p, "tags") for w in words)]
    if not expected and len(words) == 2:
        # No dataset has both words: the search relaxes to either (1 of 2 must match).
        expected = [p for p in visible if any(w in _values(p, "tags") for w in words)]
    params: dict[str, Any] = {"q": " ".join(words), "rows": 1000, "facet.limit": -1,
                              "facet.field": facets, "include_private": include_private}
    if clauses:
        params["fq"] = " AND ".join(text for text, _ in clauses)
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    result = helpers.call_action("package_search", context=context, **params)

    assert sorted(r["name"] for r in result["results"]) == sorted(p["name"] for p in expected)
    assert result["count"] == len(expected)
    for facet in facets:
        naive = Counter(v for p in expected for v in _values(p, facet))
        assert result["facets"][facet] == dict(naive), (facet, params, who)


@pytest.fixture(params=[15, 2016])
def catalogue(request: pytest.FixtureRequest) -> _Catalogue:
    # Made once per test function: hypothesis's examples only read it.
    return _catalogue(request.param)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_facet_counts_equal_a_naive_count_of_what_the_user_may_read(
        catalogue: dict[str, Any], data: st.DataObject) -> None:
    who = data.draw(st.sampled_from(USERS), label="user")
    words = data.draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True), label="q")
    clauses = data.draw(st.lists(_clauses(catalogue["seed"]), max_size=3), label="fq")
    include_private = data.draw(st.booleans(), label="include_private")
    facets = data.draw(st.sampled_from([FACETS, WIDE_FACETS]), label="facet.field")
    _check(catalogue, who, words, clauses, include_private, facets)
