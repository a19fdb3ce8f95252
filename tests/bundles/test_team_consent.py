"""Nobody joins a team, nor gets its data, without accepting an invitation themselves."""
from __future__ import annotations

import pytest
from ckan.logic import NotAuthorized, NotFound, ValidationError
from ckan.tests import factories

from .conftest import call

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _can(user, bundle: str) -> bool:
    return call("shanghai_bundle_show", user, contest="soda-2015", name=bundle)["can_download"]


@pytest.fixture
def invited(contest):
    """A leader's team (terms accepted) that named another user: (leader, invitee, team)."""
    leader, invitee = factories.User(), factories.User()
    registered = call("shanghai_team_register", leader, contest="soda-2015", name="bund",
                      title="外滩队", members=[invitee["name"]])
    call("shanghai_team_accept_terms", leader, id=registered["id"], accept=True)
    return leader, invitee, registered


def test_named_users_are_invited_not_members(invited):
    leader, invitee, registered = invited
    assert [m["name"] for m in registered["members"]] == [leader["name"]]
    assert registered["invited"] == [invitee["name"]]
    assert _can(leader, "cards") is True
    assert _can(invitee, "cards") is False       # the team's access is not theirs yet
    with pytest.raises(NotAuthorized):
        call("shanghai_team_show", invitee, id=registered["id"])
    with pytest.raises(NotAuthorized):
        call("shanghai_team_accept_terms", invitee, id=registered["id"], accept=True)


def test_the_invited_user_accepts_and_then_has_access(invited):
    leader, invitee, registered = invited
    shown = call("shanghai_contest_show", invitee, id="soda-2015")
    assert shown["my_team"] is None
    assert [t["name"] for t in shown["my_invitations"]] == ["bund"]
    joined = call("shanghai_team_join", invitee, id=registered["id"])
    assert {m["name"] for m in joined["members"]} == {leader["name"], invitee["name"]}
    assert joined["invited"] == []
    assert _can(invitee, "cards") is True
    assert call("shanghai_contest_show", invitee, id="soda-2015")["my_team"]["name"] == "bund"


def test_nobody_accepts_for_someone_else(contest, invited):
    leader, invitee, registered = invited
    for other in (leader, factories.User()):
        with pytest.raises(NotAuthorized):
            call("shanghai_team_join", other, id=registered["id"])
    with pytest.raises(NotAuthorized):
        call("shanghai_team_join", None, id=registered["id"])
    # A sysadmin passes every auth check, yet joins only as themselves: not invited.
    with pytest.raises(NotFound):
        call("shanghai_team_join", contest["organiser"], id=registered["id"])
    assert call("shanghai_team_show", leader, id=registered["id"])["invited"] == [
        invitee["name"]]
    assert _can(invitee, "cards") is False


def test_declining_and_invitations_do_not_block(invited):
    leader, invitee, registered = invited
    # A pending invitation does not stop the invitee from leading a team of their own.
    own = call("shanghai_team_register", invitee, contest="soda-2015", name="mine", title="x")
    assert [m["name"] for m in own["members"]] == [invitee["name"]]
    with pytest.raises(ValidationError):      # … but then they cannot join a second one
        call("shanghai_team_join", invitee, id=registered["id"])
    call("shanghai_team_decline", invitee, id=registered["id"])
    assert call("shanghai_team_show", leader, id=registered["id"])["invited"] == []
    with pytest.raises(NotAuthorized):
        call("shanghai_team_join", invitee, id=registered["id"])


def test_pages_show_the_invitation_and_the_join_button(invited, app):
    leader, invitee, registered = invited
    as_invitee = {"Authorization": factories.APIToken(user=invitee["name"])["token"]}
    as_leader = {"Authorization": factories.APIToken(user=leader["name"])["token"]}
    assert invitee["name"] in app.get("/contest/soda-2015/team", headers=as_leader).body
    page = app.get("/contest/soda-2015", headers=as_invitee).body
    assert 'name="answer" value="join"' in page and "外滩队" in page
    response = app.post("/contest/soda-2015/invitation", headers=as_invitee,
                        data={"team": registered["id"], "answer": "join"})
    assert response.status_code == 200 and "外滩队" in response.body   # the team page
    assert _can(invitee, "cards") is True
