"""The landing-page cache (match-everything searches, ``search/backend.py``): answered
from the cache while nothing changed, and never stale: the very next search after a
write or a permission change shows it (issue 15, item 6)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.model as model
import pytest
import sqlalchemy as sa
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


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """The SQL statements the database receives while the test runs."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = model.Session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", record)


def test_an_unchanged_landing_page_is_one_generation_read(portal, statements):
    first = _landing()
    statements.clear()
    assert _landing() == first
    # The cached answer costs one read of the index generation and no read of the
    # index (CKAN still looks up the facets' group titles itself).
    ours = [s for s in statements if "shanghai_search" in s or "SAVEPOINT" in s]
    assert len(ours) == 1 and "shanghai_search_generation" in ours[0]
    # A search that is not match-everything is never cached.
    statements.clear()
    _landing(q="公交")
    assert any("shanghai_search_index" in s for s in statements)


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
