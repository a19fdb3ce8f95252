"""The search cache (``search/backend.py``): the landing page, its filters and
free-text searches are answered from the cache while nothing changed, never stale
(the very next search after a write or a permission change shows it), and never
with an answer computed for another user's read-scope (issue 15, item 6)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import pytest
from ckan.tests import factories, helpers

from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

FACETS = ["organization", "groups", "tags", "res_format", "license_id", "data_domain"]


def _landing(user: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
    """The /dataset landing page's search: everything, with the portal's facets."""
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("package_search", context=context,
                               **{"q": "", "facet.field": FACETS, "rows": 50, **params})


def _names(result: dict[str, Any]) -> set[str]:
    return {d["name"] for d in result["results"]}


def _admin(user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user["name"]}


@pytest.fixture
def portal() -> dict[str, Any]:
    sysadmin, member, outsider = factories.Sysadmin(), factories.User(), factories.User()
    org = factories.Organization(users=[{"name": member["name"], "capacity": "member"}])
    other = factories.Organization()
    dataset(sysadmin, owner_org=org["id"], name="open-bus", title="公交线路",
            tags=[{"name": "公交"}])
    dataset(sysadmin, owner_org=org["id"], name="card-trips", title="公交卡", private=True,
            open_type="conditional")
    dataset(sysadmin, owner_org=other["id"], name="internal", title="内部调度",
            open_type="non_open")
    return {"sysadmin": sysadmin, "member": member, "outsider": outsider, "org": org,
            "other": other}


def test_an_unchanged_landing_page_is_one_generation_read(portal, statements):
    first = _landing()
    statements.clear()
    assert _landing() == first
    # The cached answer costs one read of the index generation and no read of the
    # index (CKAN still looks up the facets' group titles itself).
    ours = [s for s in statements if "shanghai_search" in s or "SAVEPOINT" in s]
    assert len(ours) == 1 and "shanghai_search_generation" in ours[0]
    # Date math is never cached: its answer changes by itself.
    statements.clear()
    _landing(fq="metadata_modified:[NOW-1DAY TO NOW]")
    assert any("shanghai_search_index" in s for s in statements)


def test_a_repeated_free_text_search_is_one_generation_read(portal, statements):
    first = _landing(q="公交")
    assert _names(first) == {"open-bus"}
    statements.clear()
    assert _landing(q="公交") == first
    ours = [s for s in statements if "shanghai_search" in s or "SAVEPOINT" in s]
    assert len(ours) == 1 and "shanghai_search_generation" in ours[0]


def test_a_cached_free_text_answer_is_never_another_users(portal):
    """Whoever searches first, each user gets what they may read: a department
    member's answer with its private dataset is never served to an outsider or a
    visitor, nor theirs to the member."""
    member, outsider = portal["member"], portal["outsider"]
    for order in ([member, outsider, None], [None, outsider, member]):
        for user in order:
            names = _names(_landing(user, q="公交卡", include_private=True))
            assert ("card-trips" in names) == (user is member), (user, names)


def test_a_cached_relaxed_answer_still_says_it_was_relaxed(portal):
    first = _landing(q="公交 潮汐")
    assert first["relaxed"] is True and "open-bus" in _names(first)
    again = _landing(q="公交 潮汐")
    assert again["relaxed"] is True and again["results"] == first["results"]
    assert "relaxed" not in _landing(q="公交")


def test_a_write_shows_in_a_cached_free_text_search_at_once(portal):
    assert _landing(q="潮汐")["count"] == 0
    dataset(portal["sysadmin"], owner_org=portal["org"]["id"], name="tide", title="潮汐观测")
    assert _names(_landing(q="潮汐")) == {"tide"}
    helpers.call_action("package_patch", context=_admin(portal["sysadmin"]), id="tide",
                        private=True, open_type="conditional")
    assert _landing(q="潮汐")["count"] == 0


def test_create_update_and_delete_show_at_once(portal):
    admin = _admin(portal["sysadmin"])
    before = _landing()
    dataset(portal["sysadmin"], owner_org=portal["org"]["id"], name="new-metro",
            tags=[{"name": "地铁"}], resources=[{"url": "http://x/a.json", "format": "JSON"}])
    created = _landing()
    assert created["count"] == before["count"] + 1
    assert created["facets"]["tags"]["地铁"] == 1 and created["facets"]["res_format"] == {"JSON": 1}

    helpers.call_action("package_patch", context=admin, id="new-metro",
                        tags=[{"name": "轨道"}])
    updated = _landing()
    assert "地铁" not in updated["facets"]["tags"] and updated["facets"]["tags"]["轨道"] == 1

    helpers.call_action("package_delete", context=admin, id="new-metro")
    deleted = _landing()
    assert "new-metro" not in _names(deleted)
    assert deleted["count"] == before["count"] and deleted["facets"] == before["facets"]


def test_a_dataset_made_private_or_public_shows_at_once(portal):
    admin = _admin(portal["sysadmin"])
    assert "open-bus" in _names(_landing())
    helpers.call_action("package_patch", context=admin, id="open-bus", private=True,
                        open_type="conditional")
    hidden = _landing(include_private=True)
    assert "open-bus" not in _names(hidden) and "公交" not in hidden["facets"]["tags"]
    helpers.call_action("package_patch", context=admin, id="open-bus", private=False)
    assert "open-bus" in _names(_landing(include_private=True))
    helpers.call_action("package_patch", context=admin, id="open-bus", open_type="non_open")
    assert "open-bus" not in _names(_landing(include_private=True))


def test_membership_changes_show_at_once(portal):
    admin, outsider = _admin(portal["sysadmin"]), portal["outsider"]
    org = portal["org"]["id"]
    assert "card-trips" not in _names(_landing(outsider, include_private=True))

    helpers.call_action("organization_member_create", context=admin, id=org,
                        username=outsider["name"], role="member")
    joined = _landing(outsider, include_private=True)
    assert "card-trips" in _names(joined)
    assert joined["facets"]["organization"][portal["org"]["name"]] == 2

    # A role change keeps what the department's members may read.
    helpers.call_action("organization_member_create", context=admin, id=org,
                        username=outsider["name"], role="editor")
    assert "card-trips" in _names(_landing(outsider, include_private=True))

    helpers.call_action("organization_member_delete", context=admin, id=org,
                        username=outsider["name"])
    left = _landing(outsider, include_private=True)
    assert "card-trips" not in _names(left)
    assert left["facets"]["organization"][portal["org"]["name"]] == 1


def test_a_user_made_sysadmin_sees_everything_at_once(portal):
    member = portal["member"]
    assert "internal" not in _names(_landing(member, include_private=True))
    user = model.User.get(member["name"])
    assert user is not None
    user.sysadmin = True
    model.Session.commit()
    assert "internal" in _names(_landing(member, include_private=True))


def test_the_dataset_page_shows_a_new_dataset_at_once(app, portal):
    assert "新建数据集" not in app.get("/dataset/").body
    dataset(portal["sysadmin"], owner_org=portal["org"]["id"], title="新建数据集")
    assert "新建数据集" in app.get("/dataset/").body
