"""The contest pages, in Chinese and English."""
from __future__ import annotations

import pytest
from ckan.tests import factories

from .conftest import call, team

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _as(user) -> dict[str, str]:
    """Headers that log ``user`` in (CKAN identifies page requests by API token too,
    and then needs no CSRF token)."""
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_contests_list_and_contest_page(contest, app):
    assert "2015 SODA 智慧交通" in app.get("/contest").body
    body = app.get("/contest/soda-2015").body
    assert "数据包 open" in body and "数据包 flows" in body
    assert "所有人" in body                      # who may download the public bundle
    assert "仅限通过身份核验的团队" in body          # … and the verified one
    assert "/contest/soda-2015/bundle/open/download" in body
    english = app.get("/en/contest/soda-2015").body
    assert "Verified teams only" in english and "Data bundles" in english


def test_register_accept_terms_and_team_page(contest, app):
    user = factories.User()
    assert 'id="team-register"' in app.get("/contest/soda-2015/register",
                                            headers=_as(user)).body
    response = app.post("/contest/soda-2015/register", headers=_as(user), data={
        "name": "pudong-coders", "title": "浦东码农", "institution": "同济大学"})
    assert response.status_code == 200
    assert 'id="terms-accept"' in response.body      # redirected to the terms form
    assert "数据仅用于本届大赛。" in response.body
    response = app.post("/contest/soda-2015/terms", headers=_as(user),
                        data={"accept": "true"})
    assert "浦东码农" in response.body and "同济大学" in response.body   # the team page
    shown = call("shanghai_bundle_show", user, contest="soda-2015", name="cards")
    assert shown["can_download"] is True


def test_verification_page_is_for_organisers(contest, app):
    member, registered = team("soda-2015", "lujiazui", accept=True)
    assert app.get("/contest/soda-2015/teams", headers=_as(member)).status_code == 403
    organiser = _as(contest["organiser"])
    assert "队伍 lujiazui" in app.get("/contest/soda-2015/teams", headers=organiser).body
    app.post("/contest/soda-2015/teams", headers=organiser, data={
        "team": registered["id"], "verified": "true", "note": "身份证已核验"})
    shown = call("shanghai_team_show", member, id=registered["id"])
    assert shown["verified"] is True and shown["verification_note"] == "身份证已核验"


def test_main_navigation_links_the_contests(app):
    assert 'href="/contest"' in app.get("/dataset").body
