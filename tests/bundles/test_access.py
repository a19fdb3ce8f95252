"""Who may download which bundle, and what the API says about it."""
from __future__ import annotations

import pytest
from ckan.logic import NotAuthorized, ValidationError
from ckan.tests import factories

from tests.factories import dataset

from .conftest import call, team

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

URL = "/contest/soda-2015/bundle/{}/download"


def _can(user, bundle):
    shown = call("shanghai_bundle_show", user, contest="soda-2015", name=bundle)
    return shown["can_download"], shown["reason"]


def test_access_matrix(contest, app):
    organiser = contest["organiser"]
    stranger = factories.User()
    registered, _ = team("soda-2015", "no-terms")
    accepted, _ = team("soda-2015", "accepted", accept=True)
    verified, _ = team("soda-2015", "verified", accept=True, verified_by=organiser)
    expected = {
        None: {"open": (True, None), "cards": (False, "not_logged_in"),
               "flows": (False, "not_logged_in")},
        "stranger": {"open": (True, None), "cards": (False, "not_registered"),
                     "flows": (False, "not_registered")},
        "registered": {"open": (True, None), "cards": (False, "terms_not_accepted"),
                       "flows": (False, "terms_not_accepted")},
        "accepted": {"open": (True, None), "cards": (True, None),
                     "flows": (False, "not_verified")},
        "verified": {"open": (True, None), "cards": (True, None), "flows": (True, None)},
        "organiser": {"open": (True, None), "cards": (True, None), "flows": (True, None)},
    }
    users = {None: None, "stranger": stranger, "registered": registered,
             "accepted": accepted, "verified": verified, "organiser": organiser}
    for who, bundles in expected.items():
        user = users[who]
        for bundle, (allowed, reason) in bundles.items():
            assert _can(user, bundle) == (allowed, reason), (who, bundle)
            # The download itself agrees with the API, with the same reason.
            headers = {"Accept": "application/json"}
            if user is not None:
                headers["Authorization"] = factories.APIToken(user=user["name"])["token"]
            response = app.get(URL.format(bundle), headers=headers)
            if allowed:
                assert response.status_code == 200, (who, bundle)
                assert response.headers["Content-Type"] == "application/zip"
            else:
                assert response.status_code == 403, (who, bundle)
                assert response.json["error"]["reason"] == reason
                assert response.json["error"]["message"]


def test_withdrawn_verification_and_changed_terms_take_access_away(contest):
    organiser = contest["organiser"]
    user, verified = team("soda-2015", "t1", accept=True, verified_by=organiser)
    assert _can(user, "flows") == (True, None)
    call("shanghai_team_verify", organiser, id=verified["id"], verified=False, note="证件过期")
    assert _can(user, "flows") == (False, "not_verified")
    call("shanghai_contest_update", organiser, id="soda-2015", terms="新的条款。")
    assert _can(user, "cards") == (False, "terms_not_accepted")
    call("shanghai_team_accept_terms", user, id=verified["id"], accept=True)
    assert _can(user, "cards") == (True, None)


def test_bundle_show_gives_url_tier_and_files(contest):
    shown = call("shanghai_bundle_show", None, id=contest["bundles"]["cards"]["id"])
    assert shown["access_tier"] == "registered"
    assert shown["download_url"].endswith("/contest/soda-2015/bundle/cards/download")
    assert shown["version"] == 1
    names = [f["name"] for f in shown["files"]]
    assert names == ["README.md", "datapackage.json", "card-taps.csv", "bus-lines.csv"]
    assert all(f["hash"].startswith("sha256:") for f in shown["files"])
    assert shown["reason_message"]


def test_conditional_data_only_in_non_public_bundles(contest):
    organiser = contest["organiser"]
    with pytest.raises(ValidationError) as error:
        call("shanghai_bundle_create", organiser, contest="soda-2015", name="leak",
             title="x", access_tier="public", datasets=["card-taps"])
    assert "card-taps" in str(error.value.error_dict["datasets"])
    with pytest.raises(ValidationError) as error:
        call("shanghai_bundle_update", organiser, id=contest["bundles"]["cards"]["id"],
             access_tier="public")
    assert "card-taps" in str(error.value.error_dict)


def test_non_open_datasets_are_refused(contest):
    organiser = contest["organiser"]
    secret = dataset(organiser, name="secret", open_type="non_open")
    with pytest.raises(ValidationError) as error:
        call("shanghai_bundle_create", organiser, contest="soda-2015", name="secret",
             title="x", access_tier="verified", datasets=[secret["name"]])
    assert "secret" in str(error.value.error_dict["datasets"])


def test_only_organisers_run_contests(contest):
    user = factories.User()
    with pytest.raises(NotAuthorized):
        call("shanghai_contest_create", user, name="soda-2099", title="x", edition=2099,
             terms="t", start_date="2099-01-01", end_date="2099-02-01")
    with pytest.raises(NotAuthorized):
        call("shanghai_bundle_publish", user, id=contest["bundles"]["open"]["id"])
    member, registered = team("soda-2015", "self-made")
    with pytest.raises(NotAuthorized):
        call("shanghai_team_verify", member, id=registered["id"], verified=True)


@pytest.mark.ckan_config("ckanext.shanghai.bundles.organisers", "soda_office")
def test_configured_organisers(contest):
    office = factories.User(name="soda_office")
    created = call("shanghai_contest_create", office, name="soda-2016", title="城市安全",
                   edition=2016, terms="t", start_date="2016-06-01", end_date="2016-11-30")
    assert created["name"] == "soda-2016"
    assert _can(office, "flows") == (True, None)


def test_validation_errors_name_the_field(contest):
    organiser = contest["organiser"]
    with pytest.raises(ValidationError) as error:
        call("shanghai_contest_create", organiser, name="Bad Name", title="", edition="x",
             terms="t", start_date="2015-13-01", end_date="2015-01-01")
    assert set(error.value.error_dict) >= {"name", "title", "edition", "start_date"}
    with pytest.raises(ValidationError) as error:
        call("shanghai_bundle_create", organiser, contest="soda-2015", name="b", title="t",
             access_tier="secret")
    assert "access_tier" in error.value.error_dict


def test_one_team_per_user_per_contest(contest):
    user, _ = team("soda-2015", "first")
    with pytest.raises(ValidationError) as error:
        call("shanghai_team_register", user, contest="soda-2015", name="second", title="x")
    assert "members" in error.value.error_dict


def test_terms_need_a_member_and_a_tick(contest):
    user, registered = team("soda-2015", "t2")
    with pytest.raises(NotAuthorized):
        call("shanghai_team_accept_terms", factories.User(), id=registered["id"], accept=True)
    with pytest.raises(ValidationError):
        call("shanghai_team_accept_terms", user, id=registered["id"])
    accepted = call("shanghai_team_accept_terms", user, id=registered["id"], accept=True)
    assert accepted["terms_accepted"] and accepted["terms_accepted_at"]
