"""Contests, bundles and teams as the actions return them."""
from __future__ import annotations

import datetime
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from .. import access
from ..model import Bundle, Contest, Team

__all__ = ["BUNDLE_FIELDS", "CONTEST_FIELDS", "bundle_dictize", "contest_dictize",
           "team_dictize"]

#: The fields the API shows and writes as they are stored.
CONTEST_FIELDS = ("name", "title", "title_en", "edition", "theme", "description", "rules",
                  "terms", "start_date", "end_date")
BUNDLE_FIELDS = ("name", "title", "title_en", "description", "stage", "access_tier")


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def contest_dictize(contest: Contest) -> dict[str, Any]:
    """A contest, with the hash of its terms and the URL of its page."""
    result: dict[str, Any] = {f: getattr(contest, f) for f in CONTEST_FIELDS}
    result.update(id=contest.id, start_date=_iso(contest.start_date),
                  end_date=_iso(contest.end_date), terms_sha256=access.terms_sha256(contest),
                  url=tk.url_for("shanghai_bundles.contest", contest=contest.name,
                                 qualified=True))
    return result


def _download_url(contest: Contest, bundle: Bundle, number: int | None = None) -> str:
    return tk.url_for("shanghai_bundles.download", contest=contest.name, bundle=bundle.name,
                      qualified=True, **({"version": number} if number else {}))


def bundle_dictize(contest: Contest, bundle: Bundle, user: model.User | None,
                   *, version_number: int | None = None) -> dict[str, Any]:
    """A bundle as the API shows it to ``user``: contents, versions, download URL and
    whether the user may download it (and if not, why). URLs name the version only
    when ``version_number`` is given, so the unpinned ones follow new versions."""
    versions = bundle.versions()
    if version_number is None:
        version = versions[0] if versions else None
    else:
        version = next((v for v in versions if v.number == version_number), None)
        if version is None:
            raise tk.ObjectNotFound(tk._("Bundle {name} has no version {number}").format(
                name=bundle.name, number=version_number))
    decision = access.decide(user, contest, bundle, version)
    items = bundle.items()
    result: dict[str, Any] = {f: getattr(bundle, f) for f in BUNDLE_FIELDS}
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
            for f in version.files()]
    return result


def team_dictize(contest: Contest, team: Team) -> dict[str, Any]:
    """A team with its members, pending invitations, terms acceptance and
    verification."""
    accepted = access.terms_accepted(team, contest)
    latest = team.latest_verification()
    return {
        "id": team.id, "name": team.name, "title": team.title,
        "institution": team.institution, "contest": contest.name,
        "registered": _iso(team.registered),
        "members": [{"name": name, "role": role} for name, role in team.members()],
        "invited": team.invited(),
        "terms_accepted": accepted is not None,
        "terms_accepted_at": _iso(accepted.accepted) if accepted else None,
        "verified": team.verified,
        "verification_note": latest.note if latest else "",
        "verified_at": _iso(latest.decided) if latest else None,
    }
