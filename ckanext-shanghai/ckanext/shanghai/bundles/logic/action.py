"""Actions of the SODA contest bundles: contests, bundles and their frozen versions,
teams, terms and verification."""
from __future__ import annotations

import datetime
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.types import Context, DataDict

from .. import access, freeze
from ..model import (
    Bundle,
    BundleItem,
    BundleVersion,
    Contest,
    Invitation,
    Team,
    TeamMember,
    TermsAcceptance,
    Verification,
    VersionFile,
)
from . import schema as schemas

__all__ = [
    "shanghai_bundle_create", "shanghai_bundle_list", "shanghai_bundle_publish",
    "shanghai_bundle_show", "shanghai_bundle_update", "shanghai_contest_create",
    "shanghai_contest_list", "shanghai_contest_show", "shanghai_contest_update",
    "shanghai_team_accept_terms", "shanghai_team_decline", "shanghai_team_join",
    "shanghai_team_list", "shanghai_team_register", "shanghai_team_show",
    "shanghai_team_verify",
]

_CONTEST_FIELDS = ("name", "title", "title_en", "edition", "theme", "description", "rules",
                   "terms", "start_date", "end_date")
_BUNDLE_FIELDS = ("name", "title", "title_en", "description", "stage", "access_tier")


# -- helpers -------------------------------------------------------------------------

def _validate(data_dict: DataDict, schema: Any, context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


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
    contest = model.Session.scalars(sa.select(Contest).where(
        sa.or_(Contest.id == ref, Contest.name == ref))).first() if ref else None
    if contest is None:
        raise tk.ObjectNotFound(tk._("Contest not found: {ref}").format(ref=ref))
    return contest


def _get_bundle(data: dict[str, Any]) -> tuple[Contest, Bundle]:
    """A bundle by ``id``, or by ``contest`` and ``name``."""
    query = sa.select(Bundle)
    if data.get("id"):
        query = query.where(Bundle.id == data["id"])
    elif data.get("contest") and data.get("name"):
        query = query.where(Bundle.contest_id == _get_contest(data["contest"]).id,
                            Bundle.name == data["name"])
    else:
        raise tk.ValidationError({"id": [tk._("Give the bundle's id, or contest and name")]})
    bundle = model.Session.scalars(query).first()
    if bundle is None:
        raise tk.ObjectNotFound(tk._("Bundle not found"))
    return model.Session.get_one(Contest, bundle.contest_id), bundle


def _get_team(data: dict[str, Any]) -> tuple[Contest, Team]:
    query = sa.select(Team)
    if data.get("id"):
        query = query.where(Team.id == data["id"])
    elif data.get("contest") and data.get("name"):
        query = query.where(Team.contest_id == _get_contest(data["contest"]).id,
                            Team.name == data["name"])
    else:
        raise tk.ValidationError({"id": [tk._("Give the team's id, or contest and name")]})
    team = model.Session.scalars(query).first()
    if team is None:
        raise tk.ObjectNotFound(tk._("Team not found"))
    return model.Session.get_one(Contest, team.contest_id), team


def versions_of(bundle: Bundle) -> list[BundleVersion]:
    """The bundle's published versions, newest first."""
    return list(model.Session.scalars(sa.select(BundleVersion).where(
        BundleVersion.bundle_id == bundle.id).order_by(BundleVersion.number.desc())))


def version_files(version: BundleVersion) -> list[VersionFile]:
    """The files of a version in archive order."""
    return list(model.Session.scalars(sa.select(VersionFile).where(
        VersionFile.version_id == version.id).order_by(VersionFile.position)))


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _contest_dict(contest: Contest) -> dict[str, Any]:
    result: dict[str, Any] = {f: getattr(contest, f) for f in _CONTEST_FIELDS}
    result.update(id=contest.id, start_date=_iso(contest.start_date),
                  end_date=_iso(contest.end_date), terms_sha256=access.terms_sha256(contest),
                  url=tk.url_for("shanghai_bundles.contest", contest=contest.name,
                                 qualified=True))
    return result


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
        problem = None
        if pkg.get("open_type") == "non_open" or pkg.get("private"):
            problem = tk._("Dataset {name} is not open and cannot be in a bundle")
        elif pkg.get("open_type") == "conditional" and tier == "public":
            problem = tk._("Dataset {name} is conditionally open: put it in a 'registered' "
                           "or 'verified' bundle, not a public one")
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


def _set_items(bundle: Bundle, items: list[tuple[str, str]]) -> None:
    model.Session.execute(sa.delete(BundleItem).where(BundleItem.bundle_id == bundle.id))
    for position, (package_id, resource_id) in enumerate(items):
        model.Session.add(BundleItem(bundle_id=bundle.id, package_id=package_id,
                                     resource_id=resource_id, position=position))


def _download_url(contest: Contest, bundle: Bundle, number: int | None = None) -> str:
    return tk.url_for("shanghai_bundles.download", contest=contest.name, bundle=bundle.name,
                      qualified=True, **({"version": number} if number else {}))


def bundle_dict(contest: Contest, bundle: Bundle, user: model.User | None,
                *, version_number: int | None = None) -> dict[str, Any]:
    """A bundle as the API shows it to ``user``: contents, versions, download URL and
    whether the user may download it (and if not, why)."""
    versions = versions_of(bundle)
    if version_number is None:
        version = versions[0] if versions else None
    else:
        version = next((v for v in versions if v.number == version_number), None)
        if version is None:
            raise tk.ObjectNotFound(tk._("Bundle {name} has no version {number}").format(
                name=bundle.name, number=version_number))
    decision = access.decide(user, contest, bundle, version)
    items = model.Session.scalars(sa.select(BundleItem).where(
        BundleItem.bundle_id == bundle.id).order_by(BundleItem.position)).all()
    result: dict[str, Any] = {f: getattr(bundle, f) for f in _BUNDLE_FIELDS}
    result.update(
        id=bundle.id, contest=contest.name, contest_id=contest.id,
        datasets=list(dict.fromkeys(i.package_id for i in items)),
        resources=[i.resource_id for i in items],
        versions=[{"number": v.number, "published": _iso(v.published),
                   "zip_size": v.zip_size, "notes": v.notes,
                   "download_url": _download_url(contest, bundle, v.number)}
                  for v in versions],
        version=None, download_url=None, can_download=decision.can_download,
        reason=decision.reason, reason_message=decision.message)
    if version is not None:
        result["version"] = version.number
        result["download_url"] = _download_url(contest, bundle, version_number)
        result["zip_size"] = version.zip_size
        result["files"] = [
            {"name": f.name, "path": f.path, "kind": f.kind, "bytes": f.size,
             "hash": f"sha256:{f.sha256}", "resource_id": f.resource_id,
             "package_id": f.package_id,
             "url": tk.url_for("shanghai_bundles.resource", contest=contest.name,
                               bundle=bundle.name, name=f.name, qualified=True,
                               **({"version": version_number} if version_number else {}))}
            for f in version_files(version)]
    return result


def team_dict(contest: Contest, team: Team) -> dict[str, Any]:
    """A team with its members, pending invitations, terms acceptance and
    verification."""
    members = model.Session.execute(
        sa.select(model.User.name, TeamMember.role).join(
            TeamMember, TeamMember.user_id == model.User.id)
        .where(TeamMember.team_id == team.id).order_by(TeamMember.joined)).all()
    invited = model.Session.scalars(
        sa.select(model.User.name).join(Invitation, Invitation.user_id == model.User.id)
        .where(Invitation.team_id == team.id).order_by(Invitation.invited)).all()
    accepted = access.terms_accepted(team, contest)
    latest = model.Session.scalars(sa.select(Verification).where(
        Verification.team_id == team.id).order_by(Verification.decided.desc())).first()
    return {
        "id": team.id, "name": team.name, "title": team.title,
        "institution": team.institution, "contest": contest.name,
        "registered": _iso(team.registered),
        "members": [{"name": name, "role": role} for name, role in members],
        "invited": list(invited),
        "terms_accepted": accepted is not None,
        "terms_accepted_at": _iso(accepted.accepted) if accepted else None,
        "verified": team.verified,
        "verification_note": latest.note if latest else "",
        "verified_at": _iso(latest.decided) if latest else None,
    }


# -- contests ------------------------------------------------------------------------

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
    data = _validate(data_dict, schemas.contest_create(), context)
    if data["end_date"] < data["start_date"]:
        raise tk.ValidationError({"end_date": [tk._("Must not be before start_date")]})
    if model.Session.scalars(sa.select(Contest).where(Contest.name == data["name"])).first():
        raise tk.ValidationError({"name": [tk._("That URL is already in use.")]})
    contest = Contest(**{f: data[f] for f in _CONTEST_FIELDS if f in data})
    model.Session.add(contest)
    model.Session.flush()
    _commit(context)
    return _contest_dict(contest)


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
    data = _validate(data_dict, schemas.contest_update(), context)
    contest = _get_contest(data["id"])
    for field in _CONTEST_FIELDS:
        if field in data:
            setattr(contest, field, data[field])
    if contest.end_date < contest.start_date:
        raise tk.ValidationError({"end_date": [tk._("Must not be before start_date")]})
    _commit(context)
    return _contest_dict(contest)


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
    result = _contest_dict(contest)
    bundles = model.Session.scalars(sa.select(Bundle).where(
        Bundle.contest_id == contest.id).order_by(Bundle.created, Bundle.name)).all()
    result["bundles"] = [bundle_dict(contest, b, user) for b in bundles]
    team = access.team_of(contest, user)
    result["my_team"] = team_dict(contest, team) if team else None
    result["my_invitations"] = [] if team or user is None else [
        {"id": t.id, "name": t.name, "title": t.title, "institution": t.institution}
        for t in model.Session.scalars(
            sa.select(Team).join(Invitation, Invitation.team_id == Team.id)
            .where(Invitation.contest_id == contest.id, Invitation.user_id == user.id)
            .order_by(Invitation.invited))]
    return result


@tk.side_effect_free
def shanghai_contest_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """All contests, newest edition first.

    :rtype: list of dictionaries
    """
    tk.check_access("shanghai_contest_list", context, data_dict)
    contests = model.Session.scalars(sa.select(Contest).order_by(
        Contest.edition.desc(), Contest.name)).all()
    return [_contest_dict(c) for c in contests]


# -- bundles -------------------------------------------------------------------------

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
    data = _validate(data_dict, schemas.bundle_create(), context)
    contest = _get_contest(data["contest"])
    if model.Session.scalars(sa.select(Bundle).where(
            Bundle.contest_id == contest.id, Bundle.name == data["name"])).first():
        raise tk.ValidationError({"name": [tk._("That URL is already in use.")]})
    items = _resolve_items(data, data["access_tier"], context)
    bundle = Bundle(contest_id=contest.id, **{f: data[f] for f in _BUNDLE_FIELDS if f in data})
    model.Session.add(bundle)
    model.Session.flush()
    _set_items(bundle, items)
    _commit(context)
    return bundle_dict(contest, bundle, _user(context))


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
    data = _validate(data_dict, schemas.bundle_update(), context)
    contest, bundle = _get_bundle({"id": data["id"]})
    tier = data.get("access_tier", bundle.access_tier)
    if "datasets" in data or "resources" in data:
        _set_items(bundle, _resolve_items(data, tier, context))
    elif tier != bundle.access_tier:
        # The existing contents must still be allowed in the new tier.
        current = model.Session.scalars(sa.select(BundleItem.resource_id).where(
            BundleItem.bundle_id == bundle.id)).all()
        _resolve_items({"resources": list(current)}, tier, context)
    if "name" in data and data["name"] != bundle.name and model.Session.scalars(
            sa.select(Bundle).where(Bundle.contest_id == contest.id,
                                    Bundle.name == data["name"])).first():
        raise tk.ValidationError({"name": [tk._("That URL is already in use.")]})
    for field in _BUNDLE_FIELDS:
        if field in data:
            setattr(bundle, field, data[field])
    _commit(context)
    return bundle_dict(contest, bundle, _user(context))


@tk.side_effect_free
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
    data = _validate(data_dict, schemas.bundle_ref(), context)
    contest, bundle = _get_bundle(data)
    return bundle_dict(contest, bundle, _user(context), version_number=data.get("version"))


@tk.side_effect_free
def shanghai_bundle_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The bundles of a contest (or of all contests), as ``shanghai_bundle_show``.

    :param contest: id or name of a contest (optional)
    :type contest: string
    :rtype: list of dictionaries
    """
    tk.check_access("shanghai_bundle_list", context, data_dict)
    data = _validate(data_dict, schemas.bundle_list(), context)
    query = sa.select(Bundle, Contest).join(Contest, Contest.id == Bundle.contest_id)
    if data.get("contest"):
        query = query.where(Contest.id == _get_contest(data["contest"]).id)
    user = _user(context)
    rows = model.Session.execute(query.order_by(Contest.edition, Bundle.created)).all()
    return [bundle_dict(contest, bundle, user) for bundle, contest in rows]


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
    data = _validate(data_dict, schemas.bundle_ref(), context)
    contest, bundle = _get_bundle(data)
    user = _user(context)
    if user is None:
        raise tk.NotAuthorized(tk._("Publishing needs a user"))
    version = freeze.publish(contest, bundle, user, data.get("notes", ""))
    _commit(context)
    return bundle_dict(contest, bundle, user, version_number=version.number)


# -- teams ---------------------------------------------------------------------------

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
    data = _validate(data_dict, schemas.team_register(), context)
    contest = _get_contest(data["contest"])
    leader = _user(context)
    if leader is None:
        raise tk.NotAuthorized(tk._("Log in to register a team"))
    errors: dict[str, Any] = {}
    if model.Session.scalars(sa.select(Team).where(
            Team.contest_id == contest.id, Team.name == data["name"])).first():
        errors["name"] = [tk._("That URL is already in use.")]
    invitees: dict[str, model.User] = {}
    for ref in data.get("members", []):
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
    team = Team(contest_id=contest.id, name=data["name"], title=data["title"],
                institution=data.get("institution", ""))
    model.Session.add(team)
    model.Session.flush()
    model.Session.add(TeamMember(team_id=team.id, user_id=leader.id, contest_id=contest.id,
                                 role="leader"))
    for user_id in invitees:
        model.Session.add(Invitation(team_id=team.id, user_id=user_id,
                                     contest_id=contest.id, invited_by=leader.id))
    _commit(context)
    return team_dict(contest, team)


def _invitation(context: Context, data_dict: DataDict) -> tuple[Contest, Team, Invitation]:
    """The caller's own invitation to the team named in ``data_dict``."""
    data = _validate(data_dict, schemas.team_ref(), context)
    contest, team = _get_team(data)
    user = _user(context)
    invitation = model.Session.get(Invitation, (team.id, user.id)) if user else None
    if invitation is None:
        raise tk.ObjectNotFound(tk._("You have no invitation to this team"))
    return contest, team, invitation


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
    return team_dict(contest, team)


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
    data = _validate(data_dict, schemas.team_ref(), context)
    if data.get("accept") is not True:
        raise tk.ValidationError({"accept": [tk._("Tick the box to accept the terms")]})
    contest, team = _get_team(data)
    user = _user(context)
    assert user is not None  # the auth function requires a member
    model.Session.add(TermsAcceptance(team_id=team.id, user_id=user.id,
                                      terms_sha256=access.terms_sha256(contest)))
    _commit(context)
    return team_dict(contest, team)


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
    data = _validate(data_dict, schemas.team_ref(), context)
    if "verified" not in data:
        raise tk.ValidationError({"verified": [tk._("Missing value")]})
    contest, team = _get_team(data)
    organiser = _user(context)
    assert organiser is not None  # the auth function requires an organiser
    model.Session.add(Verification(team_id=team.id, organiser_id=organiser.id,
                                   verified=data["verified"], note=data.get("note", "")))
    team.verified = data["verified"]
    _commit(context)
    return team_dict(contest, team)


@tk.side_effect_free
def shanghai_team_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A team (its members and organisers only).

    :param id: the team's id (or give ``contest`` and ``name``)
    :type id: string
    :rtype: dictionary
    """
    tk.check_access("shanghai_team_show", context, data_dict)
    data = _validate(data_dict, schemas.team_ref(), context)
    contest, team = _get_team(data)
    return team_dict(contest, team)


@tk.side_effect_free
def shanghai_team_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The teams of a contest, for its organisers.

    :param contest: id or name of the contest
    :type contest: string
    :rtype: list of dictionaries
    """
    tk.check_access("shanghai_team_list", context, data_dict)
    contest = _get_contest(data_dict.get("contest"))
    teams = model.Session.scalars(sa.select(Team).where(Team.contest_id == contest.id)
                                  .order_by(Team.registered)).all()
    return [team_dict(contest, t) for t in teams]
