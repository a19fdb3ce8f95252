"""Auth functions of the SODA contest bundles.

Organisers are sysadmins and the users listed in
``ckanext.shanghai.bundles.organisers``; they run contests, bundles and verification.
Reading contests and bundles is open to all (whether a bundle may be *downloaded* is
decided per caller in ``access.decide``); team actions need a logged-in member, and
only an invited user may accept (or decline) their own invitation.
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.types import AuthResult, Context, DataDict

from .. import access
from ..model import Contest, Invitation, Team, TeamMember

__all__ = [
    "shanghai_bundle_create", "shanghai_bundle_list", "shanghai_bundle_publish",
    "shanghai_bundle_show", "shanghai_bundle_update", "shanghai_contest_create",
    "shanghai_contest_list", "shanghai_contest_show", "shanghai_contest_update",
    "shanghai_team_accept_terms", "shanghai_team_decline", "shanghai_team_join",
    "shanghai_team_list", "shanghai_team_register", "shanghai_team_show",
    "shanghai_team_verify",
]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def _organiser(context: Context, data_dict: DataDict) -> AuthResult:
    if access.is_organiser(_user(context)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the contest organisers may do this")}


def _everyone(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def _of_team(link: type[TeamMember] | type[Invitation], user: model.User,
             data_dict: DataDict) -> bool:
    """Whether ``link`` (a membership or an invitation) ties ``user`` to the team named
    by ``id`` or ``contest`` + ``name``."""
    query = sa.select(link).join(Team, Team.id == link.team_id).where(
        link.user_id == user.id)
    if data_dict.get("id"):
        query = query.where(Team.id == data_dict["id"])
    else:
        query = query.join(Contest, Contest.id == Team.contest_id).where(
            sa.or_(Contest.id == data_dict.get("contest"),
                   Contest.name == data_dict.get("contest")),
            Team.name == data_dict.get("name"))
    return model.Session.scalars(query).first() is not None


def _member(context: Context, data_dict: DataDict) -> AuthResult:
    """Members of the team named by ``id`` or ``contest`` + ``name`` (and organisers);
    invited users are not members until they accept."""
    user = _user(context)
    if user is None:
        return {"success": False, "msg": tk._("Log in first")}
    if access.is_organiser(user) or _of_team(TeamMember, user, data_dict):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the team's members may do this")}


def _invited(context: Context, data_dict: DataDict) -> AuthResult:
    """Only the invited user answers an invitation: nobody, organisers included, may
    accept one for someone else."""
    user = _user(context)
    if user is None:
        return {"success": False, "msg": tk._("Log in first")}
    if _of_team(Invitation, user, data_dict):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the invited user may answer an invitation")}


shanghai_contest_create = _organiser
shanghai_contest_update = _organiser
shanghai_bundle_create = _organiser
shanghai_bundle_update = _organiser
shanghai_bundle_publish = _organiser
shanghai_team_verify = _organiser
shanghai_team_list = _organiser
shanghai_contest_show = tk.auth_allow_anonymous_access(_everyone)
shanghai_contest_list = tk.auth_allow_anonymous_access(_everyone)
shanghai_bundle_show = tk.auth_allow_anonymous_access(_everyone)
shanghai_bundle_list = tk.auth_allow_anonymous_access(_everyone)
shanghai_team_accept_terms = _member
shanghai_team_show = _member
shanghai_team_join = _invited
shanghai_team_decline = _invited


def shanghai_team_register(context: Context, data_dict: DataDict) -> AuthResult:
    """Any logged-in user may register a team."""
    if _user(context) is None:
        return {"success": False, "msg": tk._("Log in to register a team")}
    return {"success": True}
