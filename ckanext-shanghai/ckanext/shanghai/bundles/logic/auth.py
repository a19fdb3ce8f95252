"""Auth functions of the SODA contest bundles.

Organisers are sysadmins and the users listed in
``ckanext.shanghai.bundles.organisers``; they run contests, bundles and verification.
Reading contests and bundles is open to all (whether a bundle may be *downloaded* is
decided per caller in ``access.decide``); team actions need a logged-in member.
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.types import AuthResult, Context, DataDict

from .. import access
from ..model import Contest, Team, TeamMember

__all__ = [
    "shanghai_bundle_create", "shanghai_bundle_list", "shanghai_bundle_publish",
    "shanghai_bundle_show", "shanghai_bundle_update", "shanghai_contest_create",
    "shanghai_contest_list", "shanghai_contest_show", "shanghai_contest_update",
    "shanghai_team_accept_terms", "shanghai_team_list", "shanghai_team_register",
    "shanghai_team_show", "shanghai_team_verify",
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


def _member(context: Context, data_dict: DataDict) -> AuthResult:
    """Members of the team named by ``id`` or ``contest`` + ``name`` (and organisers)."""
    user = _user(context)
    if user is None:
        return {"success": False, "msg": tk._("Log in first")}
    if access.is_organiser(user):
        return {"success": True}
    query = sa.select(TeamMember).join(Team, Team.id == TeamMember.team_id).where(
        TeamMember.user_id == user.id)
    if data_dict.get("id"):
        query = query.where(Team.id == data_dict["id"])
    else:
        query = query.join(Contest, Contest.id == Team.contest_id).where(
            sa.or_(Contest.id == data_dict.get("contest"),
                   Contest.name == data_dict.get("contest")),
            Team.name == data_dict.get("name"))
    if model.Session.scalars(query).first() is None:
        return {"success": False, "msg": tk._("Only the team's members may do this")}
    return {"success": True}


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


def shanghai_team_register(context: Context, data_dict: DataDict) -> AuthResult:
    """Any logged-in user may register a team."""
    if _user(context) is None:
        return {"success": False, "msg": tk._("Log in to register a team")}
    return {"success": True}
