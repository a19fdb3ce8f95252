"""Tables of the SODA contest bundles (created by this plugin's migrations).

A contest holds bundles; publishing a bundle freezes a numbered version whose files
(data copies, ``datapackage.json``, README) are recorded with size, SHA-256 and CRC-32
and never change afterwards. Teams register for a contest, accept its terms and are
verified by an organiser; every download is logged.
"""
from __future__ import annotations

import datetime
import uuid

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["Bundle", "BundleItem", "BundleVersion", "Contest", "Download", "Invitation",
           "Team", "TeamMember", "TermsAcceptance", "Verification", "VersionFile"]


def _id() -> str:
    return str(uuid.uuid4())


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Contest(tk.BaseModel):
    """One edition of the SODA contest."""

    __tablename__ = "shanghai_bundles_contest"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, unique=True)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title_en: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    edition: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    theme: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    description: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    rules: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    terms: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    start_date: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    end_date: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                       default=_now)
    modified: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                        default=_now, onupdate=_now)

    @classmethod
    def get(cls, ref: str | None) -> Contest | None:
        """A contest by id or name."""
        if not ref:
            return None
        return model.Session.scalars(sa.select(cls).where(
            sa.or_(cls.id == ref, cls.name == ref))).first()

    @classmethod
    def by_name(cls, name: str) -> Contest | None:
        return model.Session.scalars(sa.select(cls).where(cls.name == name)).first()

    @classmethod
    def newest_first(cls) -> list[Contest]:
        """Every contest, newest edition first."""
        return list(model.Session.scalars(sa.select(cls).order_by(cls.edition.desc(),
                                                                  cls.name)))


class Bundle(tk.BaseModel):
    """A named set of resources of a contest, given to teams of an access tier."""

    __tablename__ = "shanghai_bundles_bundle"
    __table_args__ = (sa.UniqueConstraint("contest_id", "name"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    contest_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_contest.id", ondelete="CASCADE"),
        nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title_en: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    description: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    stage: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    access_tier: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                       default=_now)
    modified: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                        default=_now, onupdate=_now)

    @classmethod
    def get(cls, id: str) -> Bundle | None:
        return model.Session.get(cls, id)

    @classmethod
    def by_name(cls, contest: Contest, name: str) -> Bundle | None:
        return model.Session.scalars(sa.select(cls).where(
            cls.contest_id == contest.id, cls.name == name)).first()

    @classmethod
    def of_contest(cls, contest: Contest) -> list[Bundle]:
        """The contest's bundles in the order they were made."""
        return list(model.Session.scalars(sa.select(cls).where(
            cls.contest_id == contest.id).order_by(cls.created, cls.name)))

    @classmethod
    def with_contests(cls, contest: Contest | None = None) -> list[tuple[Bundle, Contest]]:
        """Every bundle (of ``contest`` if given) with its contest, oldest edition
        first."""
        query = sa.select(cls, Contest).join(Contest, Contest.id == cls.contest_id)
        if contest is not None:
            query = query.where(Contest.id == contest.id)
        rows = model.Session.execute(query.order_by(Contest.edition, cls.created))
        return [(bundle, contest) for bundle, contest in rows]

    def items(self) -> list[BundleItem]:
        """What the next published version holds, in archive order."""
        return list(model.Session.scalars(sa.select(BundleItem).where(
            BundleItem.bundle_id == self.id).order_by(BundleItem.position)))

    def set_items(self, items: list[tuple[str, str]]) -> None:
        """Replace the contents by ``(package id, resource id)`` pairs, in order."""
        model.Session.execute(sa.delete(BundleItem).where(BundleItem.bundle_id == self.id))
        for position, (package_id, resource_id) in enumerate(items):
            model.Session.add(BundleItem(bundle_id=self.id, package_id=package_id,
                                         resource_id=resource_id, position=position))

    def versions(self) -> list[BundleVersion]:
        """The published versions, newest first."""
        return list(model.Session.scalars(sa.select(BundleVersion).where(
            BundleVersion.bundle_id == self.id).order_by(BundleVersion.number.desc())))

    def version(self, number: int | None = None) -> BundleVersion | None:
        """Version ``number``, or the latest when None."""
        query = sa.select(BundleVersion).where(BundleVersion.bundle_id == self.id)
        if number is not None:
            query = query.where(BundleVersion.number == number)
        return model.Session.scalars(query.order_by(BundleVersion.number.desc())).first()


class BundleItem(tk.BaseModel):
    """A resource (of a dataset) that the next published version of a bundle holds."""

    __tablename__ = "shanghai_bundles_item"
    __table_args__ = (sa.UniqueConstraint("bundle_id", "resource_id"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    bundle_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_bundle.id", ondelete="CASCADE"),
        nullable=False, index=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False)


class BundleVersion(tk.BaseModel):
    """A published, frozen version of a bundle (numbered 1, 2, … per bundle)."""

    __tablename__ = "shanghai_bundles_version"
    __table_args__ = (sa.UniqueConstraint("bundle_id", "number"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    bundle_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_bundle.id", ondelete="CASCADE"),
        nullable=False, index=True)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    published: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                         default=_now)
    published_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    notes: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    #: The frozen copies' folder, relative to the plugin's storage folder.
    directory: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    zip_size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)

    def files(self) -> list[VersionFile]:
        """The version's files in archive order."""
        return list(model.Session.scalars(sa.select(VersionFile).where(
            VersionFile.version_id == self.id).order_by(VersionFile.position)))


class VersionFile(tk.BaseModel):
    """One file of a frozen version: where it is in the zip and in storage, and the
    size and hashes recorded at publish time."""

    __tablename__ = "shanghai_bundles_version_file"
    __table_args__ = (sa.UniqueConstraint("version_id", "path"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    version_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_version.id", ondelete="CASCADE"),
        nullable=False, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: ``data`` (a resource's file), ``datapackage`` or ``readme``.
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    #: The name of a data file (the last part of ``path``); how it is fetched alone.
    name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    path: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    package_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    resource_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    #: The frozen copy, relative to the version's directory.
    stored_as: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    media_type: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    crc32: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)


class Team(tk.BaseModel):
    """A team registered for a contest."""

    __tablename__ = "shanghai_bundles_team"
    __table_args__ = (sa.UniqueConstraint("contest_id", "name"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    contest_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_contest.id", ondelete="CASCADE"),
        nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    institution: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    registered: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                          default=_now)
    #: Whether the latest organiser decision verified the team's identity.
    verified: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)

    @classmethod
    def get(cls, id: str) -> Team | None:
        return model.Session.get(cls, id)

    @classmethod
    def by_name(cls, contest: Contest, name: str) -> Team | None:
        return model.Session.scalars(sa.select(cls).where(
            cls.contest_id == contest.id, cls.name == name)).first()

    @classmethod
    def of_contest(cls, contest: Contest) -> list[Team]:
        """The contest's teams in the order they registered."""
        return list(model.Session.scalars(sa.select(cls).where(
            cls.contest_id == contest.id).order_by(cls.registered)))

    @classmethod
    def inviting(cls, contest: Contest, user: model.User) -> list[Team]:
        """The contest's teams with a pending invitation for ``user``, oldest first."""
        return list(model.Session.scalars(
            sa.select(cls).join(Invitation, Invitation.team_id == cls.id)
            .where(Invitation.contest_id == contest.id, Invitation.user_id == user.id)
            .order_by(Invitation.invited)))

    def members(self) -> list[tuple[str, str]]:
        """(user name, role) of each member, in the order they joined."""
        rows = model.Session.execute(
            sa.select(model.User.name, TeamMember.role).join(
                TeamMember, TeamMember.user_id == model.User.id)
            .where(TeamMember.team_id == self.id).order_by(TeamMember.joined))
        return [(name, role) for name, role in rows]

    def invited(self) -> list[str]:
        """The names of the users invited and not yet answering, oldest first."""
        return list(model.Session.scalars(
            sa.select(model.User.name).join(Invitation, Invitation.user_id == model.User.id)
            .where(Invitation.team_id == self.id).order_by(Invitation.invited)))

    def latest_verification(self) -> Verification | None:
        """The organisers' decision that counts."""
        return model.Session.scalars(sa.select(Verification).where(
            Verification.team_id == self.id).order_by(Verification.decided.desc())).first()


class TeamMember(tk.BaseModel):
    """A user in a team (the leader, or an invited user who accepted); a user is in
    at most one team per contest."""

    __tablename__ = "shanghai_bundles_team_member"
    __table_args__ = (sa.UniqueConstraint("contest_id", "user_id"),)

    team_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_team.id", ondelete="CASCADE"),
        primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    #: Repeated from the team so that the database enforces one team per contest.
    contest_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    role: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)  # leader / member
    joined: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                      default=_now)


class Invitation(tk.BaseModel):
    """A user named when a team registered: not a member (and no access) until that
    user accepts with ``shanghai_team_join``. Pending invitations do not count as being
    in a team, so nobody can block a user from a contest by inviting them."""

    __tablename__ = "shanghai_bundles_invitation"

    team_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_team.id", ondelete="CASCADE"),
        primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, index=True)
    contest_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    invited_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    invited: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                       default=_now)

    @classmethod
    def get(cls, team: Team, user: model.User) -> Invitation | None:
        return model.Session.get(cls, (team.id, user.id))


class TermsAcceptance(tk.BaseModel):
    """A team member accepted the contest's data-use terms (the text's SHA-256 says
    which wording; a change of terms needs a new acceptance)."""

    __tablename__ = "shanghai_bundles_terms_acceptance"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    team_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_team.id", ondelete="CASCADE"),
        nullable=False, index=True)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    terms_sha256: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    accepted: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                        default=_now)


class Verification(tk.BaseModel):
    """An organiser's decision on a team's identity (the latest one counts)."""

    __tablename__ = "shanghai_bundles_verification"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    team_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_team.id", ondelete="CASCADE"),
        nullable=False, index=True)
    organiser_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    verified: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    note: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    decided: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                       default=_now)


class Download(tk.BaseModel):
    """One download request that was served (whole bundle or one file)."""

    __tablename__ = "shanghai_bundles_download"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_id)
    version_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("shanghai_bundles_version.id", ondelete="CASCADE"),
        nullable=False, index=True)
    user_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    team_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    #: None for the whole zip, else the name of the file fetched alone.
    file_name: Mapped[str | None] = mapped_column(sa.UnicodeText)
    #: The ``Range`` asked for (None for the whole body).
    byte_range: Mapped[str | None] = mapped_column(sa.UnicodeText)
    status: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    requested: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                         default=_now)
