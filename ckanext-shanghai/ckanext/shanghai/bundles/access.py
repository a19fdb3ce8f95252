"""Who may download a bundle, and if not, why.

The whole access policy is here, used alike by ``shanghai_bundle_show`` (to tell the
caller) and by the download views (to refuse with the reason):

- organisers (sysadmins and the users named in ``ckanext.shanghai.bundles.organisers``)
  may download every published bundle;
- ``public`` bundles: anyone, without logging in;
- ``registered`` bundles: members of a team registered for the contest whose terms
  (the current wording) a member accepted;
- ``verified`` bundles: as ``registered``, and the team was verified by an organiser.

Conditional datasets may only be put in ``registered``/``verified`` bundles (checked
when a bundle is made or changed), so their data leaves the portal only through the
bundle, to entitled teams.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from .model import Bundle, BundleVersion, Contest, Team, TeamMember, TermsAcceptance

__all__ = ["Decision", "REASONS", "decide", "is_organiser", "reason_message", "team_of",
           "terms_accepted", "terms_sha256"]


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown (``reason_message``)."""
    return message


#: Every refusal reason, with the message shown to the user (English msgid).
REASONS = {
    "not_published": N_("This bundle has no published version yet."),
    "not_logged_in": N_("Log in (or send an API token) and register a team to download "
                        "this bundle."),
    "not_registered": N_("Your account is not in a team registered for this contest."),
    "terms_not_accepted": N_("Your team has not accepted the contest's data-use terms."),
    "not_verified": N_("This bundle is for verified teams; the organisers have not "
                       "verified your team's identity."),
}


def reason_message(reason: str) -> str:
    """The refusal message for ``reason`` in the user's language."""
    return tk._(REASONS[reason])


@dataclass(frozen=True)
class Decision:
    """Whether the user may download; ``reason`` is a key of ``REASONS`` when not."""

    can_download: bool
    reason: str | None = None

    @property
    def message(self) -> str | None:
        return reason_message(self.reason) if self.reason else None


def is_organiser(user: model.User | None) -> bool:
    """Sysadmins and the configured organisers run the contests."""
    if user is None:
        return False
    return bool(user.sysadmin) or user.name in tk.config.get(
        "ckanext.shanghai.bundles.organisers")


def terms_sha256(contest: Contest) -> str:
    """Identifies the wording of the terms a team accepted."""
    return hashlib.sha256(contest.terms.encode("utf-8")).hexdigest()


def team_of(contest: Contest, user: model.User | None) -> Team | None:
    """The user's team in the contest, if any."""
    if user is None:
        return None
    return model.Session.scalars(
        sa.select(Team).join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.contest_id == contest.id, TeamMember.user_id == user.id)
    ).first()


def terms_accepted(team: Team, contest: Contest) -> TermsAcceptance | None:
    """The latest acceptance of the contest's current terms by a member of the team."""
    return model.Session.scalars(
        sa.select(TermsAcceptance)
        .where(TermsAcceptance.team_id == team.id,
               TermsAcceptance.terms_sha256 == terms_sha256(contest))
        .order_by(TermsAcceptance.accepted.desc())
    ).first()


def decide(user: model.User | None, contest: Contest, bundle: Bundle,
           version: BundleVersion | None) -> Decision:
    """May ``user`` (None: anonymous) download ``version`` of ``bundle``?"""
    if version is None:
        return Decision(False, "not_published")
    if bundle.access_tier == "public" or is_organiser(user):
        return Decision(True)
    if user is None:
        return Decision(False, "not_logged_in")
    team = team_of(contest, user)
    if team is None:
        return Decision(False, "not_registered")
    if terms_accepted(team, contest) is None:
        return Decision(False, "terms_not_accepted")
    if bundle.access_tier == "verified" and not team.verified:
        return Decision(False, "not_verified")
    return Decision(True)
