"""Actions of the SODA contest bundles: contests, bundles and their frozen versions,
teams, terms and verification."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from .. import access, freeze
from ..model import (
    Bundle,
    Contest,
    Invitation,
    Team,
    TeamMember,
    TermsAcceptance,
    Verification,
)
from . import schema
from .dictization import (
    BUNDLE_FIELDS,
    CONTEST_FIELDS,
    bundle_dictize,
    contest_dictize,
    team_dictize,
)

__all__ = [
    "shanghai_bundle_create", "shanghai_bundle_list", "shanghai_bundle_publish",
    "shanghai_bundle_show", "shanghai_bundle_update", "shanghai_contest_create",
    "shanghai_contest_list", "shanghai_contest_show", "shanghai_contest_update",
    "shanghai_team_accept_terms", "shanghai_team_decline", "shanghai_team_join",
    "shanghai_team_list", "shanghai_team_register", "shanghai_team_show",
    "shanghai_team_verify",
]


# -- helpers -------------------------------------------------------------------------

def _commit(context: Context) -> None:
    if not context.get("defer_commit"):
        model.Session.commit()


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def _get_contest(ref: str | None) -> Contest:
    contest = Contest.get(ref)
    if contest is None:
        raise tk.ObjectNotFound(tk._("Contest not found: {ref}").format(ref=ref))
    return contest


def _get_bundle(data: dict[str, Any]) -> tuple[Contest, Bundle]:
    """A bundle by ``id``, or by ``contest`` and ``name``."""
    if data.get("id"):
        bundle = Bundle.get(data["id"])
    elif data.get("contest") and data.get("name"):
        bundle = Bundle.by_name(_get_contest(data["contest"]), data["name"])
    else:
        raise tk.ValidationError({"id": [tk._("Give the bundle's id, or contest and name")]})
    if bundle is None:
        raise tk.ObjectNotFound(tk._("Bundle not found"))
    return model.Session.get_one(Contest, bundle.contest_id), bundle


def _get_team(data: dict[str, Any]) -> tuple[Contest, Team]:
    if data.get("id"):
        team = Team.get(data["id"])
    elif data.get("contest") and data.get("name"):
        team = Team.by_name(_get_contest(data["contest"]), data["name"])
    else:
        raise tk.ValidationError({"id": [tk._("Give the team's id, or contest and name")]})
    if team is None:
        raise tk.ObjectNotFound(tk._("Team not found"))
    return model.Session.get_one(Contest, team.contest_id), team


def _tier_problem(pkg: dict[str, Any], tier: str) -> str | None:
    """Why the dataset ``pkg`` cannot be in a bundle of ``tier``, or None."""
    if pkg.get("open_type") == "non_open" or pkg.get("private"):
        return tk._("Dataset {name} is not open and cannot be in a bundle")
    if pkg.get("open_type") == "conditional" and tier == "public":
        return tk._("Dataset {name} is conditionally open: put it in a 'registered' "
                    "or 'verified' bundle, not a public one")
    return None


def _resolve_items(data: dict[str, Any], tier: str, context: Context) -> list[tuple[str, str]]:
    """(package id, resource id) for the given ``datasets`` (all their resources) and
    ``resources``, refusing data the tier may not carry."""
    errors: dict[str, Any] = {}
    items: list[tuple[str, str]] = []
    show: Context = {"ignore_auth": True, "user": context.get("user", "")}
    packages: dict[str, dict[str, Any]] = {}

    def package(ref: str, field: str) -> dict[str, Any] | None:
        if ref not in packages:
            try:
                packages[ref] = tk.get_action("package_show")(show.copy(), {"id": ref})
            except tk.ObjectNotFound:
                errors.setdefault(field, []).append(
                    tk._("Dataset not found: {ref}").format(ref=ref))
                return None
        pkg = packages[ref]
        problem = _tier_problem(pkg, tier)
        if problem:
            errors.setdefault(field, []).append(problem.format(name=pkg["name"]))
            return None
        return pkg

    for ref in data.get("datasets", []):
        pkg = package(ref, "datasets")
        if pkg is not None:
            items.extend((pkg["id"], r["id"]) for r in pkg["resources"])
    for ref in data.get("resources", []):
        try:
            resource = tk.get_action("resource_show")(show.copy(), {"id": ref})
        except tk.ObjectNotFound:
            errors.setdefault("resources", []).append(
                tk._("Resource not found: {ref}").format(ref=ref))
            continue
        pkg = package(resource["package_id"], "resources")
        if pkg is not None:
            items.append((pkg["id"], resource["id"]))
    if errors:
        raise tk.ValidationError(errors)
    return list(dict.fromkeys(items))


# -- contests ------------------------------------------------------------------------

@validate(schema.contest_create)
def shanghai_contest_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create a SODA contest edition (organisers only).

    :param name: URL name, e.g. ``soda-2015``
    :type name: string
    :param title: Chinese title
    :type title: string
    :param title_en: English title (optional)
    :type title_en: string
    :param edition: the year, e.g. 2015
    :type edition: int
    :param theme: e.g. 智慧交通 (optional)
    :type theme: string
    :param description: (optional)
    :type description: string
    :param rules: the contest rules (optional)
    :type rules: string
    :param terms: the data-use terms teams must accept
    :type terms: string
    :param start_date: ``YYYY-MM-DD``
    :type start_date: string
    :param end_date: ``YYYY-MM-DD``, not before ``start_date``
    :type end_date: string
    :returns: the contest
    :rtype: dictionary
    """
    tk.check_access("shanghai_contest_create", context, data_dict)
    if data_dict["end_date"] < data_dict["start_date"]:
        raise tk.ValidationError({"end_date": [tk._("Must not be before start_date")]})
    if Contest.by_name(data_dict["name"]) is not None:
        raise tk.ValidationError({"name": [tk._("That URL is already in use.")]})
    contest = Contest(**{f: data_dict[f] for f in CONTEST_FIELDS if f in data_dict})
    model.Session.add(contest)
    model.Session.flush()
    _commit(context)
    return contest_dictize(contest)


@validate(schema.contest_update)
def shanghai_contest_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a contest (organisers only); only the given fields change. Changing
    ``terms`` means every team must accept the new wording.

    :param id: id or name of the contest
    :type id: string
    :param ...: any field of ``shanghai_contest_create``
    :returns: the contest
    :rtype: dictionary
    """
    tk.check_access("shanghai_contest_update", context, data_dict)
    contest = _get_contest(data_dict["id"])
    for field in CONTEST_FIELDS:
        if field in data_dict:
            setattr(contest, field, data_dict[field])
    if contest.end_date < contest.start_date:
        raise tk.ValidationError({"end_date": [tk._("Must not be before start_date")]})
    _commit(context)
    return contest_dictize(contest)


@tk.side_effect_free
def shanghai_contest_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A contest with its bundles (each as ``shanghai_bundle_show`` gives it to the
    caller).

    :param id: id or name of the contest
    :type id: string
    :rtype: dictionary
    """
    tk.check_access("shanghai_contest_show", context, data_dict)
    contest = _get_contest(data_dict.get("id"))
    user = _user(context)
    result = contest_dictize(contest)
    result["bundles"] = [bundle_dictize(contest, b, user) for b in Bundle.of_contest(contest)]
    team = access.team_of(contest, user)
    result["my_team"] = team_dictize(contest, team) if team else None
    result["my_invitations"] = [] if team or user is None else [
        {"id": t.id, "name": t.name, "title": t.title, "institution": t.institution}
        for t in Team.inviting(contest, user)]
    return result


@tk.side_effect_free
def shanghai_contest_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """All contests, newest edition first.

    :rtype: list of dictionaries
    """
    tk.check_access("shanghai_contest_list", context, data_dict)
    return [contest_dictize(c) for c in Contest.newest_first()]


# -- bundles -------------------------------------------------------------------------

@validate(schema.bundle_create)
def shanghai_bundle_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create a bundle in a contest (organisers only). It is downloadable once a
    version is published with ``shanghai_bundle_publish``.

    :param contest: id or name of the contest
    :type contest: string
    :param name: URL name, unique in the contest
    :type name: string
    :param title: Chinese title
    :type title: string
    :param title_en: (optional)
    :type title_en: string
    :param description: (optional)
    :type description: string
    :param stage: ``preliminary`` (default), ``semifinal`` or ``final``
    :type stage: string
    :param access_tier: ``public``, ``registered`` or ``verified``
    :type access_tier: string
    :param datasets: datasets (names or ids) whose resources the bundle holds
    :type datasets: list of strings
    :param resources: single resources (ids) the bundle holds
    :type resources: list of strings
    :returns: the bundle
    :rtype: dictionary
    """
    tk.check_access("shanghai_bundle_create", context, data_dict)
    contest = _get_contest(data_dict["contest"])
    if Bundle.by_name(contest, data_dict["name"]) is not None:
        raise tk.ValidationError({"name": [tk._("That URL is already in use.")]})
    items = _resolve_items(data_dict, data_dict["access_tier"], context)
    bundle = Bundle(contest_id=contest.id,
                    **{f: data_dict[f] for f in BUNDLE_FIELDS if f in data_dict})
    model.Session.add(bundle)
    model.Session.flush()
    bundle.set_items(items)
    _commit(context)
    return bundle_dictize(contest, bundle, _user(context))


@validate(schema.bundle_update)
def shanghai_bundle_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a bundle (organisers only). Given ``datasets``/``resources`` replace its
    contents for the next published version; published versions never change.

    :param id: the bundle's id
    :type id: string
    :param ...: any field of ``shanghai_bundle_create`` except ``contest``
    :returns: the bundle
    :rtype: dictionary
    """
    tk.check_access("shanghai_bundle_update", context, data_dict)
    contest, bundle = _get_bundle({"id": data_dict["id"]})
    tier = data_dict.get("access_tier", bundle.access_tier)
    if "datasets" in data_dict or "resources" in data_dict:
        bundle.set_items(_resolve_items(data_dict, tier, context))
    elif tier != bundle.access_tier:
        # The existing contents must still be allowed in the new tier.
        _resolve_items({"resources": [i.resource_id for i in bundle.items()]}, tier, context)
    if "name" in data_dict and data_dict["name"] != bundle.name and Bundle.by_name(
            contest, data_dict["name"]) is not None:
        raise tk.ValidationError({"name": [tk._("That URL is already in use.")]})
    for field in BUNDLE_FIELDS:
        if field in data_dict:
            setattr(bundle, field, data_dict[field])
    _commit(context)
    return bundle_dictize(contest, bundle, _user(context))


@tk.side_effect_free
@validate(schema.bundle_ref)
def shanghai_bundle_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A bundle, its versions and files, and what the caller may do with it.

    :param id: the bundle's id (or give ``contest`` and ``name``)
    :type id: string
    :param version: a version number (default: the latest published)
    :type version: int
    :returns: the bundle with ``access_tier``, ``download_url``, ``version``,
        ``versions``, ``files`` (path, bytes, hash, url of each), ``can_download``
        and, when the caller may not download, ``reason`` (``not_published``,
        ``not_logged_in``, ``not_registered``, ``terms_not_accepted``,
        ``not_verified``) with ``reason_message``
    :rtype: dictionary
    """
    tk.check_access("shanghai_bundle_show", context, data_dict)
    contest, bundle = _get_bundle(data_dict)
    return bundle_dictize(contest, bundle, _user(context), version_number=data_dict.get("version"))


@tk.side_effect_free
@validate(schema.bundle_list)
def shanghai_bundle_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The bundles of a contest (or of all contests), as ``shanghai_bundle_show``.

    :param contest: id or name of a contest (optional)
    :type contest: string
    :rtype: list of dictionaries
    """
    tk.check_access("shanghai_bundle_list", context, data_dict)
    wanted = _get_contest(data_dict["contest"]) if data_dict.get("contest") else None
    user = _user(context)
    return [bundle_dictize(contest, bundle, user)
            for bundle, contest in Bundle.with_contests(wanted)]


@validate(schema.bundle_ref)
def shanghai_bundle_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish the bundle's current contents as a new frozen version (organisers only):
    every file is copied into the bundle storage with its size, SHA-256 and CRC-32,
    and ``datapackage.json`` and the README are written. Downloads of a version
    always serve these frozen copies.

    :param id: the bundle's id (or give ``contest`` and ``name``)
    :type id: string
    :param notes: what changed in this version (optional)
    :type notes: string
    :returns: the bundle, showing the new version
    :rtype: dictionary
    """
    tk.check_access("shanghai_bundle_publish", context, data_dict)
    contest, bundle = _get_bundle(data_dict)
    user = _user(context)
    if user is None:
        raise tk.NotAuthorized(tk._("Publishing needs a user"))
    version = freeze.publish(contest, bundle, user, data_dict.get("notes", ""))
    _commit(context)
    return bundle_dictize(contest, bundle, user, version_number=version.number)


# -- teams ---------------------------------------------------------------------------

@validate(schema.team_register)
def shanghai_team_register(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Register a team for a contest; the caller becomes its leader. A user is in at
    most one team per contest. The other users named are invited: each becomes a
    member (and gets the team's access) only by accepting with ``shanghai_team_join``.

    :param contest: id or name of the contest
    :type contest: string
    :param name: URL name of the team, unique in the contest
    :type name: string
    :param title: the team's name as shown
    :type title: string
    :param institution: university or company (optional)
    :type institution: string
    :param members: user names of the users to invite (optional)
    :type members: list of strings
    :returns: the team, with ``invited`` listing the pending invitations
    :rtype: dictionary
    """
    tk.check_access("shanghai_team_register", context, data_dict)
    contest = _get_contest(data_dict["contest"])
    leader = _user(context)
    if leader is None:
        raise tk.NotAuthorized(tk._("Log in to register a team"))
    errors: dict[str, Any] = {}
    if Team.by_name(contest, data_dict["name"]) is not None:
        errors["name"] = [tk._("That URL is already in use.")]
    invitees: dict[str, model.User] = {}
    for ref in data_dict.get("members", []):
        member = model.User.get(ref)
        if member is None or member.state != "active":
            errors.setdefault("members", []).append(tk._("User not found: {ref}").format(ref=ref))
        elif member.id != leader.id:
            invitees[member.id] = member
    if access.team_of(contest, leader) is not None:
        errors.setdefault("members", []).append(tk._(
            "Already in a team of this contest: {names}").format(names=leader.name))
    if errors:
        raise tk.ValidationError(errors)
    team = Team(contest_id=contest.id, name=data_dict["name"], title=data_dict["title"],
                institution=data_dict.get("institution", ""))
    model.Session.add(team)
    model.Session.flush()
    model.Session.add(TeamMember(team_id=team.id, user_id=leader.id, contest_id=contest.id,
                                 role="leader"))
    for user_id in invitees:
        model.Session.add(Invitation(team_id=team.id, user_id=user_id,
                                     contest_id=contest.id, invited_by=leader.id))
    _commit(context)
    return team_dictize(contest, team)


def _invitation(context: Context, data_dict: DataDict) -> tuple[Contest, Team, Invitation]:
    """The caller's own invitation to the team named in ``data_dict`` (validated)."""
    contest, team = _get_team(data_dict)
    user = _user(context)
    invitation = Invitation.get(team, user) if user else None
    if invitation is None:
        raise tk.ObjectNotFound(tk._("You have no invitation to this team"))
    return contest, team, invitation


@validate(schema.team_ref)
def shanghai_team_join(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Accept an invitation to a team: the caller (only the invited user) becomes a
    member. A user already in a team of the contest must leave it first.

    :param id: the team's id (or give ``contest`` and ``name``)
    :type id: string
    :returns: the team
    :rtype: dictionary
    """
    tk.check_access("shanghai_team_join", context, data_dict)
    contest, team, invitation = _invitation(context, data_dict)
    if access.team_of(contest, _user(context)) is not None:
        raise tk.ValidationError({"id": [tk._("You are already in a team of this contest")]})
    model.Session.delete(invitation)
    model.Session.add(TeamMember(team_id=team.id, user_id=invitation.user_id,
                                 contest_id=contest.id, role="member"))
    _commit(context)
    return team_dictize(contest, team)


@validate(schema.team_ref)
def shanghai_team_decline(context: Context, data_dict: DataDict) -> dict[str, str]:
    """Decline an invitation to a team (only the invited user).

    :param id: the team's id (or give ``contest`` and ``name``)
    :type id: string
    :returns: the team's ``id`` and ``name``
    :rtype: dictionary
    """
    tk.check_access("shanghai_team_decline", context, data_dict)
    _, team, invitation = _invitation(context, data_dict)
    model.Session.delete(invitation)
    _commit(context)
    return {"id": team.id, "name": team.name}


@validate(schema.team_ref)
def shanghai_team_accept_terms(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Accept the contest's current data-use terms for the caller's team (a team
    member). Records who accepted which wording and when.

    :param id: the team's id (or give ``contest`` and ``name``)
    :type id: string
    :param accept: must be true
    :type accept: bool
    :returns: the team
    :rtype: dictionary
    """
    tk.check_access("shanghai_team_accept_terms", context, data_dict)
    if data_dict.get("accept") is not True:
        raise tk.ValidationError({"accept": [tk._("Tick the box to accept the terms")]})
    contest, team = _get_team(data_dict)
    user = _user(context)
    assert user is not None  # the auth function requires a member
    model.Session.add(TermsAcceptance(team_id=team.id, user_id=user.id,
                                      terms_sha256=access.terms_sha256(contest)))
    _commit(context)
    return team_dictize(contest, team)


@validate(schema.team_ref)
def shanghai_team_verify(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record an organiser's decision on a team's identity; the latest one counts
    (``verified=false`` withdraws a verification).

    :param id: the team's id (or give ``contest`` and ``name``)
    :type id: string
    :param verified: true to verify, false to refuse or withdraw
    :type verified: bool
    :param note: what was checked, or why it was refused (optional)
    :type note: string
    :returns: the team
    :rtype: dictionary
    """
    tk.check_access("shanghai_team_verify", context, data_dict)
    if "verified" not in data_dict:
        raise tk.ValidationError({"verified": [tk._("Missing value")]})
    contest, team = _get_team(data_dict)
    organiser = _user(context)
    assert organiser is not None  # the auth function requires an organiser
    model.Session.add(Verification(team_id=team.id, organiser_id=organiser.id,
                                   verified=data_dict["verified"],
                                   note=data_dict.get("note", "")))
    team.verified = data_dict["verified"]
    _commit(context)
    return team_dictize(contest, team)


@tk.side_effect_free
@validate(schema.team_ref)
def shanghai_team_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A team (its members and organisers only).

    :param id: the team's id (or give ``contest`` and ``name``)
    :type id: string
    :rtype: dictionary
    """
    tk.check_access("shanghai_team_show", context, data_dict)
    contest, team = _get_team(data_dict)
    return team_dictize(contest, team)


@tk.side_effect_free
def shanghai_team_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The teams of a contest, for its organisers.

    :param contest: id or name of the contest
    :type contest: string
    :rtype: list of dictionaries
    """
    tk.check_access("shanghai_team_list", context, data_dict)
    contest = _get_contest(data_dict.get("contest"))
    return [team_dictize(contest, t) for t in Team.of_contest(contest)]
